-- The figures per town that add up, as the town's shard computed them.
SELECT town_id, buildings, important, {criteria_columns}, important_floor_area,
       important_value_sum, important_value_n
FROM shard_rows
WHERE level = 0
