-- What cluster setup made on the coordinator, before it makes it again.
DROP VIEW IF EXISTS buildings_cluster_version;
DROP VIEW IF EXISTS buildings_cluster_report_live;
DROP VIEW IF EXISTS buildings_cluster_report_sql;
