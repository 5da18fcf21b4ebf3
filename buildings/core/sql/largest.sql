SELECT buildings_building.prop_id, buildings_building.site_addr,
               buildings_building.bld_area
        FROM buildings_building
        WHERE buildings_building.town_id = a.town_id
          AND buildings_building.is_important
          AND buildings_building.bld_area IS NOT NULL
        ORDER BY buildings_building.bld_area DESC, buildings_building.id
        LIMIT 1
