-- Roster workspace, version 9: a person's manager and the person they were merged into are kept
-- right by triggers instead of foreign keys. A foreign key from `people` to `people` made SQLite
-- rewrite every index of a person whose manager changed (all seven, not just `people_manager`): the
-- handover of 10,000 reports took 250 ms instead of 70. The triggers keep the same rules: such an id
-- names someone in the workspace, and deleting a person clears it wherever it named them.
--
-- Removing a foreign key leaves every stored row as it is, so this edits the table's definition in
-- place, SQLite's documented way for such a change (lang_altertable.html, "other kinds of table
-- schema changes"), rather than copying 100,000 people into a new table.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(
    replace(sql, 'manager_id           TEXT REFERENCES people(id) ON DELETE SET NULL,', 'manager_id           TEXT,'),
    'merged_into_id TEXT REFERENCES people(id) ON DELETE SET NULL,', 'merged_into_id TEXT,')
WHERE type = 'table' AND name = 'people';
PRAGMA writable_schema = RESET;

CREATE TRIGGER people_insert_checks_links BEFORE INSERT ON people
WHEN (new.manager_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.manager_id))
  OR (new.merged_into_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.merged_into_id))
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a manager or merged-into id names nobody in the workspace');
END;
CREATE TRIGGER people_update_checks_links BEFORE UPDATE OF manager_id, merged_into_id ON people
WHEN (new.manager_id IS NOT NULL AND new.manager_id IS NOT old.manager_id
      AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.manager_id))
  OR (new.merged_into_id IS NOT NULL AND new.merged_into_id IS NOT old.merged_into_id
      AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.merged_into_id))
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a manager or merged-into id names nobody in the workspace');
END;
CREATE TRIGGER people_delete_unlinks_them AFTER DELETE ON people BEGIN
    UPDATE people SET manager_id = NULL WHERE manager_id = old.id;
    UPDATE people SET merged_into_id = NULL WHERE merged_into_id = old.id;
END;
