-- Roster workspace, version 1.
CREATE TABLE company (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    seats       INTEGER NOT NULL CHECK (seats >= 0),
    created_at  TEXT NOT NULL
);

CREATE TABLE people (
    id                   TEXT PRIMARY KEY,
    first_name           TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    name                 TEXT GENERATED ALWAYS AS (trim(first_name || ' ' || last_name)) STORED,
    email                TEXT NOT NULL COLLATE NOCASE UNIQUE,
    title                TEXT NOT NULL DEFAULT '',
    department           TEXT NOT NULL DEFAULT '',
    location             TEXT NOT NULL DEFAULT '',
    hire_date            TEXT,
    manager_id           TEXT REFERENCES people(id) ON DELETE SET NULL,
    role                 TEXT NOT NULL DEFAULT 'employee' CHECK (role IN ('admin', 'employee')),
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    deactivated_at       TEXT,
    deactivated_by_name  TEXT,
    deactivation_reason  TEXT,
    created_at           TEXT NOT NULL,
    -- lower-cased haystack for search as you type over name, email, title and department
    search               TEXT GENERATED ALWAYS AS (
                             lower(first_name || ' ' || last_name || ' ' || email || ' ' || title || ' ' || department)
                         ) STORED,
    CHECK ((status = 'active') = (deactivated_at IS NULL))
);
CREATE INDEX people_status_name ON people(status, name COLLATE NOCASE, id);
CREATE INDEX people_name ON people(name COLLATE NOCASE, id);
CREATE INDEX people_manager ON people(manager_id);

CREATE TABLE review_cycles (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL
);

-- Authored records keep their row when the author is deleted: the author becomes NULL ("Deleted user").
CREATE TABLE reviews (
    id           TEXT PRIMARY KEY,
    cycle_id     TEXT NOT NULL REFERENCES review_cycles(id),
    subject_id   TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reviewer_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    rating       INTEGER CHECK (rating BETWEEN 1 AND 5),
    text         TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX reviews_subject ON reviews(subject_id);
CREATE INDEX reviews_reviewer ON reviews(reviewer_id);

CREATE TABLE objectives (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    title    TEXT NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('on_track', 'at_risk', 'behind', 'done', 'dropped')),
    progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    due_on   TEXT
);
CREATE INDEX objectives_owner ON objectives(owner_id);

CREATE TABLE feedback (
    id       TEXT PRIMARY KEY,
    to_id    TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    from_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    text     TEXT NOT NULL,
    given_at TEXT NOT NULL
);
CREATE INDEX feedback_to ON feedback(to_id);
CREATE INDEX feedback_from ON feedback(from_id);

CREATE TABLE one_on_ones (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    manager_id   TEXT REFERENCES people(id) ON DELETE SET NULL,
    held_on      TEXT NOT NULL,
    shared_notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX one_on_ones_person ON one_on_ones(person_id);
CREATE INDEX one_on_ones_manager ON one_on_ones(manager_id);

-- Private notes belong to their author: only the author reads them.
CREATE TABLE one_on_one_notes (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES one_on_ones(id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text       TEXT NOT NULL
);
CREATE INDEX one_on_one_notes_meeting ON one_on_one_notes(meeting_id);

-- Every change, written in the same transaction as the change itself.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    change_id    TEXT NOT NULL,
    actor_id     TEXT,
    actor_name   TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('app', 'cli', 'import', 'system')),
    action       TEXT NOT NULL,
    subject_id   TEXT,
    subject_name TEXT,
    before       TEXT,
    after        TEXT
);
CREATE INDEX audit_subject ON audit(subject_id, id);
CREATE INDEX audit_change ON audit(change_id);
CREATE INDEX audit_action ON audit(action, id);
