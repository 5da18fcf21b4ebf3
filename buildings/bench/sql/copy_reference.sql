-- The reference point of the import benchmark: the 24 columns the import reads, typed
-- as the buildings hold them, in a table with no index, no constraint and no trigger,
-- which a bare COPY fills with the columns a file has (the others stay null), from
-- the very bytes the import's fast path sends (bench/imports.py: bare_copy).
-- Placeholder: <table>.
CREATE TEMP TABLE {table} (
    prop_id varchar(40), loc_id varchar(24), town_id smallint, use_code varchar(4),
    year_built smallint, bld_area integer, stories numeric(5, 2), units integer,
    res_area integer, num_rooms integer, bldg_val bigint, land_val bigint, other_val bigint,
    total_val bigint, lot_size numeric(12, 4), ls_date date, ls_price bigint,
    site_addr varchar(80), city varchar(40), zip varchar(10), owner1 varchar(80),
    zoning varchar(20), style varchar(30), fy smallint
)
