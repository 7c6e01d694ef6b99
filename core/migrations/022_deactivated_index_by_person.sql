-- Roster workspace, version 22: the index of the deactivated people's "deactivated by" names and
-- reasons leads with the person. Deleting a person reads every entry of it anyway (a reason that names
-- them can be anywhere in its text, so no lookup by text is possible), so the order of its entries
-- served nothing; keyed by their texts, each of a bulk deactivation's 10,000 entries compared the
-- same name and reason all the way down the index before its row could tell it apart: 31M of
-- deactivating 10,000 people's 850M instructions. Keyed by the person, the first column decides.
DROP INDEX lifecycle_deactivated;
CREATE INDEX lifecycle_deactivated ON lifecycle(person, deactivated_by_name, deactivation_reason)
    WHERE status = 'deactivated';
