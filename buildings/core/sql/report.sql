-- The whole report in one statement: 351 town rows, 14 county rows, 1 state row.
-- Every strategy that computes in PostgreSQL reads through it; only its two
-- sources (and the inputs they read, <inputs>: CTEs or nothing) differ:
-- * <per_town>: per town, the figures that add up (buildings, important, each
--   criterion, important floor area, sum and count of known important values);
-- * <medians>: (level, town_id, county, median_year_built) for the towns (level 0),
--   counties (1) and the state (2).
-- The sql strategy computes both from the buildings (buildings/analysis/strategies/sql.py,
-- buildings/core/sql/medians.sql); the live strategy reads them from the summary the
-- triggers keep (buildings/derived/sql/live/); the materialized view stores the sql variant.
--
-- Shaped for speed (read EXPLAIN ANALYZE before changing it):
-- * counties and the state are GROUPING SETS over the 351 town rows;
-- * the largest important building is one probe per town of the partial index
--   building_important_area_idx (WHERE is_important AND bld_area IS NOT NULL).
WITH {inputs}
per_town AS ({per_town}),
medians AS ({medians}),
towns AS (
    SELECT t.town_id, t.name AS town, c.name AS county, t.population,
           coalesce(p.buildings, 0) AS buildings,
           coalesce(p.important, 0) AS important,
           {criteria_coalesced},
           coalesce(p.important_floor_area, 0) AS important_floor_area,
           coalesce(p.important_value_sum, 0) AS important_value_sum,
           coalesce(p.important_value_n, 0) AS important_value_n
    FROM buildings_town t
    JOIN buildings_county c ON c.id = t.county_id
    LEFT JOIN per_town p ON p.town_id = t.town_id
),
areas AS (
    SELECT GROUPING(town_id) + GROUPING(county) AS level,  -- 0 town, 1 county, 2 state
           town_id, town, county,
           sum(population)::bigint AS population,
           sum(buildings)::bigint AS buildings,
           sum(important)::bigint AS important,
           {criteria_sums},
           sum(important_floor_area)::bigint AS important_floor_area,
           sum(important_value_sum) AS important_value_sum,
           sum(important_value_n)::bigint AS important_value_n
    FROM towns
    GROUP BY GROUPING SETS ((county, town_id, town), (county), ())
),
report AS (
    SELECT a.level,
           CASE a.level WHEN 0 THEN a.town_id::text WHEN 1 THEN a.county ELSE '(state)' END
             AS area_key,
           a.town_id, a.town, a.county, a.population, a.buildings, a.important,
           {criteria_columns},
           round(100::numeric * a.important / NULLIF(a.buildings, 0), 2) AS important_pct,
           a.important_floor_area,
           m.median_year_built,
           round(a.important_value_sum / NULLIF(a.important_value_n, 0))
             AS avg_important_value,
           l.prop_id AS largest_prop_id,
           l.site_addr AS largest_site_addr,
           l.bld_area AS largest_bld_area,
           round(1000::numeric * a.buildings / a.population, 2) AS buildings_per_1000,
           rank() OVER (PARTITION BY a.level ORDER BY a.important DESC) AS rank
    FROM areas a
    LEFT JOIN medians m  -- on one key: a hash join, not a comparison of every pair
      ON (m.level, coalesce(m.town_id::text, m.county, ''))
       = (a.level, CASE a.level WHEN 0 THEN a.town_id::text WHEN 1 THEN a.county ELSE '' END)
    LEFT JOIN LATERAL (
        {largest}
    ) l ON a.level = 0
)
SELECT *
FROM report
WHERE {shown}
ORDER BY level DESC, CASE WHEN level = 1 THEN county END, town_id
