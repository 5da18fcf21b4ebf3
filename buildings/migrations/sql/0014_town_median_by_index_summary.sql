-- Frozen copy of buildings/derived/sql/live/triggers.sql (composed by buildings/derived/live_summary.py), as migration 0014_town_median_by_index installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0014
-- The live summary: buildings_summary (per town and year built, null its own group),
-- buildings_summary_town (per town, with its median year built) and
-- buildings_summary_area_year (known years per county and for the state), kept
-- current by statement-level AFTER triggers on the buildings.
--
-- Two steps, so that writers run side by side and never deadlock on the summary:
-- 1. Each statement's changes arrive as transition tables (new_rows, old_rows); their
--    net change per (town, year) is appended to buildings_summary_pending under the
--    writing transaction's id. No summary row is locked; an update that changes no
--    figure (an owner's name, a sale date; or a value that stays on the same side of
--    every criterion) nets to nothing and appends nothing.
-- 2. At commit, a deferred constraint trigger settles the transaction's changes
--    (buildings_summary_settle): all its statements' net change at once, the town
--    rows first, then the (town, year) rows, then the counties' and state's, each in
--    key order. Every writer takes its locks in that one order and holds them only
--    from then to its commit, so two writers on the same towns take turns and never
--    wait on each other in a circle, however many statements each ran. A row that
--    came to zero goes; only the towns whose year counts moved get their median
--    recomputed, from their year counts. A reader in the writing transaction itself
--    settles first (live_summary.settle), so it sees its own writes.
--
-- TRUNCATE empties the summary. Bulk loads (the generator, the import) disable the
-- statement triggers and rebuild the summary in one pass instead.
--
-- Placeholders, from the criteria registry through buildings/derived/live_summary.py:
-- <net_insert>, <net_update>, <net_delete>, a statement's net change per (town, year);
-- <net>, the same over the transaction's pending rows (`changes`); <rebuild>,
-- sql/live/rebuild.sql;
-- <figure_columns>, <figure_sums>, <figure_adds>.
CREATE OR REPLACE FUNCTION buildings_summary_apply() RETURNS trigger
LANGUAGE plpgsql AS $function$
DECLARE
    writer bigint := pg_current_xact_id()::text::bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO buildings_summary_pending (xact, town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT writer, net.* FROM (SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM new_rows AS "buildings_building" GROUP BY 1, 2) AS of_new) AS net;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO buildings_summary_pending (xact, town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT writer, net.* FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM new_rows AS "buildings_building" GROUP BY 1, 2) AS of_new UNION ALL SELECT town_id, year_built, -"buildings" AS "buildings", -"important" AS "important", -"large" AS "large", -"tall" AS "tall", -"historic" AS "historic", -"civic" AS "civic", -"landmark_value" AS "landmark_value", -"important_floor_area" AS "important_floor_area", -"important_value_sum" AS "important_value_sum", -"important_value_n" AS "important_value_n" FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM old_rows AS "buildings_building" GROUP BY 1, 2) AS of_old) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net;
    ELSE
        INSERT INTO buildings_summary_pending (xact, town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT writer, net.* FROM (SELECT town_id, year_built, -"buildings" AS "buildings", -"important" AS "important", -"large" AS "large", -"tall" AS "tall", -"historic" AS "historic", -"civic" AS "civic", -"landmark_value" AS "landmark_value", -"important_floor_area" AS "important_floor_area", -"important_value_sum" AS "important_value_sum", -"important_value_n" AS "important_value_n" FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM old_rows AS "buildings_building" GROUP BY 1, 2) AS of_old) AS net;
    END IF;
    IF FOUND THEN
        INSERT INTO buildings_summary_due (xact) VALUES (writer) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_settle() RETURNS void
LANGUAGE plpgsql AS $function$
DECLARE
    writer bigint := pg_current_xact_id_if_assigned()::text::bigint;
    changes buildings_summary_pending[];
    zero_towns integer[];
    zero_years bigint[];
    zero_areas bigint[];
    moved integer[];  -- the towns whose counts of known years changed: their medians
BEGIN
    IF writer IS NULL THEN
        RETURN;  -- a transaction that wrote nothing
    END IF;
    DELETE FROM buildings_summary_due WHERE xact = writer;
    IF NOT FOUND THEN
        RETURN;  -- nothing pending, or settled already
    END IF;
    WITH gone AS (
        DELETE FROM buildings_summary_pending p WHERE p.xact = writer RETURNING p
    )
    SELECT array_agg(gone.p) INTO changes FROM gone;

    WITH up AS (
        INSERT INTO buildings_summary_town AS s (town_id, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT town_id, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net GROUP BY town_id ORDER BY town_id
        ON CONFLICT (town_id) DO UPDATE SET "buildings" = s."buildings" + excluded."buildings", "important" = s."important" + excluded."important", "large" = s."large" + excluded."large", "tall" = s."tall" + excluded."tall", "historic" = s."historic" + excluded."historic", "civic" = s."civic" + excluded."civic", "landmark_value" = s."landmark_value" + excluded."landmark_value", "important_floor_area" = s."important_floor_area" + excluded."important_floor_area", "important_value_sum" = s."important_value_sum" + excluded."important_value_sum", "important_value_n" = s."important_value_n" + excluded."important_value_n"
        RETURNING s.town_id, s.buildings
    )
    SELECT array_agg(town_id) FILTER (WHERE buildings = 0) INTO zero_towns FROM up;

    WITH up AS (
        INSERT INTO buildings_summary AS s (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
        SELECT * FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net ORDER BY town_id, year_built NULLS FIRST
        ON CONFLICT (town_id, year_built) DO UPDATE SET "buildings" = s."buildings" + excluded."buildings", "important" = s."important" + excluded."important", "large" = s."large" + excluded."large", "tall" = s."tall" + excluded."tall", "historic" = s."historic" + excluded."historic", "civic" = s."civic" + excluded."civic", "landmark_value" = s."landmark_value" + excluded."landmark_value", "important_floor_area" = s."important_floor_area" + excluded."important_floor_area", "important_value_sum" = s."important_value_sum" + excluded."important_value_sum", "important_value_n" = s."important_value_n" + excluded."important_value_n"
        RETURNING s.id, s.buildings
    )
    SELECT array_agg(id) FILTER (WHERE buildings = 0) INTO zero_years FROM up;

    WITH up AS (
        INSERT INTO buildings_summary_area_year AS s (level, county, year_built, n)
        SELECT 1 + GROUPING(c.name), c.name, net.year_built, sum(net.buildings)
        FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net
        JOIN buildings_town t ON t.town_id = net.town_id
        JOIN buildings_county c ON c.id = t.county_id
        WHERE net.year_built IS NOT NULL
        GROUP BY GROUPING SETS ((c.name, net.year_built), (net.year_built))
        HAVING sum(net.buildings) <> 0
        ORDER BY 1, 2 NULLS FIRST, 3
        ON CONFLICT (level, county, year_built) DO UPDATE SET n = s.n + excluded.n
        RETURNING s.id, s.n
    )
    SELECT array_agg(id) FILTER (WHERE n = 0) INTO zero_areas FROM up;

    -- what came to zero goes (rows this transaction holds), so the summary always
    -- equals a recount
    IF zero_years IS NOT NULL THEN
        DELETE FROM buildings_summary WHERE id = ANY (zero_years);
    END IF;
    IF zero_areas IS NOT NULL THEN
        DELETE FROM buildings_summary_area_year WHERE id = ANY (zero_areas);
    END IF;
    IF zero_towns IS NOT NULL THEN
        DELETE FROM buildings_summary_town WHERE town_id = ANY (zero_towns);
    END IF;

    SELECT array_agg(DISTINCT town_id) INTO moved
    FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net WHERE year_built IS NOT NULL AND buildings <> 0;
    IF moved IS NOT NULL THEN
        UPDATE buildings_summary_town s
        SET median_year_built = buildings_town_median(s.town_id)
        WHERE s.town_id = ANY (moved);
    END IF;
END;
$function$;

-- A town's median year built from its year rows, read in year order (the unique
-- index) only up to the middle: the same value sql/medians.sql gives (the continuous
-- median of the known years), at a third of its cost in a settle, which recomputes
-- one town or a few. Its count of known years is the town's buildings less its row
-- of unknown year.
CREATE OR REPLACE FUNCTION buildings_town_median(town integer) RETURNS float8
LANGUAGE plpgsql STABLE AS $function$
DECLARE
    known bigint;
    upto bigint := 0;
    low integer;
    y integer;
    n bigint;
BEGIN
    SELECT t.buildings - coalesce((SELECT s.buildings FROM buildings_summary s
                                   WHERE s.town_id = town AND s.year_built IS NULL), 0)
    INTO known
    FROM buildings_summary_town t
    WHERE t.town_id = town;
    IF coalesce(known, 0) <= 0 THEN
        RETURN NULL;
    END IF;
    FOR y, n IN SELECT s.year_built, s.buildings FROM buildings_summary s
                WHERE s.town_id = town AND s.year_built IS NOT NULL AND s.buildings > 0
                ORDER BY s.year_built LOOP
        upto := upto + n;
        IF low IS NULL AND upto > (known - 1) / 2 THEN
            low := y;
        END IF;
        IF upto > known / 2 THEN
            RETURN ((low + y) / 2.0)::float8;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_settle_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM buildings_summary_settle();
    RETURN NULL;
END;
$function$;

-- The summary recounted from every building (sql/summary/rebuild.sql): after a bulk
-- load, after a change of the criteria, on request. It counts this transaction's own
-- writes, so their pending changes go; it waits for writers settling (and they for
-- it), the tables locked in the settling order.
CREATE OR REPLACE FUNCTION buildings_summary_rebuild() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    LOCK TABLE buildings_summary_town, buildings_summary, buildings_summary_area_year
    IN EXCLUSIVE MODE;
    PERFORM buildings_summary_forget();
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
-- in key order: a town's year rows fill a few pages (the table keeps half of each page
-- free, so updates stay on the page), and its median reads those few pages
INSERT INTO "buildings_summary" (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM "buildings_building" AS "buildings_building" GROUP BY 1, 2) AS of_all ORDER BY town_id, year_built NULLS FIRST;
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

CREATE OR REPLACE FUNCTION buildings_summary_forget() RETURNS void
LANGUAGE plpgsql AS $function$
DECLARE
    writer bigint := pg_current_xact_id_if_assigned()::text::bigint;
BEGIN
    DELETE FROM buildings_summary_pending WHERE xact = writer;
    DELETE FROM buildings_summary_due WHERE xact = writer;
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    LOCK TABLE buildings_summary_town, buildings_summary, buildings_summary_area_year
    IN EXCLUSIVE MODE;
    PERFORM buildings_summary_forget();
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
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_truncate();

-- Fires once per writing transaction (one due row), when it commits or prepares.
-- (OR REPLACE is not allowed for a constraint trigger: the removal drops it first.)
CREATE CONSTRAINT TRIGGER buildings_summary_settle
AFTER INSERT ON buildings_summary_due DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION buildings_summary_settle_at_commit()