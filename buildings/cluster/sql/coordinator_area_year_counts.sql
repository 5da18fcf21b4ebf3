-- Buildings per known year for each county (level 1) and the state (2): the sum of
-- the shards' counts (a county's towns may be on several shards).
SELECT level, NULL::integer AS town_id, county, year_built, sum(n) AS n
FROM shard_rows
WHERE level > 0
GROUP BY level, county, year_built
