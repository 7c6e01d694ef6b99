-- Roster workspace, version 5: an import held for review keeps its file, so that an admin can apply it
-- (planned again against the people as they are then) or discard it. Dropped once decided.
ALTER TABLE import_runs ADD COLUMN file BLOB;
