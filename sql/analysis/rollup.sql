-- County and state figures in one pass over the buildings: GROUPING SETS
-- ((county), ()) yields one row per county and one for the state (county null),
-- each computed over all of its buildings (the state median is not a median of
-- medians). The criteria placeholders are filled from buildings/criteria.py by
-- buildings/sql.py.
WITH figures AS (
    SELECT c.name AS county,
           GROUPING(c.name) AS is_state,
           count(*) AS buildings,
           count(*) FILTER (WHERE {important}) AS important,
           {criteria_counts},
           coalesce(sum(buildings_building.bld_area) FILTER (WHERE {important}), 0)
             AS important_floor_area,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY buildings_building.year_built)
             AS median_year_built,
           round(avg(buildings_building.total_val) FILTER (WHERE {important}))
             AS avg_important_value
    FROM buildings_building
    JOIN buildings_town t ON t.town_id = buildings_building.town_id
    JOIN buildings_county c ON c.id = t.county_id
    GROUP BY GROUPING SETS ((c.name), ())
),
populations AS (
    SELECT c.name AS county, GROUPING(c.name) AS is_state, sum(t.population) AS population
    FROM buildings_town t
    JOIN buildings_county c ON c.id = t.county_id
    GROUP BY GROUPING SETS ((c.name), ())
)
SELECT p.county,
       p.population,
       coalesce(f.buildings, 0) AS buildings,
       coalesce(f.important, 0) AS important,
       {criteria_coalesced},
       round(100.0 * f.important / NULLIF(f.buildings, 0), 2) AS important_pct,
       coalesce(f.important_floor_area, 0) AS important_floor_area,
       f.median_year_built,
       f.avg_important_value
FROM populations p
LEFT JOIN figures f ON f.is_state = p.is_state AND f.county IS NOT DISTINCT FROM p.county
ORDER BY p.is_state DESC, p.county;
