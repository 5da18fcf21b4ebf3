-- Frozen copy of buildings/cluster/sql/shard_report.sql (composed by buildings/cluster/report.py), as migration 0013_cluster installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0013
-- What a shard serves its coordinator: the two sources of the report statement for
-- the towns it holds, as aggregates only, in one relation per kind so that one
-- remote query a shard brings everything in (buildings/cluster/).
-- * level 0, one row a town it holds: the sums that add up, the town's median year
--   built, its largest important building (a town lives wholly on one shard, so
--   all three are final here);
-- * levels 1 (a county) and 2 (the state): buildings per known year built among
--   the towns it holds; the coordinator adds the shards' counts up and takes the
--   medians of the sums.
-- A function behind the views: the views then depend on it, not on the columns of
-- the buildings and the summary, which a change of the criteria alters in its
-- migration before it installs this file again. Its search_path is the one it was
-- installed with: postgres_fdw's remote sessions search pg_catalog alone.
-- Placeholders: <columns>, the result's columns; <sql_rows>, from the buildings (the
-- sql strategy's sources); <live_rows>, from the live summary.
CREATE OR REPLACE FUNCTION buildings_shard_report(kind text)
RETURNS TABLE ("level" integer, "town_id" integer, "county" varchar, "year_built" integer, "n" bigint, "buildings" bigint, "important" bigint, "large" bigint, "tall" bigint, "historic" bigint, "civic" bigint, "landmark_value" bigint, "important_floor_area" bigint, "important_value_sum" numeric, "important_value_n" bigint, "median_year_built" float8, "largest_prop_id" varchar, "largest_site_addr" varchar, "largest_bld_area" integer)
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $function$
#variable_conflict use_column
BEGIN
    IF kind = 'sql' THEN
        RETURN QUERY -- The shard's towns and its counties' and state's year counts, from the buildings:
-- the sql strategy's sources (<inputs>, <per_town>, <town_medians>,
-- <area_year_counts>), the largest important building probed as the report does
-- (<largest>, on the town `a`). <figures> and <empty>: the figure columns, and as
-- many nulls.
WITH per_year AS (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT(*) AS "n" FROM "buildings_building" GROUP BY 1, 2), important AS (SELECT "buildings_building"."town_id" AS "town_id", COUNT(*) AS "important", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."town_id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area"), 0) AS "important_floor_area", SUM("buildings_building"."total_val") AS "important_value_sum", COUNT("buildings_building"."total_val") AS "important_value_n" FROM "buildings_building" WHERE "buildings_building"."is_important" GROUP BY 1),
per_town AS (-- The figures per town that add up, from the sql strategy's two passes (the CTEs
-- per_year and important of the report statement): every building from the year
-- counts, the important ones' figures from their own aggregate.
SELECT y.town_id, y.buildings, i.important, "large", "tall", "historic", "civic", "landmark_value", i.important_floor_area,
       i.important_value_sum, i.important_value_n
FROM (SELECT town_id, sum(n)::bigint AS buildings FROM per_year GROUP BY town_id) AS y
LEFT JOIN important AS i ON i.town_id = y.town_id),
town_medians AS (-- The continuous median year built (percentile_cont(0.5)) of each area, from how
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
GROUP BY level, town_id, county)
SELECT 0, a.town_id::integer, NULL::varchar, NULL::integer, NULL::bigint, a."buildings"::bigint, a."important"::bigint, a."large"::bigint, a."tall"::bigint, a."historic"::bigint, a."civic"::bigint, a."landmark_value"::bigint, a."important_floor_area"::bigint, a."important_value_sum"::numeric, a."important_value_n"::bigint,
       m.median_year_built::float8, l.prop_id::varchar, l.site_addr::varchar,
       l.bld_area::integer
FROM per_town a
LEFT JOIN town_medians m ON m.town_id = a.town_id
LEFT JOIN LATERAL (SELECT buildings_building.prop_id, buildings_building.site_addr,
               buildings_building.bld_area
        FROM buildings_building
        WHERE buildings_building.town_id = a.town_id
          AND buildings_building.is_important
          AND buildings_building.bld_area IS NOT NULL
        ORDER BY buildings_building.bld_area DESC, buildings_building.id
        LIMIT 1) l ON true
UNION ALL
SELECT y.level::integer, NULL::integer, y.county::varchar, y.year_built::integer, y.n::bigint,
       NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::numeric, NULL::bigint, NULL::float8, NULL::varchar, NULL::varchar, NULL::integer
FROM (-- Buildings per known year built for every county (level 1) and the state (2,
-- county null), rolled up from the report statement's per_year CTE: a few
-- thousand rows. (The towns' come from per_year itself.)
SELECT 1 + GROUPING(c.name) AS level, NULL::integer AS town_id, c.name AS county,
       y.year_built, sum(y.n) AS n
FROM per_year y
JOIN buildings_town t ON t.town_id = y.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE y.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, y.year_built), (y.year_built))) AS y;
    ELSE
        RETURN QUERY -- The same rows as town_rows_sql.sql, from the live summary: the towns' sums and
-- medians as the triggers keep them, the counties' and state's year counts.
SELECT 0, a.town_id::integer, NULL::varchar, NULL::integer, NULL::bigint, a."buildings"::bigint, a."important"::bigint, a."large"::bigint, a."tall"::bigint, a."historic"::bigint, a."civic"::bigint, a."landmark_value"::bigint, a."important_floor_area"::bigint, a."important_value_sum"::numeric, a."important_value_n"::bigint,
       a.median_year_built::float8, l.prop_id::varchar, l.site_addr::varchar,
       l.bld_area::integer
FROM buildings_summary_town a
LEFT JOIN LATERAL (SELECT buildings_building.prop_id, buildings_building.site_addr,
               buildings_building.bld_area
        FROM buildings_building
        WHERE buildings_building.town_id = a.town_id
          AND buildings_building.is_important
          AND buildings_building.bld_area IS NOT NULL
        ORDER BY buildings_building.bld_area DESC, buildings_building.id
        LIMIT 1) l ON true
UNION ALL
SELECT y.level::integer, NULL::integer, y.county::varchar, y.year_built::integer, y.n::bigint,
       NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::numeric, NULL::bigint, NULL::float8, NULL::varchar, NULL::varchar, NULL::integer
FROM buildings_summary_area_year AS y;
    END IF;
END;
$function$;

CREATE OR REPLACE VIEW buildings_shard_report_sql AS
SELECT * FROM buildings_shard_report('sql');

CREATE OR REPLACE VIEW buildings_shard_report_live AS
SELECT * FROM buildings_shard_report('live');

-- What the coordinator's pages are kept under: the shard's data version, the
-- transactions that last wrote it, and whether it holds any building.
CREATE OR REPLACE VIEW buildings_shard_version AS
SELECT sum(data_version)::bigint AS data_version,
       md5(string_agg(xmin::text, ',' ORDER BY slot)) AS written_by,
       max(changed_at) AS changed_at,
       EXISTS (SELECT FROM buildings_building) AS has_buildings
FROM buildings_writeslot