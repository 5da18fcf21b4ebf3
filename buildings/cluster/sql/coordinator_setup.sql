-- One shard on the coordinator: its postgres_fdw server (async scans, so the shards
-- work at the same time; rows fetched 10,000 at a time), this user's mapping, and
-- its aggregates imported as foreign tables into a schema of its own. Run again,
-- it replaces them. Placeholders: <server>, <schema>, <options>, <user_options>.
DROP SCHEMA IF EXISTS {schema} CASCADE;
DROP SERVER IF EXISTS {server} CASCADE;
CREATE SERVER {server} FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS ({options}, async_capable 'true', fetch_size '10000');
CREATE USER MAPPING FOR CURRENT_USER SERVER {server} OPTIONS ({user_options});
CREATE SCHEMA {schema};
IMPORT FOREIGN SCHEMA public
    LIMIT TO (buildings_shard_report_sql, buildings_shard_report_live, buildings_shard_version)
    FROM SERVER {server} INTO {schema};
