-- The buildings as a narrow Level 3 assess CSV (8 MassGIS columns), the file the
-- import is held to a bare COPY with. Placeholder: <where>, which buildings.
COPY (
    SELECT prop_id AS "PROP_ID", town_id AS "TOWN_ID", use_code AS "USE_CODE",
           year_built AS "YEAR_BUILT", bld_area AS "BLD_AREA", stories AS "STORIES",
           total_val AS "TOTAL_VAL", site_addr AS "SITE_ADDR"
    FROM buildings_building
    WHERE {where}
    ORDER BY id
) TO STDOUT WITH (FORMAT csv, HEADER)
