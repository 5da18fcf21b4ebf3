-- --replace: the towns present in the files lose their buildings first.
DELETE FROM buildings_building
WHERE town_id IN (SELECT town_id FROM {tally} WHERE town_id IS NOT NULL);
