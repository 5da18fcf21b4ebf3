-- The shard's towns and its counties' and state's year counts, from the buildings:
-- the sql strategy's sources (<inputs>, <per_town>, <town_medians>,
-- <area_year_counts>), the largest important building probed as the report does
-- (<largest>, on the town `a`). <figures> and <empty>: the figure columns, and as
-- many nulls.
WITH {inputs}
per_town AS ({per_town}),
town_medians AS ({town_medians})
SELECT 0, a.town_id::integer, NULL::varchar, NULL::integer, NULL::bigint, {figures},
       m.median_year_built::float8, l.prop_id::varchar, l.site_addr::varchar,
       l.bld_area::integer
FROM per_town a
LEFT JOIN town_medians m ON m.town_id = a.town_id
LEFT JOIN LATERAL ({largest}) l ON true
UNION ALL
SELECT y.level::integer, NULL::integer, y.county::varchar, y.year_built::integer, y.n::bigint,
       {empty}, NULL::float8, NULL::varchar, NULL::varchar, NULL::integer
FROM ({area_year_counts}) AS y
