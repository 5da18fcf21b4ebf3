-- A what-if's largest important building of the town a.town_id: the row whose id
-- the town's figures found (the CTE important's column largest, [-bld_area, id];
-- buildings/core/statement.py largest_key), read by its primary key.
SELECT b.prop_id, b.site_addr, b.bld_area
        FROM buildings_building b
        WHERE b.id = (SELECT important.largest[2] FROM important
                      WHERE important.town_id = a.town_id)
