-- Roster workspace, version 11: the mentions index forgets a record's words the moment the record
-- changes or goes, and never merges its big segments inside someone's change.
--
-- Version 7 made it contentless_delete. There, deleting a row only marks its rowid deleted (a
-- tombstone): FTS5 does not know a contentless row's words. The words stayed in the index's pages
-- until a merge rewrote them, which in a large workspace came only after many deletions: a deleted
-- person's name stayed in the file meanwhile. Now the triggers hand FTS5 the old words with the
-- 'delete' command, and secure-delete removes them at once. The index is built again from the
-- records, so the words left behind so far go as well.
--
-- That merge was also slow: with FTS5's default automerge, after ~20 deletions of people with 1,000
-- records, one deletion merged the big segments and took 300–850 ms instead of ~35. Without
-- automerge only FTS5's crisis merge runs (16 small segments of a level at once). The index is read
-- only by "Delete user and all data", which finds a person's words in every segment alike.
DROP TABLE mentions;
CREATE VIRTUAL TABLE mentions USING fts5(
    text, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO mentions (mentions, rank) VALUES ('secure-delete', 1);
INSERT INTO mentions (mentions, rank) VALUES ('automerge', 0);

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 1, text FROM reviews;
DROP TRIGGER reviews_mentions_update;
CREATE TRIGGER reviews_mentions_update AFTER UPDATE OF text ON reviews BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 1, old.text);
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 1, new.text);
END;
DROP TRIGGER reviews_mentions_delete;
CREATE TRIGGER reviews_mentions_delete AFTER DELETE ON reviews BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 1, old.text);
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 2, text FROM feedback;
DROP TRIGGER feedback_mentions_update;
CREATE TRIGGER feedback_mentions_update AFTER UPDATE OF text ON feedback BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 2, old.text);
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 2, new.text);
END;
DROP TRIGGER feedback_mentions_delete;
CREATE TRIGGER feedback_mentions_delete AFTER DELETE ON feedback BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 2, old.text);
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 3, title FROM objectives;
DROP TRIGGER objectives_mentions_update;
CREATE TRIGGER objectives_mentions_update AFTER UPDATE OF title ON objectives BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 3, old.title);
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 3, new.title);
END;
DROP TRIGGER objectives_mentions_delete;
CREATE TRIGGER objectives_mentions_delete AFTER DELETE ON objectives BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 3, old.title);
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 4, shared_notes FROM one_on_ones;
DROP TRIGGER one_on_ones_mentions_update;
CREATE TRIGGER one_on_ones_mentions_update AFTER UPDATE OF shared_notes ON one_on_ones BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 4, old.shared_notes);
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 4, new.shared_notes);
END;
DROP TRIGGER one_on_ones_mentions_delete;
CREATE TRIGGER one_on_ones_mentions_delete AFTER DELETE ON one_on_ones BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 4, old.shared_notes);
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 5, text FROM one_on_one_notes;
DROP TRIGGER one_on_one_notes_mentions_update;
CREATE TRIGGER one_on_one_notes_mentions_update AFTER UPDATE OF text ON one_on_one_notes BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 5, old.text);
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 5, new.text);
END;
DROP TRIGGER one_on_one_notes_mentions_delete;
CREATE TRIGGER one_on_one_notes_mentions_delete AFTER DELETE ON one_on_one_notes BEGIN
    INSERT INTO mentions (mentions, rowid, text) VALUES ('delete', old.rowid * 8 + 5, old.text);
END;
