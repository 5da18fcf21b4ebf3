-- The figures per town that add up, as the live summary keeps them.
SELECT town_id, buildings, important, {criteria_columns}, important_floor_area,
       important_value_sum, important_value_n
FROM buildings_summary_town
