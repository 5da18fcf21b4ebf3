-- Frozen copy of buildings/derived/sql/live/triggers.sql (composed by buildings/derived/live_summary.py), as migration 0015_medians_kept installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0015
-- The live summary: buildings_summary (per town and year built, null its own group),
-- buildings_summary_town (per town, with its median year built),
-- buildings_summary_area_year (known years per county and for the state) and
-- buildings_summary_area_slot (the counties' and state's known years in parts),
-- kept current by statement-level AFTER triggers on the buildings.
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
--    key order, then the writer's own slot of the counties' and state's counts. Every
--    writer takes its locks in that one order and holds them only from then to its
--    commit, so two writers on the same towns take turns and never wait on each
--    other in a circle, however many statements each ran. A row that came to zero
--    goes.
--
-- The medians are kept, never recounted. A town's two middle positions live in its
-- row (which its writers lock already) and move by a walk over the distinct years
-- between the old and the new places (buildings_median_move): an index probe or
-- two. A county's or the state's row would be one row every writer waits on, so
-- they keep no position: each keeps an anchor (the year its median was at the last
-- recount, buildings_summary_area) and, per writer slot, how many known years it
-- has and how many lie below the anchor; a read sums the slots and walks from the
-- anchor to today's median (buildings_area_median), as many years as the median
-- moved since. A reader in the writing transaction itself settles first
-- (live_summary.settle), so it sees its own writes.
--
-- TRUNCATE empties the summary. Bulk loads (the generator, the import) disable the
-- statement triggers and rebuild the summary in one pass instead.
--
-- Placeholders, from the criteria registry through buildings/derived/live_summary.py:
-- <net_insert>, <net_update>, <net_delete>, a statement's net change per (town, year);
-- <net>, the same over the transaction's pending rows (`changes`); <rebuild>,
-- sql/live/rebuild.sql;
-- <figure_columns>, <figure_sums>, <figure_adds>.
-- Generic plans, planned once a session (here and in the settle): the planner would
-- otherwise plan each statement anew for every write, the estimated cost of a plan
-- for transition tables and arrays of unknown size being no better than a custom
-- one, and planning costs more than running it.
CREATE OR REPLACE FUNCTION buildings_summary_apply() RETURNS trigger
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $function$
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
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $function$
DECLARE
    writer bigint := pg_current_xact_id_if_assigned()::text::bigint;
    changes buildings_summary_pending[];
    zero_towns integer[];
    zero_years bigint[];
    zero_areas bigint[];
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

    -- the counties' and the state's year rows, in key order, and their counts of
    -- known years in this writer's slot (the slot of the buildings_writeslot row it
    -- holds since its first statement: no other writer takes these rows meanwhile)
    WITH known AS (
        SELECT (SELECT c.name FROM buildings_town t JOIN buildings_county c ON c.id = t.county_id
                WHERE t.town_id = net.town_id) AS county, net.year_built, net.buildings
        FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net
        WHERE net.year_built IS NOT NULL
    ), moved AS (
        SELECT 1 + GROUPING(county) AS level, county, year_built, sum(buildings) AS n
        FROM known
        GROUP BY GROUPING SETS ((county, year_built), (year_built))
        HAVING sum(buildings) <> 0
    ), up AS (
        INSERT INTO buildings_summary_area_year AS s (level, county, year_built, n)
        SELECT level, county, year_built, n FROM moved
        ORDER BY 1, 2 NULLS FIRST, 3
        ON CONFLICT (level, county, year_built) DO UPDATE SET n = s.n + excluded.n
        RETURNING s.id, s.n
    ), slot AS (
        INSERT INTO buildings_summary_area_slot AS s (slot, level, county, known,
                                                      below_anchor)
        SELECT pg_backend_pid() % 64, m.level, m.county, sum(m.n),
               coalesce(sum(m.n) FILTER (WHERE m.year_built < a.anchor_year), 0)
        FROM moved m
        LEFT JOIN buildings_summary_area a
            ON a.level = m.level AND a.county IS NOT DISTINCT FROM m.county
        GROUP BY m.level, m.county
        ON CONFLICT (slot, level, county) DO UPDATE
        SET known = s.known + excluded.known,
            below_anchor = s.below_anchor + excluded.below_anchor
    )
    SELECT array_agg(id) FILTER (WHERE n = 0) INTO zero_areas FROM up;

    -- what came to zero goes (rows this transaction holds), so the summary always
    -- equals a recount, and the medians walk only over years that hold buildings
    IF zero_years IS NOT NULL THEN
        DELETE FROM buildings_summary WHERE id = ANY (zero_years);
    END IF;
    IF zero_areas IS NOT NULL THEN
        DELETE FROM buildings_summary_area_year WHERE id = ANY (zero_areas);
    END IF;
    IF zero_towns IS NOT NULL THEN
        DELETE FROM buildings_summary_town WHERE town_id = ANY (zero_towns);
    END IF;

    -- the towns' medians this transaction's known years moved (their rows held since
    -- the first step, so no other writer moves their years meanwhile), each walked
    -- from where it was
    UPDATE buildings_summary_town s
    SET (known, low_year, low_below, high_year, high_below, median_year_built) = (
        SELECT * FROM buildings_median_move(s.town_id, s.known, s.low_year, s.low_below,
                                            m.years, m.ns))
    FROM (
        SELECT net.town_id, array_agg(net.year_built::integer) AS years,
               array_agg(net.buildings::bigint) AS ns
        FROM (SELECT town_id, year_built, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n" FROM (SELECT * FROM unnest(changes)) AS changes GROUP BY town_id, year_built HAVING sum("buildings") <> 0 OR sum("important") <> 0 OR sum("large") <> 0 OR sum("tall") <> 0 OR sum("historic") <> 0 OR sum("civic") <> 0 OR sum("landmark_value") <> 0 OR sum("important_floor_area") <> 0 OR sum("important_value_sum") <> 0 OR sum("important_value_n") <> 0) AS net
        WHERE net.year_built IS NOT NULL AND net.buildings <> 0
        GROUP BY net.town_id
    ) AS m
    WHERE s.town_id = m.town_id;
END;
$function$;

-- A town's median moved by a change of its counts of known years (+-n at each of
-- `years`), from its kept count `k` and low position (the year `ly`, with `lb` known
-- years below it): the count and what lies below the position follow the change,
-- then the positions walk to the years that now hold them (buildings_middle): as
-- many steps as distinct years they cross, usually none. The median is the
-- continuous median of the known years, as buildings/core/sql/medians.sql computes it.
CREATE OR REPLACE FUNCTION buildings_median_move(
    town integer, k bigint, ly integer, lb bigint, years integer[], ns bigint[],
    OUT known bigint, OUT low_year integer, OUT low_below bigint, OUT high_year integer,
    OUT high_below bigint, OUT median_year_built float8)
LANGUAGE plpgsql STABLE AS $function$
DECLARE
    i integer;
BEGIN
    FOR i IN 1 .. array_length(years, 1) LOOP
        k := k + ns[i];
        IF years[i] < ly THEN
            lb := lb + ns[i];
        END IF;
    END LOOP;
    known := k;
    IF k = 0 THEN
        RETURN;  -- no known year: no positions, no median
    END IF;
    SELECT * INTO low_year, low_below, high_year, high_below
    FROM buildings_middle(0, town, NULL, ly, lb, k);
    median_year_built := ((low_year + high_year) / 2.0)::float8;
END;
$function$;

-- A county's (level 1) or the state's (2, area null) median as its kept counts give
-- it: `known` known years, `below` of them under the year `anchor` (null: under
-- none), walked from the anchor: as many steps as the median moved since the last
-- recount. STABLE: it reads the year rows as the statement that calls it sees them.
CREATE OR REPLACE FUNCTION buildings_area_median(lvl integer, area varchar, anchor integer,
                                                 below bigint, known bigint)
RETURNS float8
LANGUAGE plpgsql STABLE AS $function$
DECLARE
    m record;
BEGIN
    IF known IS NULL OR known <= 0 THEN
        RETURN NULL;
    END IF;
    m := buildings_middle(lvl, NULL, area, anchor, below, known);
    RETURN ((m.low_year + m.high_year) / 2.0)::float8;
END;
$function$;

-- The two middle positions of an area's `k` known years: the year holding the
-- ((k - 1) / 2)-th (from 0) and the one holding the (k / 2)-th, each with how many
-- known years lie below it. Walked from a year y with `below` known years under it
-- (y null: from the first year): back while more than the position lie below, on
-- while y's own buildings do not reach past it, a distinct year at a time (a year
-- whose row is gone holds none). The high position is the low one or the next year.
-- Counts that do not add up give null positions.
CREATE OR REPLACE FUNCTION buildings_middle(lvl integer, town integer, area varchar,
                                            y integer, below bigint, k bigint,
                                            OUT low_year integer, OUT low_below bigint,
                                            OUT high_year integer, OUT high_below bigint)
LANGUAGE plpgsql STABLE AS $function$
DECLARE
    p bigint := (k - 1) / 2;
    here bigint;
    step record;
BEGIN
    IF y IS NULL THEN
        y := (buildings_year_step(lvl, town, area, NULL, 1)).year;
        below := 0;
    END IF;
    LOOP
        IF y IS NULL THEN
            -- counts that do not add up (the summary written behind its triggers' back):
            -- no median rather than a wrong one, and never a write refused for it;
            -- `live_summary check` reports the drift, `rebuild` repairs it
            RAISE WARNING 'the live summary''s median of area (%, %, %) walked past its '
                          'years: run manage.py live_summary check', lvl, town, area;
            RETURN;
        END IF;
        here := coalesce((buildings_year_step(lvl, town, area, y, 0)).n, 0);
        IF below > p THEN
            step := buildings_year_step(lvl, town, area, y, -1);
            y := step.year;
            below := below - step.n;
        ELSIF below + here <= p THEN
            below := below + here;
            y := (buildings_year_step(lvl, town, area, y, 1)).year;
        ELSE
            EXIT;
        END IF;
    END LOOP;
    low_year := y;
    low_below := below;
    IF below + here > k / 2 THEN
        high_year := y;
        high_below := below;
    ELSE
        high_year := (buildings_year_step(lvl, town, area, y, 1)).year;
        high_below := below + here;
    END IF;
END;
$function$;

-- One probe of an area's year rows by their unique index: the row of year y (step
-- 0), the next year after y (1; the first when y is null) or the one before it (-1).
CREATE OR REPLACE FUNCTION buildings_year_step(lvl integer, town integer, area varchar,
                                               y integer, step integer,
                                               OUT year integer, OUT n bigint)
LANGUAGE plpgsql STABLE AS $function$
BEGIN
    IF lvl = 0 THEN
        IF step = 0 THEN
            SELECT s.year_built, s.buildings INTO year, n FROM buildings_summary s
            WHERE s.town_id = town AND s.year_built = y;
        ELSIF step > 0 THEN
            SELECT s.year_built, s.buildings INTO year, n FROM buildings_summary s
            WHERE s.town_id = town AND s.year_built > coalesce(y, -32768)
            ORDER BY s.year_built LIMIT 1;
        ELSE
            SELECT s.year_built, s.buildings INTO year, n FROM buildings_summary s
            WHERE s.town_id = town AND s.year_built < y
            ORDER BY s.year_built DESC LIMIT 1;
        END IF;
    ELSIF lvl = 1 THEN
        IF step = 0 THEN
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 1 AND a.county = area AND a.year_built = y;
        ELSIF step > 0 THEN
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 1 AND a.county = area AND a.year_built > coalesce(y, -32768)
            ORDER BY a.year_built LIMIT 1;
        ELSE
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 1 AND a.county = area AND a.year_built < y
            ORDER BY a.year_built DESC LIMIT 1;
        END IF;
    ELSE
        IF step = 0 THEN
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 2 AND a.county IS NULL AND a.year_built = y;
        ELSIF step > 0 THEN
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 2 AND a.county IS NULL AND a.year_built > coalesce(y, -32768)
            ORDER BY a.year_built LIMIT 1;
        ELSE
            SELECT a.year_built, a.n INTO year, n FROM buildings_summary_area_year a
            WHERE a.level = 2 AND a.county IS NULL AND a.year_built < y
            ORDER BY a.year_built DESC LIMIT 1;
        END IF;
    END IF;
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_settle_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM buildings_summary_settle();
    RETURN NULL;
END;
$function$;

-- The summary recounted from every building (buildings/derived/sql/live/rebuild.sql): after a bulk
-- load, after a change of the criteria, on request. It counts this transaction's own
-- writes, so their pending changes go; it waits for writers settling (and they for
-- it), the tables locked in the settling order.
CREATE OR REPLACE FUNCTION buildings_summary_rebuild() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM buildings_summary_take_whole();
-- The live summary recounted from every building, in one pass: after a bulk load
-- (whose statements do not fire the summary's triggers), after a change of the
-- criteria, on request (`manage.py live_summary rebuild`). The drift check fills
-- temporary copies of the tables with it and compares.
-- Placeholders: <summary>, <summary_town>, <summary_area_year>, <summary_area>,
-- <summary_area_slot>, the tables filled; <of_all>, the summary of the buildings;
-- <figure_columns>, <figure_sums>; <town_positions>, <area_positions>, the middle
-- positions (sql/live/positions.sql) of every town of <summary> and every county and
-- the state of <summary_area_year>.
DELETE FROM "buildings_summary";
DELETE FROM "buildings_summary_town";
DELETE FROM "buildings_summary_area_year";
DELETE FROM "buildings_summary_area";
DELETE FROM "buildings_summary_area_slot";
-- in key order: a town's year rows fill a few pages (the table keeps half of each page
-- free, so updates stay on the page), and its median's walk reads those few pages
INSERT INTO "buildings_summary" (town_id, year_built, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n")
SELECT * FROM (SELECT "buildings_building"."town_id" AS "town_id", "buildings_building"."year_built" AS "year_built", COUNT("buildings_building"."id") AS "buildings", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."is_important") AS "important", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."bld_area" >= 50000) AS "large", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."stories" >= 7) AS "tall", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."year_built" < 1900) AS "historic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."use_code"::text LIKE '9%') AS "civic", COUNT("buildings_building"."id") FILTER (WHERE "buildings_building"."total_val" >= 10000000) AS "landmark_value", COALESCE(SUM("buildings_building"."bld_area") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_floor_area", COALESCE(SUM("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important"), 0) AS "important_value_sum", COUNT("buildings_building"."total_val") FILTER (WHERE "buildings_building"."is_important") AS "important_value_n" FROM "buildings_building" AS "buildings_building" GROUP BY 1, 2) AS of_all ORDER BY town_id, year_built NULLS FIRST;
-- fresh statistics, or the planner takes the table it just filled for empty
ANALYZE "buildings_summary";
INSERT INTO "buildings_summary_town" (town_id, "buildings", "important", "large", "tall", "historic", "civic", "landmark_value", "important_floor_area", "important_value_sum", "important_value_n", known)
SELECT town_id, sum("buildings") AS "buildings", sum("important") AS "important", sum("large") AS "large", sum("tall") AS "tall", sum("historic") AS "historic", sum("civic") AS "civic", sum("landmark_value") AS "landmark_value", sum("important_floor_area") AS "important_floor_area", sum("important_value_sum") AS "important_value_sum", sum("important_value_n") AS "important_value_n",
       coalesce(sum(buildings) FILTER (WHERE year_built IS NOT NULL), 0)
FROM "buildings_summary"
GROUP BY town_id;
UPDATE "buildings_summary_town" t
SET low_year = p.low_year, low_below = p.low_below,
    high_year = p.high_year, high_below = p.high_below,
    median_year_built = p.median_year_built
FROM (-- The two middle positions of each area's known years, as the live summary keeps
-- them: from rows of (level, town_id, county, year_built, n), per area (told apart by
-- <partition>) its count of known years, the year holding the ((known - 1) / 2)-th
-- (from 0) with how many lie below that year, the same for the (known / 2)-th, and
-- the continuous median they make (as buildings/core/sql/medians.sql computes it).
-- A position's year is the first whose running count passes it.
WITH running AS (
    SELECT level, town_id, county, year_built, n,
           (sum(n) OVER (PARTITION BY "town_id" ORDER BY year_built))::bigint AS upto,
           (sum(n) OVER (PARTITION BY "town_id"))::bigint AS known
    FROM (-- Each town's buildings per known year, as the (town, year) table <summary> holds
-- them: rows of (level, town_id, county, year_built, n) for positions and medians.
SELECT 0 AS level, town_id, NULL::varchar AS county, year_built, buildings AS n
FROM "buildings_summary"
WHERE year_built IS NOT NULL) AS year_counts
    WHERE n > 0
), positions AS (
    SELECT level, town_id, county, known,
           min(year_built) FILTER (WHERE upto > (known - 1) / 2) AS low_year,
           min(upto - n) FILTER (WHERE upto > (known - 1) / 2) AS low_below,
           min(year_built) FILTER (WHERE upto > known / 2) AS high_year,
           min(upto - n) FILTER (WHERE upto > known / 2) AS high_below
    FROM running
    GROUP BY level, town_id, county, known
)
SELECT level, town_id, county, known, low_year, low_below, high_year, high_below,
       ((low_year + high_year) / 2.0)::float8 AS median_year_built
FROM positions) p
WHERE p.town_id = t.town_id;
INSERT INTO "buildings_summary_area_year" (level, county, year_built, n)
SELECT 1 + GROUPING(c.name), c.name, s.year_built, sum(s.buildings)
FROM "buildings_summary" s
JOIN buildings_town t ON t.town_id = s.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE s.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, s.year_built), (s.year_built));
ANALYZE "buildings_summary_area_year";
-- each county and the state anchored at its median's low year of now, all its known
-- years in slot 0
WITH p AS (
    SELECT * FROM (-- The two middle positions of each area's known years, as the live summary keeps
-- them: from rows of (level, town_id, county, year_built, n), per area (told apart by
-- <partition>) its count of known years, the year holding the ((known - 1) / 2)-th
-- (from 0) with how many lie below that year, the same for the (known / 2)-th, and
-- the continuous median they make (as buildings/core/sql/medians.sql computes it).
-- A position's year is the first whose running count passes it.
WITH running AS (
    SELECT level, town_id, county, year_built, n,
           (sum(n) OVER (PARTITION BY "level", "county" ORDER BY year_built))::bigint AS upto,
           (sum(n) OVER (PARTITION BY "level", "county"))::bigint AS known
    FROM (-- Each county's and the state's buildings per known year, as <area_year> holds them:
-- rows of (level, town_id, county, year_built, n) for positions and medians.
SELECT level, NULL::integer AS town_id, county, year_built, n
FROM "buildings_summary_area_year") AS year_counts
    WHERE n > 0
), positions AS (
    SELECT level, town_id, county, known,
           min(year_built) FILTER (WHERE upto > (known - 1) / 2) AS low_year,
           min(upto - n) FILTER (WHERE upto > (known - 1) / 2) AS low_below,
           min(year_built) FILTER (WHERE upto > known / 2) AS high_year,
           min(upto - n) FILTER (WHERE upto > known / 2) AS high_below
    FROM running
    GROUP BY level, town_id, county, known
)
SELECT level, town_id, county, known, low_year, low_below, high_year, high_below,
       ((low_year + high_year) / 2.0)::float8 AS median_year_built
FROM positions) AS area_positions
), anchors AS (
    INSERT INTO "buildings_summary_area" (level, county, anchor_year)
    SELECT level, county, low_year FROM p
)
INSERT INTO "buildings_summary_area_slot" (slot, level, county, known, below_anchor)
SELECT 0, level, county, known, low_below FROM p;
END;
$function$;

-- Before the summary is recounted or emptied: its tables taken whole, in the
-- settling order (writers settling wait, and are waited for), and this
-- transaction's own pending changes forgotten, as what follows counts them.
CREATE OR REPLACE FUNCTION buildings_summary_take_whole() RETURNS void
LANGUAGE plpgsql AS $function$
DECLARE
    writer bigint := pg_current_xact_id_if_assigned()::text::bigint;
BEGIN
    LOCK TABLE buildings_summary_town, buildings_summary, buildings_summary_area_year,
        buildings_summary_area_slot, buildings_summary_area
    IN EXCLUSIVE MODE;
    DELETE FROM buildings_summary_pending WHERE xact = writer;
    DELETE FROM buildings_summary_due WHERE xact = writer;
END;
$function$;

CREATE OR REPLACE FUNCTION buildings_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM buildings_summary_take_whole();
    DELETE FROM buildings_summary;
    DELETE FROM buildings_summary_town;
    DELETE FROM buildings_summary_area_year;
    DELETE FROM buildings_summary_area_slot;
    DELETE FROM buildings_summary_area;
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