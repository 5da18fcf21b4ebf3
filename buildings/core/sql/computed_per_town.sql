-- The figures per town that add up, from the sql strategy's two passes (the CTEs
-- per_year and important of the report statement): every building from the year
-- counts, the important ones' figures from their own aggregate.
SELECT y.town_id, y.buildings, i.important, {criteria_columns}, i.important_floor_area,
       i.important_value_sum, i.important_value_n
FROM (SELECT town_id, sum(n)::bigint AS buildings FROM per_year GROUP BY town_id) AS y
LEFT JOIN important AS i ON i.town_id = y.town_id
