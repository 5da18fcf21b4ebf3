-- The buildings as the statewide geodatabase's L3_ASSESS table holds them: TOWN_ID
-- and YEAR_BUILT integers (0 for an unknown year), numbers as floats, USE_CODE and
-- STORIES text, LS_DATE as YYYYMMDD text. Used by bench_import.
SELECT prop_id AS "PROP_ID", loc_id AS "LOC_ID", town_id AS "TOWN_ID",
       use_code AS "USE_CODE", coalesce(year_built, 0) AS "YEAR_BUILT",
       bld_area::float8 AS "BLD_AREA", stories::text AS "STORIES", units::float8 AS "UNITS",
       res_area::float8 AS "RES_AREA", num_rooms::float8 AS "NUM_ROOMS",
       bldg_val::float8 AS "BLDG_VAL", land_val::float8 AS "LAND_VAL",
       other_val::float8 AS "OTHER_VAL", total_val::float8 AS "TOTAL_VAL",
       lot_size::float8 AS "LOT_SIZE", to_char(ls_date, 'YYYYMMDD') AS "LS_DATE",
       ls_price::float8 AS "LS_PRICE", site_addr AS "SITE_ADDR", city AS "CITY", zip AS "ZIP",
       owner1 AS "OWNER1", zoning AS "ZONING", style AS "STYLE", fy::float8 AS "FY"
FROM buildings_building
ORDER BY id;
