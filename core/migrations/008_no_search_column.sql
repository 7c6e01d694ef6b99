-- Roster workspace, version 8: `people.search` goes. Search as you type looks through the directory's
-- index in memory (name, email, aliases; titles and departments once each), so the stored copy of
-- those fields was read by nothing, yet recomputed and rewritten with every change to a person.
ALTER TABLE people DROP COLUMN search;
