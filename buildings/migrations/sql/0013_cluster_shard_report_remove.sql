-- Removes what sql/shard_report.sql installs.
DROP VIEW buildings_shard_version;
DROP VIEW buildings_shard_report_live;
DROP VIEW buildings_shard_report_sql;
DROP FUNCTION buildings_shard_report(text);
