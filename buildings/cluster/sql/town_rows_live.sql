-- The same rows as town_rows_sql.sql, from the live summary: the towns' sums and
-- medians as the triggers keep them, the counties' and state's year counts.
SELECT 0, a.town_id::integer, NULL::varchar, NULL::integer, NULL::bigint, {figures},
       a.median_year_built::float8, l.prop_id::varchar, l.site_addr::varchar,
       l.bld_area::integer
FROM buildings_summary_town a
LEFT JOIN LATERAL ({largest}) l ON true
UNION ALL
SELECT y.level::integer, NULL::integer, y.county::varchar, y.year_built::integer, y.n::bigint,
       {empty}, NULL::float8, NULL::varchar, NULL::varchar, NULL::integer
FROM buildings_summary_area_year AS y
