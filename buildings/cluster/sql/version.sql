-- The cluster's data version, in one round trip to every shard: the sum of the
-- shards' versions, a digest of the transactions that last wrote each (a kept page
-- is never served after a write committed on any shard), the last change, and
-- whether any shard holds a building.
SELECT md5(string_agg(written_by, ',' ORDER BY written_by)) AS written_by,
       sum(data_version)::bigint AS data_version,
       max(changed_at) AS changed_at,
       coalesce(bool_or(has_buildings), false) AS has_buildings
FROM buildings_cluster_version
