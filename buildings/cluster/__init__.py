"""One report over several PostgreSQL servers: a coordinator and its shards.

Towns are the unit of distribution: each town's buildings live wholly on one shard
(`buildings_placement`, on the coordinator), so every per-town figure, median and
largest building is computed where the rows are. Each shard is a complete database
of this project (the same migrations, live summary and triggers) and serves two
views that hold nothing but aggregates (sql/shard_report.sql): per town, its sums,
median and largest important building; per county and for the state, buildings per
known year. The coordinator reads them through postgres_fdw, all shards at once
(async foreign scans), and runs the one report statement over them
(buildings/core/sql/report.sql): the report is byte-identical to one server holding
the same buildings.

Writes go from the coordinator straight to the shards, each town's rows to its
shard, all-or-nothing by two-phase commit (writes.py); `cluster resolve` settles
what a crash left prepared.
"""
