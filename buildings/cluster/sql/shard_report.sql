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
RETURNS TABLE ({columns})
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $function$
#variable_conflict use_column
BEGIN
    IF kind = 'sql' THEN
        RETURN QUERY {sql_rows};
    ELSE
        RETURN QUERY {live_rows};
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
FROM buildings_writeslot;
