-- Every shard's rows of one kind (<cluster_view>: a UNION ALL of foreign tables),
-- brought in once for the whole statement.
shard_rows AS MATERIALIZED (SELECT * FROM {cluster_view}),
