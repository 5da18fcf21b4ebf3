-- The towns' medians as their shards computed them (all of a town's buildings are
-- on its shard); the counties' and the state's from the year counts of every shard
-- added up (<area_medians>).
SELECT 0 AS level, town_id, NULL::varchar AS county, median_year_built
FROM shard_rows
WHERE level = 0
UNION ALL
SELECT * FROM ({area_medians}) AS area_medians
