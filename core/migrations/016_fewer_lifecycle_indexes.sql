-- Roster workspace, version 16: a deactivation writes to two indexes fewer, per person and per entry
-- (each took ~6% of deactivating 10,000 people with their 11,000 handed-over reports).
--
-- The deactivated people, with the texts of their deactivation, in one index instead of two. The
-- status index held everyone, so every deactivation and reactivation moved a key in it; this one holds
-- only the deactivated (who, with a "deactivated by" name and a reason, are the only people with those
-- texts: every reactivation clears them). It counts them, and "Delete user and all data" finds the
-- texts that name someone in it. The active are everyone else: `license::counts_tx`.
DROP INDEX people_status;
DROP INDEX people_deactivation_texts;
CREATE INDEX people_deactivated ON people(deactivated_by_name, deactivation_reason) WHERE status = 'deactivated';

-- Who made each change, once per change instead of once per entry in an index of the log: a deletion
-- finds the entries a person made through their changes. An import or a bulk change writes thousands
-- of entries with one actor.
CREATE TABLE audit_actors (
    actor_id  TEXT NOT NULL,
    change_id TEXT NOT NULL,
    PRIMARY KEY (actor_id, change_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO audit_actors (actor_id, change_id) SELECT actor_id, change_id FROM audit WHERE actor_id IS NOT NULL;
DROP INDEX audit_actor;
