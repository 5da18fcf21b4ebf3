-- The medians the live summary gives: each town's as its triggers keep it; each
-- county's and the state's walked from its anchor (buildings_area_median), its counts
-- summed over the writer slots. About as many rows as the report has areas.
SELECT 0 AS level, town_id::integer AS town_id, NULL::varchar AS county, median_year_built
FROM buildings_summary_town
UNION ALL
SELECT k.level::integer, NULL::integer, k.county::varchar,
       buildings_area_median(k.level, k.county, a.anchor_year, k.below_anchor, k.known)
FROM ({area_counts}) AS k
LEFT JOIN buildings_summary_area a
    ON a.level = k.level AND a.county IS NOT DISTINCT FROM k.county
