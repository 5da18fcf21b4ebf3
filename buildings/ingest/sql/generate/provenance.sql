-- Every town's buildings are now generated with this seed (the plan's towns that got any).
DELETE FROM buildings_provenance;
INSERT INTO buildings_provenance (town_id, origin, seed, files, fy_min, fy_max, loaded_at)
SELECT town_id, 'generated', %(seed)s, NULL, NULL, NULL, now()
FROM ({plan}) AS generator_plan
WHERE last_id >= first_id
  AND (%(towns)s::integer[] IS NULL OR town_id = ANY (%(towns)s::integer[]));
