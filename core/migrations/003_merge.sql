-- Roster workspace, version 3: employee IDs, and merging two accounts into one.

ALTER TABLE people ADD COLUMN employee_id TEXT;
CREATE UNIQUE INDEX people_employee_id ON people(employee_id COLLATE NOCASE) WHERE employee_id IS NOT NULL;

-- A merged-away account: deactivated, with a link to the account that was kept.
ALTER TABLE people ADD COLUMN merged_into_id TEXT REFERENCES people(id) ON DELETE SET NULL;
-- The old emails and employee IDs of merged-away accounts, lower-cased, for search as you type.
ALTER TABLE people ADD COLUMN alias_search TEXT NOT NULL DEFAULT '';

-- Old emails and employee IDs that now mean another person: lookups (sign-in, search, rosterctl, the
-- HRIS import) find the account that was kept, and nobody can take them for a new account.
CREATE TABLE aliases (
    kind      TEXT NOT NULL CHECK (kind IN ('email', 'employee_id')),
    value     TEXT NOT NULL COLLATE NOCASE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value)
);
CREATE INDEX aliases_person ON aliases(person_id);
