-- The medians the live summary gives: each town's as its triggers keep it, the
-- counties' and the state's from their year counts (a few thousand rows).
SELECT 0 AS level, town_id::integer AS town_id, NULL::varchar AS county, median_year_built
FROM buildings_summary_town
UNION ALL
SELECT * FROM ({area_medians}) AS area_medians
