-- --replace: the towns present in the files lose their buildings first.
DELETE FROM buildings_building
WHERE town_id IN (SELECT DISTINCT town_id FROM {clean} WHERE town_id IS NOT NULL);
