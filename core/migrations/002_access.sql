-- Roster workspace, version 2: sign-in, password codes, mail, subscription, review cycles.

ALTER TABLE people ADD COLUMN password_hash TEXT;        -- argon2id PHC string; NULL: no password yet

-- One row per signed-in window. Only a hash of the token is kept.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions(person_id);

-- Wrong passwords and wrong codes, per email, for the backoff.
CREATE TABLE failed_attempts (
    kind      TEXT NOT NULL CHECK (kind IN ('password', 'code')),
    email     TEXT NOT NULL COLLATE NOCASE,
    failures  INTEGER NOT NULL,
    last_at   TEXT NOT NULL,
    PRIMARY KEY (kind, email)
);

-- One-time codes to set a password. Only a hash is kept; a newer code supersedes older ones.
CREATE TABLE password_codes (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    code_hash     TEXT NOT NULL,
    purpose       TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    superseded_at TEXT
);
CREATE INDEX password_codes_person ON password_codes(person_id);

-- Workspace settings (idle timeout, SMTP server without its password, which lives in the OS keyring).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every mail Roster writes. 'outbox': no SMTP server set, shown to the admin to hand over;
-- 'pending': to be sent; 'failed': kept with its error and retried; 'sent'.
CREATE TABLE mail (
    id           TEXT PRIMARY KEY,
    person_id    TEXT REFERENCES people(id) ON DELETE CASCADE,
    to_address   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('outbox', 'pending', 'failed', 'sent')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    sent_at      TEXT
);
CREATE INDEX mail_status ON mail(status, created_at);

-- The subscription: the license's seats (company.seats) are paid until active_until (a date).
ALTER TABLE company ADD COLUMN plan TEXT NOT NULL DEFAULT 'Business';
ALTER TABLE company ADD COLUMN active_until TEXT;
UPDATE company SET active_until = date('now', '+365 days');  -- workspaces from version 1 start with a year

-- Review cycles are drafted, then started (which creates a pending review per participant), then closed.
ALTER TABLE review_cycles ADD COLUMN status TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('draft', 'active', 'closed'));
ALTER TABLE review_cycles ADD COLUMN created_at TEXT;
CREATE TABLE cycle_participants (
    cycle_id  TEXT NOT NULL REFERENCES review_cycles(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (cycle_id, person_id)
);

-- Reviews of a started cycle are pending until written: text and submitted_at become optional.
CREATE TABLE reviews_v2 (
    id           TEXT PRIMARY KEY,
    cycle_id     TEXT NOT NULL REFERENCES review_cycles(id),
    subject_id   TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reviewer_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    rating       INTEGER CHECK (rating BETWEEN 1 AND 5),
    text         TEXT,
    submitted_at TEXT,
    CHECK ((submitted_at IS NULL) = (text IS NULL))
);
INSERT INTO reviews_v2 SELECT id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_v2 RENAME TO reviews;
CREATE INDEX reviews_subject ON reviews(subject_id);
CREATE INDEX reviews_reviewer ON reviews(reviewer_id);
CREATE INDEX reviews_cycle ON reviews(cycle_id);
