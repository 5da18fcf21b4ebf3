-- Each town's buildings per known year, as the (town, year) table <summary> holds
-- them: rows of (level, town_id, county, year_built, n) for positions and medians.
SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, buildings AS n
FROM {summary}
WHERE year_built IS NOT NULL
