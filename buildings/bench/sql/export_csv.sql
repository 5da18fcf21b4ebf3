-- The buildings as a MassGIS Level 3 assess table (CSV, MassGIS column names):
-- used by bench_import to make a realistic file to import.
COPY (
    SELECT prop_id AS "PROP_ID", loc_id AS "LOC_ID", town_id AS "TOWN_ID",
           use_code AS "USE_CODE", year_built AS "YEAR_BUILT", bld_area AS "BLD_AREA",
           stories AS "STORIES", units AS "UNITS", res_area AS "RES_AREA",
           num_rooms AS "NUM_ROOMS", bldg_val AS "BLDG_VAL", land_val AS "LAND_VAL",
           other_val AS "OTHER_VAL", total_val AS "TOTAL_VAL", lot_size AS "LOT_SIZE",
           to_char(ls_date, 'MM/DD/YYYY') AS "LS_DATE", ls_price AS "LS_PRICE",
           site_addr AS "SITE_ADDR", city AS "CITY", zip AS "ZIP", owner1 AS "OWNER1",
           zoning AS "ZONING", style AS "STYLE", fy AS "FY"
    FROM buildings_building
    ORDER BY id
) TO STDOUT WITH (FORMAT csv, HEADER)
