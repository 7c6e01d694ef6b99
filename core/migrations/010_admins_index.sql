-- Roster workspace, version 10: the admins, in the order they were added. Every deactivation checks
-- that an active admin remains, and `rosterctl` acts as the first one; both used to read every
-- active person (~100 ms at 100,000 people) to find the few admins.
CREATE INDEX people_admins ON people(created_at, id) WHERE role = 'admin';
