-- The raw rows of the files being imported, as text, one per record; `problem`
-- is set by Python for a record it could not read whole (wrong number of fields,
-- bytes not valid in the file's encoding); `file_no` is the file's place in the
-- import, by which the rows are numbered. <staging>, <clean> (clean.sql's typed
-- rows) and <line_sequence> are this session's own (import_staging_<backend pid>,
-- ...), created inside the import's transaction and dropped at its end
-- (drop_staging.sql), so a failed or killed import leaves nothing behind.
-- Ordinary tables, neither TEMP nor UNLOGGED: parallel workers cannot read
-- temporary tables (the normalisation, clean.sql, runs in them) and a transaction
-- that touched one cannot be prepared (a cluster's shard imports under two-phase
-- commit); and an unlogged relation created in a transaction that then aborts can
-- keep the server from starting after a crash (docs/crash-safety.md). Under
-- wal_level=minimal (the embedded server) a table created and dropped in one
-- transaction writes no WAL for its rows, as an unlogged one would.
-- Rows staged by Python name their file, place and line themselves; rows COPY
-- parsed by itself (the fast path) carry only `seq`, the next number of
-- <line_sequence>, and clean.sql names their file and line from the runs of
-- numbers each file took (importer.py: Segments), so one COPY can carry many files.
-- The COLUMN_bigint columns hold the whole-number fields of
-- a file COPY typed itself (the typed fast path, importer.py), the text columns of
-- the same name stay null then: clean.sql reads whichever is given.
-- m/d/Y, as Massachusetts exports write dates, for the date parser
SET LOCAL datestyle = 'ISO, MDY';
CREATE SEQUENCE {line_sequence};
CREATE TABLE {staging} (
    file text,
    file_no integer,
    line integer,
    seq bigint DEFAULT nextval({line}),
    problem text,
    prop_id text, loc_id text, town_id text, use_code text, year_built text, bld_area text,
    stories text, units text, res_area text, num_rooms text, bldg_val text, land_val text,
    other_val text, total_val text, lot_size text, ls_date text, ls_price text, site_addr text,
    city text, zip text, owner1 text, zoning text, style text, fy text,
    year_built_bigint bigint, bld_area_bigint bigint, units_bigint bigint,
    res_area_bigint bigint, num_rooms_bigint bigint, bldg_val_bigint bigint,
    land_val_bigint bigint, other_val_bigint bigint, total_val_bigint bigint,
    ls_price_bigint bigint, fy_bigint bigint
);
