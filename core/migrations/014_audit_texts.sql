-- Roster workspace, version 14: the before and after of audit entries live in a table of their own,
-- each distinct text of a change once, and their words are in the mentions index.
--
-- "Delete user and all data" replaces a person's name, email and id wherever an earlier entry's texts
-- hold them (a manager change names the old manager, a merge the account kept, a reason anyone). It
-- read every entry for that: with a year of HRIS imports (1,000,000 entries) a deletion took 1.2 s
-- instead of 25 ms. Now it finds the texts through the index, and the entries by person through the
-- subject and actor indexes.
--
-- A bulk change writes its shared texts once: the 10,000 entries of a deactivation point at one
-- "before" and one "after", and only the texts get indexed words.
CREATE TABLE audit_texts (
    id        INTEGER PRIMARY KEY,
    -- The change whose entries use it: counting those entries reads that change alone.
    change_id TEXT NOT NULL,
    text      TEXT NOT NULL,
    -- Whether its words are in the mentions index: a text of a person's own fields (`audit::OWN_FIELDS`)
    -- names only its entries' subject, whom a deletion finds by id, so an HRIS import does not index
    -- the thousands of texts it writes.
    findable  INTEGER NOT NULL DEFAULT 1 CHECK (findable IN (0, 1))
);

-- Plain numbers, not foreign keys: `audit::record_all_tx` writes a text and its entries together, and
-- a key would look the text up again for each of 10,000 entries.
ALTER TABLE audit ADD COLUMN before_text INTEGER;
ALTER TABLE audit ADD COLUMN after_text INTEGER;
-- Which change an undo reverts (it was read out of `after`, by the index of version 6).
ALTER TABLE audit ADD COLUMN undo_of TEXT;

INSERT INTO audit_texts (id, change_id, text) SELECT id * 2, change_id, before FROM audit WHERE before IS NOT NULL;
INSERT INTO audit_texts (id, change_id, text) SELECT id * 2 + 1, change_id, after FROM audit WHERE after IS NOT NULL;
UPDATE audit SET before_text = CASE WHEN before IS NOT NULL THEN id * 2 END,
                 after_text = CASE WHEN after IS NOT NULL THEN id * 2 + 1 END,
                 undo_of = json_extract(after, '$.undoOf');
DROP INDEX audit_undo_of;
ALTER TABLE audit DROP COLUMN before;
ALTER TABLE audit DROP COLUMN after;
CREATE INDEX audit_undo_of ON audit(undo_of) WHERE undo_of IS NOT NULL;
-- The entries a person made, found when they are deleted (their name there becomes "Deleted user").
CREATE INDEX audit_actor ON audit(actor_id) WHERE actor_id IS NOT NULL;

-- A text's row in the mentions index is its id * 8 + 6 (1 to 5 are the records, version 7).
INSERT INTO mentions (rowid, text) SELECT id * 8 + 6, text FROM audit_texts;
CREATE TRIGGER audit_texts_mentions_insert AFTER INSERT ON audit_texts WHEN new.findable BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.id * 8 + 6, new.text);
END;
CREATE TRIGGER audit_texts_mentions_update AFTER UPDATE OF text ON audit_texts WHEN new.findable BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.id * 8 + 6, old.text);
    INSERT INTO mentions (rowid, text) VALUES (new.id * 8 + 6, new.text);
END;
CREATE TRIGGER audit_texts_mentions_delete AFTER DELETE ON audit_texts WHEN old.findable BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.id * 8 + 6, old.text);
END;
