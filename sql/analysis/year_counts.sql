-- Buildings per known year built for every town (level 0), county (1) and the
-- state (2, county null), from <per_year>: rows of (town_id, year_built, n).
-- The county and state counts are a few thousand rows rolled up from the towns'.
WITH per_year AS ({per_year})
SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, n
FROM per_year
UNION ALL
SELECT 1 + GROUPING(c.name), NULL::integer, c.name, y.year_built, sum(y.n)
FROM per_year y
JOIN buildings_town t ON t.town_id = y.town_id
JOIN buildings_county c ON c.id = t.county_id
GROUP BY GROUPING SETS ((c.name, y.year_built), (y.year_built))
