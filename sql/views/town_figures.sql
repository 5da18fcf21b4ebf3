-- One row per town (all 351, with or without buildings): the town part of the
-- report. The median comes from the per-year counts: the smallest years whose
-- running count passes the two middle positions.
WITH per_town AS (
    SELECT town_id,
           sum(buildings)::bigint AS buildings,
           sum(important)::bigint AS important,
           {criteria_sums},
           sum(important_floor_area)::bigint AS important_floor_area,
           sum(important_value_sum) AS important_value_sum,
           sum(important_value_n)::bigint AS important_value_n
    FROM buildings_town_year_mv
    GROUP BY town_id
),
running AS (
    SELECT town_id, year_key,
           sum(buildings) OVER (PARTITION BY town_id ORDER BY year_key) AS upto,
           sum(buildings) OVER (PARTITION BY town_id) AS known
    FROM buildings_town_year_mv
    WHERE year_key > 0
),
medians AS (
    SELECT town_id,
           ((min(year_key) FILTER (WHERE upto > (known::bigint - 1) / 2)
             + min(year_key) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
             AS median_year_built
    FROM running
    GROUP BY town_id
)
SELECT t.town_id,
       t.name AS town,
       c.name AS county,
       t.population,
       coalesce(p.buildings, 0) AS buildings,
       coalesce(p.important, 0) AS important,
       {criteria_coalesced},
       round(100::numeric * p.important / NULLIF(p.buildings, 0), 2) AS important_pct,
       coalesce(p.important_floor_area, 0) AS important_floor_area,
       m.median_year_built,
       round(p.important_value_sum / NULLIF(p.important_value_n, 0)) AS avg_important_value,
       l.prop_id AS largest_prop_id,
       l.site_addr AS largest_site_addr,
       l.bld_area AS largest_bld_area,
       round(1000::numeric * coalesce(p.buildings, 0) / t.population, 2) AS buildings_per_1000,
       rank() OVER (ORDER BY coalesce(p.important, 0) DESC) AS rank
FROM buildings_town t
JOIN buildings_county c ON c.id = t.county_id
LEFT JOIN per_town p ON p.town_id = t.town_id
LEFT JOIN medians m ON m.town_id = t.town_id
LEFT JOIN LATERAL (
    SELECT buildings_building.prop_id, buildings_building.site_addr, buildings_building.bld_area
    FROM buildings_building
    WHERE buildings_building.town_id = t.town_id
      AND {important}
      AND buildings_building.bld_area IS NOT NULL
    ORDER BY buildings_building.bld_area DESC, buildings_building.id
    LIMIT 1
) l ON true
