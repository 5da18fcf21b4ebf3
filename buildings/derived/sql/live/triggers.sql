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
            SELECT town_id, year_built, {figure_columns} FROM buildings_summary WITH NO DATA;
    END IF;
    DELETE FROM buildings_summary_delta;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO buildings_summary_delta (town_id, year_built, {figure_columns})
        SELECT * FROM ({of_new}) AS of_new;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO buildings_summary_delta (town_id, year_built, {figure_columns})
        SELECT town_id, year_built, {figure_negated} FROM ({of_old}) AS of_old;
    END IF;

    WITH net AS (
        SELECT town_id, year_built, {figure_sums}
        FROM buildings_summary_delta
        GROUP BY town_id, year_built
    ),
    by_year AS (
        INSERT INTO buildings_summary AS s (town_id, year_built, {figure_columns})
        SELECT * FROM net ORDER BY town_id, year_built NULLS FIRST
        ON CONFLICT (town_id, year_built) DO UPDATE SET {figure_adds}
    ),
    by_town AS (
        INSERT INTO buildings_summary_town AS s (town_id, {figure_columns})
        SELECT town_id, {figure_sums} FROM net GROUP BY town_id ORDER BY town_id
        ON CONFLICT (town_id) DO UPDATE SET {figure_adds}
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
    LEFT JOIN ({town_medians}) m ON m.town_id = touched.town_id
    WHERE s.town_id = touched.town_id;
    RETURN NULL;
END;
$function$;

-- The summary recounted from every building (sql/summary/rebuild.sql): after a bulk
-- load, after a change of the criteria, on request.
CREATE OR REPLACE FUNCTION buildings_summary_rebuild() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
{rebuild};
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
FOR EACH STATEMENT EXECUTE FUNCTION buildings_summary_truncate();
