-- Roster workspace, version 7: the words of the free text people write about each other (reviews,
-- feedback, objectives, 1:1 notes), so that "Delete user and all data" finds the records that name a
-- person without reading every record. Contentless: the text stays only in its own table. A row's
-- rowid is its record's rowid * 8 + the number of its table (1 reviews … 5 private notes); those
-- tables have indexes, so VACUUM keeps their rowids. secure-delete: a removed record's words leave the
-- index at once rather than lingering until segments merge.
CREATE VIRTUAL TABLE mentions USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO mentions (mentions, rank) VALUES ('secure-delete', 1);

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 1, text FROM reviews;
CREATE TRIGGER reviews_mentions_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 1, new.text);
END;
CREATE TRIGGER reviews_mentions_update AFTER UPDATE OF text ON reviews BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 1;
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 1, new.text);
END;
CREATE TRIGGER reviews_mentions_delete AFTER DELETE ON reviews BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 1;
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 2, text FROM feedback;
CREATE TRIGGER feedback_mentions_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 2, new.text);
END;
CREATE TRIGGER feedback_mentions_update AFTER UPDATE OF text ON feedback BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 2;
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 2, new.text);
END;
CREATE TRIGGER feedback_mentions_delete AFTER DELETE ON feedback BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 2;
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 3, title FROM objectives;
CREATE TRIGGER objectives_mentions_insert AFTER INSERT ON objectives BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 3, new.title);
END;
CREATE TRIGGER objectives_mentions_update AFTER UPDATE OF title ON objectives BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 3;
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 3, new.title);
END;
CREATE TRIGGER objectives_mentions_delete AFTER DELETE ON objectives BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 3;
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 4, shared_notes FROM one_on_ones;
CREATE TRIGGER one_on_ones_mentions_insert AFTER INSERT ON one_on_ones BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 4, new.shared_notes);
END;
CREATE TRIGGER one_on_ones_mentions_update AFTER UPDATE OF shared_notes ON one_on_ones BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 4;
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 4, new.shared_notes);
END;
CREATE TRIGGER one_on_ones_mentions_delete AFTER DELETE ON one_on_ones BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 4;
END;

INSERT INTO mentions (rowid, text) SELECT rowid * 8 + 5, text FROM one_on_one_notes;
CREATE TRIGGER one_on_one_notes_mentions_insert AFTER INSERT ON one_on_one_notes BEGIN
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 5, new.text);
END;
CREATE TRIGGER one_on_one_notes_mentions_update AFTER UPDATE OF text ON one_on_one_notes BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 5;
    INSERT INTO mentions (rowid, text) VALUES (new.rowid * 8 + 5, new.text);
END;
CREATE TRIGGER one_on_one_notes_mentions_delete AFTER DELETE ON one_on_one_notes BEGIN
    DELETE FROM mentions WHERE rowid = old.rowid * 8 + 5;
END;
