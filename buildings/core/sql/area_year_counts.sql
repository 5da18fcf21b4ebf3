-- Buildings per known year built for every county (level 1) and the state (2,
-- county null), rolled up from the report statement's per_year CTE: a few
-- thousand rows. (The towns' come from per_year itself.)
SELECT 1 + GROUPING(c.name) AS level, NULL::integer AS town_id, c.name AS county,
       y.year_built, sum(y.n) AS n
FROM per_year y
JOIN buildings_town t ON t.town_id = y.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE y.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, y.year_built), (y.year_built))
