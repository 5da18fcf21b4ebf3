-- the loadable rows, numbered in the order of the files and their lines (the rows
-- come out of the parallel normalisation in no order): sorted by two integers, in
-- memory (about 250 MB a million rows) rather than in temporary files, on one
-- bigint made of the two (measured: about twice as fast as sorting on the pair).
-- Their ids are given here, from <first_id> on, in that order (insert_prepare.sql
-- reserved them, and gave the sort its memory): numbering the sorted rows costs less
-- than the identity's nextval a row (measured: 2.3 s against 2.7 s a million rows).
-- Parameter: %(first_id)s.
INSERT INTO buildings_building (
    id, prop_id, loc_id, town_id, use_code, year_built, stories, bld_area, res_area, units,
    num_rooms, bldg_val, land_val, other_val, total_val, lot_size, ls_date, ls_price,
    site_addr, city, zip, owner1, zoning, style, fy
)
SELECT %(first_id)s + row_number() OVER (ORDER BY (file_no::bigint << 32) | line) - 1,
       prop_id, loc_id, town_id, use_code, year_built, stories, bld_area, res_area, units,
       num_rooms, bldg_val, land_val, other_val, total_val, lot_size, ls_date, ls_price,
       site_addr, city, zip, owner1, zoning, style, fy
FROM {clean}
WHERE reason IS NULL
ORDER BY (file_no::bigint << 32) | line;  -- one sort serves both
