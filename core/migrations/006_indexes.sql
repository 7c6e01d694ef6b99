-- Roster workspace, version 6: indexes that keep a large company quick. "Was this change undone
-- already?" (Undo), and a person's cycle participations, mail, private notes and merged-away accounts
-- (merge, delete, and the foreign keys checked when a person is deleted), found without reading every
-- row of their table.
CREATE INDEX audit_undo_of ON audit(json_extract(after, '$.undoOf')) WHERE json_extract(after, '$.undoOf') IS NOT NULL;
CREATE INDEX cycle_participants_person ON cycle_participants(person_id);
CREATE INDEX mail_person ON mail(person_id);
CREATE INDEX one_on_one_notes_author ON one_on_one_notes(author_id);
CREATE INDEX people_merged_into ON people(merged_into_id);
