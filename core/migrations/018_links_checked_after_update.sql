-- Roster workspace, version 18: the check that a changed manager or merged-into id names someone in
-- the workspace runs after each row is updated instead of before. After a BEFORE trigger SQLite reads
-- the row again, in case the trigger changed it; this one never does. An update adds and removes
-- nobody, so the check finds the same people either way and refuses the same ids (11% of handing over
-- 11,000 direct reports, and of an import's manager changes). Inserts keep their check before: there,
-- after, a new person would find themselves.
DROP TRIGGER people_update_checks_links;
CREATE TRIGGER people_update_checks_links AFTER UPDATE OF manager_id, merged_into_id ON people
WHEN (new.manager_id IS NOT NULL AND new.manager_id IS NOT old.manager_id
      AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.manager_id))
  OR (new.merged_into_id IS NOT NULL AND new.merged_into_id IS NOT old.merged_into_id
      AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.merged_into_id))
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a manager or merged-into id names nobody in the workspace');
END;
