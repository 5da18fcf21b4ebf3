-- Frozen copy of the view report (buildings/core/sql/report.sql and buildings/core/statement.py), as migration 0009_live_summary installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0009
-- The whole report in one statement: 351 town rows, 14 county rows, 1 state row.
-- Every strategy that computes in PostgreSQL reads through it; only its two
-- sources (and the inputs they read, <inputs>: CTEs or nothing) differ:
-- * <per_town>: per town, the figures that add up (buildings, important, each
--   criterion, important floor area, sum and count of known important values);
-- * <medians>: (level, town_id, county, median_year_built) for the towns (level 0),
--   counties (1) and the state (2).
-- The sql strategy computes both from the buildings (buildings/strategies/sql.py,
-- sql/analysis/medians.sql); the live strategy reads them from the summary the
-- triggers keep (sql/summary/); the materialized view stores the sql variant.
--
-- Shaped for speed (read EXPLAIN ANALYZE before changing it):
-- * counties and the state are GROUPING SETS over the 351 town rows;
-- * the largest important building is one probe per town of the partial index
--   building_important_area_idx (WHERE is_important AND bld_area IS NOT NULL).
WITH per_year AS (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT(*) AS "n" FROM "buildings_building" GROUP BY 1, 2), important AS (SELECT "buildings_building"."town_id" AS "town_id", COUNT(*) AS "important", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area"), 0) AS "important_floor_area", SUM("buildings_building"."total_val") AS "important_value_sum", COUNT("buildings_building"."total_val") AS "important_value_n" FROM "buildings_building" WHERE "buildings_building"."is_important" GROUP BY 1),
per_town AS (-- The figures per town that add up, from the sql strategy's two passes (the CTEs
-- per_year and important of the report statement): every building from the year
-- counts, the important ones' figures from their own aggregate.
SELECT y.town_id, y.buildings, i.important, "large", "tall", "historic", "civic", "landmark_value", i.important_floor_area,
       i.important_value_sum, i.important_value_n
FROM (SELECT town_id, sum(n)::bigint AS buildings FROM per_year GROUP BY town_id) AS y
LEFT JOIN important AS i ON i.town_id = y.town_id),
medians AS (SELECT * FROM (-- The continuous median year built (percentile_cont(0.5)) of each area, from how
-- many buildings it has of each known year: <year_counts> gives rows of (level,
-- town_id, county, year_built, n), <partition> the columns that tell its areas
-- apart (all three, or town_id alone for towns, whose year counts then arrive
-- in (town_id, year_built) order and need no sort). Exact for any area (never a median of
-- medians), and cheap: a window over a few rows an area instead of a sort of every
-- building. Used by the sql strategy, the live summary's triggers and its reads.
-- The counts are summed as integers (a count per area and year fits): sum(bigint)
-- would add them as numeric, several times slower.
WITH running AS (
    SELECT level, town_id, county, year_built,
           sum(n::integer) OVER (PARTITION BY "town_id" ORDER BY year_built) AS upto,
           sum(n::integer) OVER (PARTITION BY "town_id") AS known
    FROM (-- Buildings per known year built for every town (level 0), from the report
-- statement's per_year CTE, in its (town_id, year_built) order.
SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, n
FROM per_year
WHERE year_built IS NOT NULL) AS year_counts
    WHERE n > 0
)
SELECT level, town_id, county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY level, town_id, county) AS towns UNION ALL SELECT * FROM (-- The continuous median year built (percentile_cont(0.5)) of each area, from how
-- many buildings it has of each known year: <year_counts> gives rows of (level,
-- town_id, county, year_built, n), <partition> the columns that tell its areas
-- apart (all three, or town_id alone for towns, whose year counts then arrive
-- in (town_id, year_built) order and need no sort). Exact for any area (never a median of
-- medians), and cheap: a window over a few rows an area instead of a sort of every
-- building. Used by the sql strategy, the live summary's triggers and its reads.
-- The counts are summed as integers (a count per area and year fits): sum(bigint)
-- would add them as numeric, several times slower.
WITH running AS (
    SELECT level, town_id, county, year_built,
           sum(n::integer) OVER (PARTITION BY "level", "town_id", "county" ORDER BY year_built) AS upto,
           sum(n::integer) OVER (PARTITION BY "level", "town_id", "county") AS known
    FROM (-- Buildings per known year built for every county (level 1) and the state (2,
-- county null), rolled up from the report statement's per_year CTE: a few
-- thousand rows. (The towns' come from per_year itself.)
SELECT 1 + GROUPING(c.name) AS level, NULL::integer AS town_id, c.name AS county,
       y.year_built, sum(y.n) AS n
FROM per_year y
JOIN buildings_town t ON t.town_id = y.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE y.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, y.year_built), (y.year_built))) AS year_counts
    WHERE n > 0
)
SELECT level, town_id, county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY level, town_id, county) AS areas),
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
    LEFT JOIN medians m  -- on one key: a hash join, not a comparison of every pair
      ON (m.level, coalesce(m.town_id::text, m.county, ''))
       = (a.level, CASE a.level WHEN 0 THEN a.town_id::text WHEN 1 THEN a.county ELSE '' END)
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