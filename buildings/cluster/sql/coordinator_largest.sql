SELECT shard_rows.largest_prop_id AS prop_id, shard_rows.largest_site_addr AS site_addr,
               shard_rows.largest_bld_area AS bld_area
        FROM shard_rows
        WHERE shard_rows.level = 0 AND shard_rows.town_id = a.town_id
