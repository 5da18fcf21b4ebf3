-- One row per important building with the criteria it matches, in the order they
-- were given (the registry's, by default). The matches placeholder is the union of one queryset
-- per criterion (buildings/analysis/important.py): rows of (id, criterion, position); the
-- direction and limit placeholders are empty for the whole list, DESC and a LIMIT
-- for a page read backwards.
SELECT b.id,
       b.town_id,
       t.name AS town,
       b.prop_id,
       b.site_addr,
       b.use_code,
       b.year_built,
       b.stories,
       b.bld_area,
       b.total_val,
       string_agg(m.criterion, ';' ORDER BY m.position) AS criteria
FROM ({matches}) AS m
JOIN buildings_building b ON b.id = m.id
JOIN buildings_town t ON t.town_id = b.town_id
GROUP BY b.id, t.name
ORDER BY b.town_id {direction}, b.id {direction}
{limit}
