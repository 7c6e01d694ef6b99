-- Roster workspace, version 13: the status index holds the status alone. It counts the active and
-- deactivated people (seats, the license); nothing reads people in name order through it any more
-- (the directory sorts in memory, see `directory::index`). Its old key, (status, name, id), made
-- every deactivation move a long, case-folded name key in it: about 10% of deactivating 10,000 people.
DROP INDEX people_status_name;
CREATE INDEX people_status ON people(status);
