-- Frozen copy of buildings/derived/sql/live/triggers.sql (composed by buildings/derived/live_summary.py), as migration 0009_live_summary installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0009
-- The live summary: buildings_summary (per town and year built, null its own group),
-- buildings_summary_town (per town, with its median year built) and
-- buildings_summary_area_year (known years per county and for the state), kept
-- current by statement-level AFTER triggers on the buildings. Each statement's
-- changes arrive as transition tables (new_rows, old_rows), are summed once per
-- (town, year) into buildings_summary_delta, and added to the three tables by
-- upserts in key order (so two writers never deadlock on them, and concurrent
-- deltas add up: nothing is lost). Then the median of each town the statement
-- touched is recomputed, in a statement of its own: it reads what every writer
-- before it committed. TRUNCATE empties the summary. Bulk loads (the generator,
-- the import) disable these triggers and rebuild the summary in one pass instead
-- (buildings/summary.py).
--
-- Placeholders, from the criteria registry through buildings/summary.py:
-- <of_new> and <of_old>, the summary of the transition tables; <figure_columns>,
-- <figure_negated>, <figure_sums>, <figure_adds>; <town_medians>, the medians of
-- the towns listed in buildings_summary_delta; <rebuild>, sql/summary/rebuild.sql.
CREATE OR REPLACE FUNCTION buildings_summary_apply() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    -- once a session; no ON COMMIT DELETE ROWS: truncating it at every commit would
    -- double the cost of a one-row update (the DELETE below empties it instead)
    IF to_regclass('pg_temp.buildings_summary_delta') IS NULL THEN
        CREATE TEMP TABLE buildings_summary_delta AS
            SELECT town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n" FROM buildings_summary WITH NO DATA;
    END IF;
    DELETE FROM buildings_summary_delta;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO buildings_summary_delta (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM new_rows AS "buildings_building" GROUP BY 1, 2) AS of_new;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO buildings_summary_delta (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT town_id, year_built, -"buildings" AS "buildings", -"important" AS "important", -"large" AS "large", -"tall" AS "tall", -"historic" AS "historic", -"civic" AS "civic", -"landmark_value" AS "landmark_value", -"important_floor_area" AS "important_floor_area", -"important_value_sum" AS "important_value_sum", -"important_value_n" AS "important_value_n" FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM old_rows AS "buildings_building" GROUP BY 1, 2) AS of_old;
    END IF;

    WITH net AS (
        SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n"
        FROM buildings_summary_delta
        GROUP BY town_id, year_built
    ),
    by_year AS (
        INSERT INTO buildings_summary AS s (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT * FROM net ORDER BY town_id, year_built NULLS FIRST
        ON CONFLICT (town_id, year_built) DO UPDATE SET "buildings" = s."buildings" + excluded."buildings", "important" = s."important" + excluded."important", "large" = s."large" + excluded."large", "tall" = s."tall" + excluded."tall", "historic" = s."historic" + excluded."historic", "civic" = s."civic" + excluded."civic", "landmark_value" = s."landmark_value" + excluded."landmark_value", "important_floor_area" = s."important_floor_area" + excluded."important_floor_area", "important_value_sum" = s."important_value_sum" + excluded."important_value_sum", "important_value_n" = s."important_value_n" + excluded."important_value_n"
    ),
    by_town AS (
        INSERT INTO buildings_summary_town AS s (town_id, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT town_id, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM net GROUP BY town_id ORDER BY town_id
        ON CONFLICT (town_id) DO UPDATE SET "buildings" = s."buildings" + excluded."buildings", "important" = s."important" + excluded."important", "large" = s."large" + excluded."large", "tall" = s."tall" + excluded."tall", "historic" = s."historic" + excluded."historic", "civic" = s."civic" + excluded."civic", "landmark_value" = s."landmark_value" + excluded."landmark_value", "important_floor_area" = s."important_floor_area" + excluded."important_floor_area", "important_value_sum" = s."important_value_sum" + excluded."important_value_sum", "important_value_n" = s."important_value_n" + excluded."important_value_n"
    )
    INSERT INTO buildings_summary_area_year AS s (level, county, year_built, n)
    SELECT 1 + GROUPING(c.name), c.name, net.year_built, sum(net.buildings)
    FROM net
    JOIN buildings_town t ON t.town_id = net.town_id
    JOIN buildings_county c ON c.id = t.county_id
    WHERE net.year_built IS NOT NULL
    GROUP BY GROUPING SETS ((c.name, net.year_built), (net.year_built))
    ORDER BY 1, 2 NULLS FIRST, 3
    ON CONFLICT (level, county, year_built) DO UPDATE SET n = s.n + excluded.n;

    -- what a statement emptied goes, so the summary always equals a recount
    -- (the towns as an array: an index scan, whatever the planner guesses of the delta)
    DELETE FROM buildings_summary
    WHERE town_id = ANY (ARRAY(SELECT DISTINCT town_id FROM buildings_summary_delta))
      AND buildings = 0;
    DELETE FROM buildings_summary_town
    WHERE town_id = ANY (ARRAY(SELECT DISTINCT town_id FROM buildings_summary_delta))
      AND buildings = 0;
    DELETE FROM buildings_summary_area_year WHERE n = 0;

    UPDATE buildings_summary_town s
    SET median_year_built = m.median_year_built
    FROM (SELECT DISTINCT town_id FROM buildings_summary_delta) touched
    LEFT JOIN (-- The continuous median year built (percentile_cont(0.5)) of each area, from how
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
    FROM (SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, buildings AS n FROM buildings_summary WHERE year_built IS NOT NULL AND town_id = ANY (ARRAY(SELECT DISTINCT town_id FROM buildings_summary_delta))) AS year_counts
    WHERE n > 0
)
SELECT level, town_id, county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY level, town_id, county) m ON m.town_id = touched.town_id
    WHERE s.town_id = touched.town_id;
    RETURN NULL;
END;
$function$;

-- The summary recounted from every building (sql/summary/rebuild.sql): after a bulk
-- load, after a change of the criteria, on request.
CREATE OR REPLACE FUNCTION buildings_summary_rebuild() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
-- The live summary recounted from every building, in one pass: after a bulk load
-- (whose statements do not fire the summary's triggers), after a change of the
-- criteria, on request (`manage.py live_summary rebuild`). The drift check fills
-- temporary copies of the three tables with it and compares.
-- Placeholders: <summary>, <summary_town>, <summary_area_year>, the tables filled;
-- <of_all>, the summary of the buildings; <figure_columns>, <figure_sums>;
-- <all_town_medians>, the medians of every town of <summary>.
DELETE FROM "buildings_summary";
DELETE FROM "buildings_summary_town";
DELETE FROM "buildings_summary_area_year";
INSERT INTO "buildings_summary" (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM "buildings_building" AS "buildings_building" GROUP BY 1, 2) AS of_all;
-- fresh statistics, or the planner takes the table it just filled for empty
ANALYZE "buildings_summary";
INSERT INTO "buildings_summary_town" (town_id, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
SELECT town_id, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n"
FROM "buildings_summary"
GROUP BY town_id;
UPDATE "buildings_summary_town" t
SET median_year_built = m.median_year_built
FROM (-- The continuous median year built (percentile_cont(0.5)) of each area, from how
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
    FROM (SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, buildings AS n FROM "buildings_summary" WHERE year_built IS NOT NULL) AS year_counts
    WHERE n > 0
)
SELECT level, town_id, county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY level, town_id, county) m
WHERE m.town_id = t.town_id;
INSERT INTO "buildings_summary_area_year" (level, county, year_built, n)
SELECT 1 + GROUPING(c.name), c.name, s.year_built, sum(s.buildings)
FROM "buildings_summary" s
JOIN buildings_town t ON t.town_id = s.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE s.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, s.year_built), (s.year_built));
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    DELETE FROM buildings_summary;
    DELETE FROM buildings_summary_town;
    DELETE FROM buildings_summary_area_year;
    RETURN NULL;
END;
$function$;

-- A trigger with transition tables serves one event: three of them, one function.
CREATE OR REPLACE TRIGGER buildings_summary_insert
AFTER INSERT ON buildings_building REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_apply();

CREATE OR REPLACE TRIGGER buildings_summary_update
AFTER UPDATE ON buildings_building REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_apply();

CREATE OR REPLACE TRIGGER buildings_summary_delete
AFTER DELETE ON buildings_building REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_apply();

CREATE OR REPLACE TRIGGER buildings_summary_truncate
AFTER TRUNCATE ON buildings_building
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_truncate()