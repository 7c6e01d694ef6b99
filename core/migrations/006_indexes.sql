-- Roster workspace, version 6: indexes that keep a large company quick. "Was this change undone
-- already?" (Undo), and a person's cycle participations and mail (merge, delete), answered without
-- reading every row of their table.
CREATE INDEX audit_undo_of ON audit(json_extract(after, '$.undoOf')) WHERE json_extract(after, '$.undoOf') IS NOT NULL;
CREATE INDEX cycle_participants_person ON cycle_participants(person_id);
CREATE INDEX mail_person ON mail(person_id);
