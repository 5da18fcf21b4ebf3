-- the loadable rows, numbered in the order the files list them
INSERT INTO buildings_building (
    prop_id, loc_id, town_id, use_code, year_built, stories, bld_area, res_area, units,
    num_rooms, bldg_val, land_val, other_val, total_val, lot_size, ls_date, ls_price,
    site_addr, city, zip, owner1, zoning, style, fy
)
SELECT prop_id, loc_id, town_id, use_code, year_built, stories, bld_area, res_area, units,
       num_rooms, bldg_val, land_val, other_val, total_val, lot_size, ls_date, ls_price,
       site_addr, city, zip, owner1, zoning, style, fy
FROM import_clean
WHERE reason IS NULL
ORDER BY file, line;  -- ids follow the files' order
