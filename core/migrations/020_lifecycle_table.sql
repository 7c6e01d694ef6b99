-- Roster workspace, version 20: where each person stands in their lifecycle (active or deactivated,
-- and when, by whom and why) and who their manager is, in a narrow table of its own, one row per
-- person. Deactivating 10,000 people and handing over their reports rewrote 20,000 scattered rows of
-- `people`, whose rows are wide (names, email, title, password hash…): nearly every one of its pages,
-- each read, changed and written to the WAL. Here a row is ~50 bytes: in the sqlite3 CLI the same two
-- updates wrote 713 WAL frames of 16 KiB instead of 1,883, in a third of the time.
--
-- A row is keyed by its person's rowid in `people`: SQLite keeps rowids as they are, VACUUM included,
-- and triggers keep the two tables one row for one: a new person starts active with no manager, and a
-- deleted person's row goes with them.
CREATE TABLE lifecycle (
    person               INTEGER PRIMARY KEY,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    deactivated_at       TEXT,
    deactivated_by_name  TEXT,
    deactivation_reason  TEXT,
    manager_id           TEXT,
    CHECK ((status = 'active') = (deactivated_at IS NULL))
);
INSERT INTO lifecycle (person, status, deactivated_at, deactivated_by_name, deactivation_reason, manager_id)
SELECT rowid, status, deactivated_at, deactivated_by_name, deactivation_reason, manager_id FROM people;
CREATE INDEX lifecycle_manager ON lifecycle(manager_id);
CREATE INDEX lifecycle_deactivated ON lifecycle(deactivated_by_name, deactivation_reason) WHERE status = 'deactivated';

DROP TRIGGER people_insert_checks_links;
DROP TRIGGER people_update_checks_links;
DROP TRIGGER people_delete_unlinks_them;
DROP INDEX people_manager;
DROP INDEX people_deactivated;

-- The columns leave `people`. SQLite drops a column only when nothing else names it, so first the
-- table's check of status against deactivated_at goes (now on `lifecycle`), edited in place as in
-- version 9.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, ',
    CHECK ((status = ''active'') = (deactivated_at IS NULL))', '')
WHERE type = 'table' AND name = 'people';
PRAGMA writable_schema = RESET;
ALTER TABLE people DROP COLUMN status;
ALTER TABLE people DROP COLUMN deactivated_at;
ALTER TABLE people DROP COLUMN deactivated_by_name;
ALTER TABLE people DROP COLUMN deactivation_reason;
ALTER TABLE people DROP COLUMN manager_id;

CREATE TRIGGER people_insert_checks_links BEFORE INSERT ON people
WHEN new.merged_into_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.merged_into_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a merged-into id names nobody in the workspace');
END;
CREATE TRIGGER people_insert_starts_lifecycle AFTER INSERT ON people BEGIN
    INSERT INTO lifecycle (person) VALUES (new.rowid);
END;
CREATE TRIGGER people_update_checks_links AFTER UPDATE OF merged_into_id ON people
WHEN new.merged_into_id IS NOT NULL AND new.merged_into_id IS NOT old.merged_into_id
     AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.merged_into_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a merged-into id names nobody in the workspace');
END;
CREATE TRIGGER people_delete_unlinks_them AFTER DELETE ON people BEGIN
    DELETE FROM lifecycle WHERE person = old.rowid;
    UPDATE lifecycle SET manager_id = NULL WHERE manager_id = old.id;
    UPDATE people SET merged_into_id = NULL WHERE merged_into_id = old.id;
END;
-- After the row is updated, as in version 18: an update adds and removes nobody.
CREATE TRIGGER lifecycle_checks_manager AFTER UPDATE OF manager_id ON lifecycle
WHEN new.manager_id IS NOT NULL AND new.manager_id IS NOT old.manager_id
     AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.manager_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a manager id names nobody in the workspace');
END;
