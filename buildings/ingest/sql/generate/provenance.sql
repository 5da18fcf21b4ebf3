-- Every town's buildings are now generated with this seed (the plan's towns that got any).
DELETE FROM buildings_provenance;
INSERT INTO buildings_provenance (town_id, origin, seed, files, fy_min, fy_max, loaded_at)
SELECT town_id, 'generated', %(seed)s, NULL, NULL, NULL, now()
FROM generator_plan
WHERE last_id >= first_id;
