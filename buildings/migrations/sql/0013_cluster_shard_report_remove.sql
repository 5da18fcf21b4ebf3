-- Frozen copy of buildings/cluster/sql/shard_report_remove.sql, as migration 0013_cluster installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0013
-- Removes what sql/shard_report.sql installs.
DROP VIEW buildings_shard_version;
DROP VIEW buildings_shard_report_live;
DROP VIEW buildings_shard_report_sql;
DROP FUNCTION buildings_shard_report(text);
