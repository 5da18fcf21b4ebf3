-- The writes of a burst that the database holds after the crash: the numbers at the
-- end of their prop_ids (crash-check-<round>-<n>). Parameter: %(prefix)s.
SELECT substr(prop_id, length(%(prefix)s) + 1)::integer
FROM buildings_building
WHERE prop_id LIKE %(prefix)s || '%%';
