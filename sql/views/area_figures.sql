-- One row per county and one for the state (county null, area_key '(state)'),
-- rolled up from the per-town-and-year counts with GROUPING SETS; the medians
-- come from per-area year counts, never from medians of towns.
WITH by_area_year AS (
    SELECT c.name AS county,
           GROUPING(c.name) AS is_state,
           y.year_key,
           sum(y.buildings)::bigint AS buildings,
           sum(y.important)::bigint AS important,
           {criteria_sums},
           sum(y.important_floor_area)::bigint AS important_floor_area,
           sum(y.important_value_sum) AS important_value_sum,
           sum(y.important_value_n)::bigint AS important_value_n
    FROM buildings_town_year_mv y
    JOIN buildings_town t ON t.town_id = y.town_id
    JOIN buildings_county c ON c.id = t.county_id
    GROUP BY GROUPING SETS ((c.name, y.year_key), (y.year_key))
),
per_area AS (
    SELECT county, is_state,
           sum(buildings)::bigint AS buildings,
           sum(important)::bigint AS important,
           {criteria_sums},
           sum(important_floor_area)::bigint AS important_floor_area,
           sum(important_value_sum) AS important_value_sum,
           sum(important_value_n)::bigint AS important_value_n
    FROM by_area_year
    GROUP BY county, is_state
),
running AS (
    SELECT county, is_state, year_key,
           sum(buildings) OVER (PARTITION BY is_state, county ORDER BY year_key) AS upto,
           sum(buildings) OVER (PARTITION BY is_state, county) AS known
    FROM by_area_year
    WHERE year_key > 0
),
medians AS (
    SELECT county, is_state,
           ((min(year_key) FILTER (WHERE upto > (known::bigint - 1) / 2)
             + min(year_key) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
             AS median_year_built
    FROM running
    GROUP BY county, is_state
),
populations AS (
    SELECT c.name AS county, GROUPING(c.name) AS is_state, sum(t.population)::bigint AS population
    FROM buildings_town t
    JOIN buildings_county c ON c.id = t.county_id
    GROUP BY GROUPING SETS ((c.name), ())
)
SELECT coalesce(pop.county, '(state)') AS area_key,
       pop.county,
       pop.population,
       coalesce(a.buildings, 0) AS buildings,
       coalesce(a.important, 0) AS important,
       {criteria_coalesced},
       round(100::numeric * a.important / NULLIF(a.buildings, 0), 2) AS important_pct,
       coalesce(a.important_floor_area, 0) AS important_floor_area,
       m.median_year_built,
       round(a.important_value_sum / NULLIF(a.important_value_n, 0)) AS avg_important_value
FROM populations pop
LEFT JOIN per_area a ON a.is_state = pop.is_state AND a.county IS NOT DISTINCT FROM pop.county
LEFT JOIN medians m ON m.is_state = pop.is_state AND m.county IS NOT DISTINCT FROM pop.county
