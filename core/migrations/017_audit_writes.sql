-- Roster workspace, version 17: what the entries of one write of a change share, its change, time,
-- actor and source, is kept once in `audit_writes`, with the range of entry ids it wrote, instead of in
-- every entry and an index of every entry's change id. One write (in one transaction) numbers its
-- entries one after another, so deactivating 10,000 people with their 11,000 handed-over reports writes
-- one row there, and entries of ~60 bytes instead of ~175 with a 36-character index key each (~6% of
-- that deactivation). The row keeps who wrote the entries, in place of `audit_actors`: a deletion finds
-- and anonymises what a person did there, once.
CREATE TABLE audit_writes (
    id         INTEGER PRIMARY KEY,
    change_id  TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor_id   TEXT,
    actor_name TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source = 'app' OR source = 'cli' OR source = 'import' OR source = 'system'),
    -- The entries written: ids `first` to `last`, both included.
    first      INTEGER NOT NULL,
    last       INTEGER NOT NULL
);
-- The log so far: each run of entries that share all of these, with no other entry in between. (Entries
-- are never deleted, and an import held for review is applied later, in a write of its own.)
INSERT INTO audit_writes (change_id, at, actor_id, actor_name, source, first, last)
    SELECT change_id, at, actor_id, actor_name, source, min(id), max(id)
    FROM (SELECT id, change_id, at, actor_id, actor_name, source,
                 id - row_number() OVER (PARTITION BY change_id, at, actor_id, actor_name, source ORDER BY id) AS run
          FROM audit)
    GROUP BY change_id, at, actor_id, actor_name, source, run
    ORDER BY min(id);
CREATE INDEX audit_writes_change ON audit_writes(change_id);
CREATE INDEX audit_writes_actor ON audit_writes(actor_id) WHERE actor_id IS NOT NULL;

CREATE TABLE audit_new (
    id           INTEGER PRIMARY KEY,
    write_id     INTEGER NOT NULL,
    action       TEXT NOT NULL,
    subject_id   TEXT,
    subject_name TEXT,
    before_text  INTEGER,
    after_text   INTEGER,
    undo_of      TEXT
);
INSERT INTO audit_new (id, write_id, action, subject_id, subject_name, before_text, after_text, undo_of)
    SELECT a.id, w.id, a.action, a.subject_id, a.subject_name, a.before_text, a.after_text, a.undo_of
    FROM audit_writes w CROSS JOIN audit a
    WHERE a.id BETWEEN w.first AND w.last;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_subject ON audit(subject_id, id);
CREATE INDEX audit_action ON audit(action, id);
CREATE INDEX audit_undo_of ON audit(undo_of) WHERE undo_of IS NOT NULL;
DROP TABLE audit_actors;
