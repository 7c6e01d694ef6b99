-- Roster workspace, version 12: the people who have a "deactivated by" name or a deactivation
-- reason, with both. "Delete user and all data" replaces the deleted person's name and email in
-- them, and read all 100,000 people to find them: 16–25 ms of a deletion's 50 ms budget. The index
-- holds only those texts, so that search reads a few hundred pages.
CREATE INDEX people_deactivation_texts ON people(deactivated_by_name, deactivation_reason)
    WHERE deactivated_by_name IS NOT NULL OR deactivation_reason IS NOT NULL;
