-- The coordinator's view of every shard at once: one UNION ALL of their foreign
-- tables per kind, which PostgreSQL runs as an Async Append (every shard computes
-- its rows at the same time). <sql_parts>, <live_parts>, <version_parts>: the
-- shards' SELECTs, joined by UNION ALL.
CREATE OR REPLACE VIEW buildings_cluster_report_sql AS {sql_parts};
CREATE OR REPLACE VIEW buildings_cluster_report_live AS {live_parts};
CREATE OR REPLACE VIEW buildings_cluster_version AS {version_parts};
