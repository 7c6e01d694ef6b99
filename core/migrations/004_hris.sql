-- Roster workspace, version 4: the HRIS feed (sources, runs), sync holds, and the HRIS's fields.

ALTER TABLE people ADD COLUMN gender TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN team TEXT NOT NULL DEFAULT '';

-- "Keep active until DATE — reason": until then no import deactivates the person.
CREATE TABLE sync_holds (
    person_id  TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    until      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- The HRIS source (one per workspace): a local folder or an SFTP server, the file pattern, how to read
-- the file (mapping, fallback encoding), what to do with people missing from it, the safeguard, and
-- the "Run automatic imports" switch. Secrets (SFTP password, key passphrase) live in the OS keyring.
CREATE TABLE import_source (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    kind               TEXT NOT NULL DEFAULT 'folder' CHECK (kind IN ('folder', 'sftp')),
    folder             TEXT,
    pattern            TEXT NOT NULL DEFAULT '*.csv',
    host               TEXT,
    port               INTEGER,
    username           TEXT,
    key_path           TEXT,
    remote_folder      TEXT,
    host_key           TEXT,            -- pinned "SHA256:…" fingerprint, accepted once by an admin
    missing            TEXT NOT NULL DEFAULT 'partial' CHECK (missing IN ('partial', 'full')),
    fallback_encoding  TEXT NOT NULL DEFAULT 'windows-1252',
    mapping            TEXT,            -- JSON column mapping for exports that are not the template
    automatic          INTEGER NOT NULL DEFAULT 0,
    interval_minutes   INTEGER NOT NULL DEFAULT 60,
    threshold_percent  INTEGER NOT NULL DEFAULT 10
);

-- Every import: automatic or manual, its file, its plan, and what became of it.
CREATE TABLE import_runs (
    id          TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    trigger     TEXT NOT NULL CHECK (trigger IN ('automatic', 'manual', 'cli')),
    source      TEXT NOT NULL,
    file_name   TEXT,
    file_hash   TEXT,
    rows        INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('applied', 'no_changes', 'held', 'discarded', 'failed', 'running')),
    message     TEXT,
    plan        TEXT,   -- JSON of the plan, row errors included
    counts      TEXT    -- JSON: created, updated, deactivated, reactivated, unchanged, held, skipped, errors
);
CREATE INDEX import_runs_started ON import_runs(started_at);
