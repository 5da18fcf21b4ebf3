-- Per town and year built: the building counts and sums every other view starts
-- from. year_key 0 stands for an unknown year (year_built is null; a check
-- constraint keeps real years positive). About 100,000 rows for the state.
SELECT buildings_building.town_id,
       coalesce(buildings_building.year_built, 0) AS year_key,
       count(*) AS buildings,
       count(*) FILTER (WHERE {important}) AS important,
       {criteria_counts},
       coalesce(sum(buildings_building.bld_area) FILTER (WHERE {important}), 0)
         AS important_floor_area,
       coalesce(sum(buildings_building.total_val) FILTER (WHERE {important}), 0)
         AS important_value_sum,
       count(buildings_building.total_val) FILTER (WHERE {important}) AS important_value_n
FROM buildings_building
GROUP BY buildings_building.town_id, coalesce(buildings_building.year_built, 0)
