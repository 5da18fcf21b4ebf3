-- The reference point of the import benchmark: the narrow CSV's columns, typed, in
-- a table with no index, no constraint and no trigger, which a bare COPY fills.
-- Placeholder: <table>.
CREATE TEMP TABLE {table} (
    prop_id text, town_id smallint, use_code text, year_built smallint, bld_area integer,
    stories numeric(5, 2), total_val bigint, site_addr text
)
