-- Frozen copy of the view report (buildings/core/sql/report.sql and buildings/core/statement.py), as migration 0005_analysis_indexes installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0005
-- The whole report in one statement: 351 town rows, 14 county rows, 1 state row.
-- The sql strategy runs it; the materialized view buildings_report_mv stores it.
--
-- Shaped for speed (read EXPLAIN ANALYZE before changing it):
-- * the buildings are aggregated by town_id BEFORE anything is joined, so the scan
--   and the partial aggregates run in PostgreSQL's parallel workers (per_town and
--   per_year are ORM querysets, compiled by buildings/strategies/sql.py);
-- * the medians come from counts per (town, year) rather than percentile_cont,
--   an ordered-set aggregate that would block parallelism and sort every building;
--   the counts roll up to counties and the state, so their medians are exact
--   (over all their buildings, never a median of medians);
-- * counties and the state are GROUPING SETS over the 351 town rows;
-- * the largest important building is one probe per town of the partial index
--   building_important_area_idx (WHERE is_important AND bld_area IS NOT NULL).
WITH per_town AS (SELECT "buildings_building"."town_id" AS "town_id", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM "buildings_building" GROUP BY 1),
per_year AS (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT(*) AS "n" FROM "buildings_building" WHERE "buildings_building"."year_built" IS NOT NULL GROUP BY 1, 2),
towns AS (
    SELECT t.town_id, t.name AS town, c.name AS county, t.population,
           coalesce(p.buildings, 0) AS buildings,
           coalesce(p.important, 0) AS important,
           coalesce("large", 0) AS "large", coalesce("tall", 0) AS "tall", coalesce("historic", 0) AS "historic", coalesce("civic", 0) AS "civic", coalesce("landmark_value", 0) AS "landmark_value",
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
           sum("large")::bigint AS "large", sum("tall")::bigint AS "tall", sum("historic")::bigint AS "historic", sum("civic")::bigint AS "civic", sum("landmark_value")::bigint AS "landmark_value",
           sum(important_floor_area)::bigint AS important_floor_area,
           sum(important_value_sum) AS important_value_sum,
           sum(important_value_n)::bigint AS important_value_n
    FROM towns
    GROUP BY GROUPING SETS ((county, town_id, town), (county), ())
),
town_running AS (
    -- per_year arrives sorted by (town_id, year_built): the windows need no sort
    SELECT 0 AS level, town_id, NULL::varchar AS county, year_built,
           sum(n) OVER (PARTITION BY town_id ORDER BY year_built) AS upto,
           sum(n) OVER (PARTITION BY town_id) AS known
    FROM per_year
),
rollup_years AS (
    -- the same counts for counties and the state: a few thousand rows
    SELECT 1 + GROUPING(c.name) AS level, c.name AS county, y.year_built, sum(y.n) AS n
    FROM per_year y
    JOIN buildings_town t ON t.town_id = y.town_id
    JOIN buildings_county c ON c.id = t.county_id
    GROUP BY GROUPING SETS ((c.name, y.year_built), (y.year_built))
),
running AS (
    SELECT * FROM town_running
    UNION ALL
    SELECT level, NULL::integer, county, year_built,
           sum(n) OVER (PARTITION BY level, county ORDER BY year_built),
           sum(n) OVER (PARTITION BY level, county)
    FROM rollup_years
),
medians AS (
    SELECT level, town_id, county,
           ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
             + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
             AS median_year_built
    FROM running
    GROUP BY level, town_id, county
),
report AS (
    SELECT a.level,
           CASE a.level WHEN 0 THEN a.town_id::text WHEN 1 THEN a.county ELSE '(state)' END
             AS area_key,
           a.town_id, a.town, a.county, a.population, a.buildings, a.important,
           "large", "tall", "historic", "civic", "landmark_value",
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
    LEFT JOIN medians m
      ON m.level = a.level
     AND CASE a.level WHEN 0 THEN m.town_id = a.town_id
                      WHEN 1 THEN m.county = a.county
                      ELSE true END
    LEFT JOIN LATERAL (
        SELECT buildings_building.prop_id, buildings_building.site_addr,
               buildings_building.bld_area
        FROM buildings_building
        WHERE buildings_building.town_id = a.town_id
          AND buildings_building.is_important
          AND buildings_building.bld_area IS NOT NULL
        ORDER BY buildings_building.bld_area DESC, buildings_building.id
        LIMIT 1
    ) l ON a.level = 0
)
SELECT *
FROM report
WHERE true
ORDER BY level DESC, CASE WHEN level = 1 THEN county END, town_id