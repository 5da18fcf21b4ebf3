-- Buildings per known year built for every town (level 0), from the report
-- statement's per_year CTE, in its (town_id, year_built) order.
SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, n
FROM per_year
WHERE year_built IS NOT NULL
