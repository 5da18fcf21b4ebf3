-- Normalise the staged rows in one set-based pass: every field typed, every
-- unreadable optional value null (and named in `nulled`), every row that cannot
-- be loaded given its `reason` (a PROP_ID repeated in a town is found after, by
-- repeated.sql). A whole-number column arrives either as text or, when COPY typed
-- it itself (importer.py: the typed fast path), in its COLUMN_bigint twin: the
-- parsers try the same bigint input first, so both give the same value.
-- Parameters: %(replace)s, %(this_year)s; and where the fast path's rows lie
-- (importer.py: Segments): a row COPY staged by itself names no file or line, its
-- `seq` falls in the run of one file (width_bucket over the runs' first numbers),
-- which gives its place; its place gives its name and where its lines start. The
-- placeholders named COLUMN_max, COLUMN_scale and COLUMN_length are the columns'
-- limits, read from the model (buildings/ingest/importer.py: column_limits), so a value
-- the column cannot hold is nulled (numbers) or cut (text) and counted, never an
-- error that stops the import. Read from the innermost step out: the fields
-- parsed, then checked against their ranges, then each row's reason and nulled columns.
CREATE TABLE {clean} AS
SELECT coalesce(r.file, (%(file_names)s::text[])[r.file_no]) AS file, r.file_no,
       coalesce(r.line, (r.seq + (%(file_line_offsets)s::bigint[])[r.file_no])::integer) AS line,
       r.town_id, r.town_raw, r.prop_id, r.use_code, r.loc_id, r.year_built,
       r.stories_ok AS stories, r.bld_area_ok AS bld_area, r.res_area_ok AS res_area,
       r.units_ok AS units, r.num_rooms_ok AS num_rooms, r.bldg_val, r.land_val, r.other_val,
       r.total_val, r.lot_size_ok AS lot_size, r.ls_date_ok AS ls_date, r.ls_price, r.site_addr, r.city, r.zip,
       r.owner1, r.zoning, r.style, r.fy, r.problem IS NOT NULL AS unreadable,
       CASE
           WHEN r.problem IS NOT NULL THEN r.problem
           WHEN r.prop_id IS NULL THEN 'missing PROP_ID'
           WHEN length(r.prop_id) > {prop_id_length}
               THEN 'PROP_ID longer than ' || {prop_id_length} || ' characters'
           WHEN r.town_raw IS NULL THEN 'missing TOWN_ID'
           WHEN r.town_id IS NULL THEN 'unknown TOWN_ID ' || left(r.town_raw, 20)
           WHEN r.use_code IS NULL THEN 'missing USE_CODE'
           WHEN length(r.use_code) > {use_code_length}
               THEN 'USE_CODE longer than ' || {use_code_length} || ' characters'
           WHEN NOT %(replace)s AND EXISTS (
                    SELECT FROM buildings_building b
                    WHERE b.town_id = r.town_id AND b.prop_id = r.prop_id)
               THEN 'PROP_ID already loaded in this town (use --replace to replace the town)'
       END AS reason,
       array_remove(ARRAY[
           CASE WHEN r.year_built_given AND r.year_built IS NULL
                 AND coalesce(r.year_built_number, -1) <> 0 THEN 'year_built' END,
           CASE WHEN r.stories_raw IS NOT NULL AND r.stories_ok IS NULL THEN 'stories' END,
           CASE WHEN r.bld_area_given AND r.bld_area_ok IS NULL THEN 'bld_area' END,
           CASE WHEN r.res_area_given AND r.res_area_ok IS NULL THEN 'res_area' END,
           CASE WHEN r.units_given AND r.units_ok IS NULL THEN 'units' END,
           CASE WHEN r.num_rooms_given AND r.num_rooms_ok IS NULL THEN 'num_rooms' END,
           CASE WHEN r.bldg_val_given AND r.bldg_val IS NULL THEN 'bldg_val' END,
           CASE WHEN r.land_val_given AND r.land_val IS NULL THEN 'land_val' END,
           CASE WHEN r.other_val_given AND r.other_val IS NULL THEN 'other_val' END,
           CASE WHEN r.total_val_given AND r.total_val IS NULL THEN 'total_val' END,
           CASE WHEN r.lot_size_raw IS NOT NULL AND r.lot_size_ok IS NULL THEN 'lot_size' END,
           CASE WHEN r.ls_date_raw IS NOT NULL AND r.ls_date_ok IS NULL THEN 'ls_date' END,
           CASE WHEN r.ls_price_given AND r.ls_price IS NULL THEN 'ls_price' END,
           CASE WHEN r.fy_given AND r.fy IS NULL THEN 'fy' END,
           CASE WHEN r.loc_id_cut THEN 'loc_id' END,
           CASE WHEN r.site_addr_cut THEN 'site_addr' END,
           CASE WHEN r.city_cut THEN 'city' END,
           CASE WHEN r.zip_cut THEN 'zip' END,
           CASE WHEN r.owner1_cut THEN 'owner1' END,
           CASE WHEN r.zoning_cut THEN 'zoning' END,
           CASE WHEN r.style_cut THEN 'style' END
       ], NULL) AS nulled
FROM (
    -- values that parse but cannot be right become null too (a year 0 means unknown)
    SELECT t.*,
           CASE WHEN t.year_built_number BETWEEN 1600 AND %(this_year)s
                THEN t.year_built_number END AS year_built,
           CASE WHEN round(t.stories, {stories_scale}) < {stories_max}
                THEN round(t.stories, {stories_scale}) END AS stories_ok,
           CASE WHEN t.bld_area BETWEEN 0 AND {bld_area_max} THEN t.bld_area END AS bld_area_ok,
           CASE WHEN t.res_area BETWEEN 0 AND {res_area_max} THEN t.res_area END AS res_area_ok,
           CASE WHEN t.units BETWEEN 0 AND {units_max} THEN t.units END AS units_ok,
           CASE WHEN t.num_rooms BETWEEN 0 AND {num_rooms_max} THEN t.num_rooms END
             AS num_rooms_ok,
           CASE WHEN t.lot_size >= 0 AND round(t.lot_size, {lot_size_scale}) < {lot_size_max}
                THEN round(t.lot_size, {lot_size_scale}) END AS lot_size_ok,
           CASE WHEN t.fy_number BETWEEN 1900 AND 2200 THEN t.fy_number END AS fy,
           CASE WHEN t.ls_date BETWEEN DATE '1600-01-01' AND DATE '2200-12-31'
                THEN t.ls_date END AS ls_date_ok,
           k.town_id
    FROM (
        -- every field parsed once. The volatile column `fence`, never read, keeps
        -- these values computed once a row in the scan, however often the steps
        -- above read them, as OFFSET 0 would, but the whole statement still runs
        -- in the parallel workers (above an OFFSET, it ran in the leader alone):
        -- about an eighth less time (docs/import.md). A text cut to its column is
        -- told by its length in bytes first: a value no longer than the column in
        -- bytes cannot be longer in characters, and is not trimmed a second time
        SELECT s.file, s.line, s.seq, s.problem,
               coalesce(s.file_no, (%(segment_file_nos)s::integer[])[
                   width_bucket(s.seq, %(segment_starts)s::bigint[])]) AS file_no,
               nullif(btrim(s.prop_id), '') AS prop_id,
               nullif(btrim(s.town_id), '') AS town_raw,
               mab_parse_int(s.town_id) AS town_number,
               nullif(btrim(s.use_code), '') AS use_code,
               left(nullif(btrim(s.loc_id), ''), {loc_id_length}) AS loc_id,
               (octet_length(s.loc_id) > {loc_id_length} AND length(btrim(s.loc_id)) > {loc_id_length}) AS loc_id_cut,
               (s.year_built_bigint IS NOT NULL OR btrim(s.year_built) <> '') AS year_built_given,
               coalesce(s.year_built_bigint, mab_parse_int(s.year_built)) AS year_built_number,
               nullif(btrim(s.stories), '') AS stories_raw, mab_parse_stories(s.stories) AS stories,
               (s.bld_area_bigint IS NOT NULL OR btrim(s.bld_area) <> '') AS bld_area_given,
               coalesce(s.bld_area_bigint, mab_parse_int(s.bld_area)) AS bld_area,
               (s.res_area_bigint IS NOT NULL OR btrim(s.res_area) <> '') AS res_area_given,
               coalesce(s.res_area_bigint, mab_parse_int(s.res_area)) AS res_area,
               (s.units_bigint IS NOT NULL OR btrim(s.units) <> '') AS units_given,
               coalesce(s.units_bigint, mab_parse_int(s.units)) AS units,
               (s.num_rooms_bigint IS NOT NULL OR btrim(s.num_rooms) <> '') AS num_rooms_given,
               coalesce(s.num_rooms_bigint, mab_parse_int(s.num_rooms)) AS num_rooms,
               (s.bldg_val_bigint IS NOT NULL OR btrim(s.bldg_val) <> '') AS bldg_val_given,
               coalesce(s.bldg_val_bigint, mab_parse_money(s.bldg_val)) AS bldg_val,
               (s.land_val_bigint IS NOT NULL OR btrim(s.land_val) <> '') AS land_val_given,
               coalesce(s.land_val_bigint, mab_parse_money(s.land_val)) AS land_val,
               (s.other_val_bigint IS NOT NULL OR btrim(s.other_val) <> '') AS other_val_given,
               coalesce(s.other_val_bigint, mab_parse_money(s.other_val)) AS other_val,
               (s.total_val_bigint IS NOT NULL OR btrim(s.total_val) <> '') AS total_val_given,
               coalesce(s.total_val_bigint, mab_parse_money(s.total_val)) AS total_val,
               nullif(btrim(s.lot_size), '') AS lot_size_raw, mab_parse_numeric(s.lot_size) AS lot_size,
               nullif(btrim(s.ls_date), '') AS ls_date_raw, mab_parse_date(s.ls_date) AS ls_date,
               (s.ls_price_bigint IS NOT NULL OR btrim(s.ls_price) <> '') AS ls_price_given,
               coalesce(s.ls_price_bigint, mab_parse_money(s.ls_price)) AS ls_price,
               left(nullif(btrim(s.site_addr), ''), {site_addr_length}) AS site_addr,
               (octet_length(s.site_addr) > {site_addr_length} AND length(btrim(s.site_addr)) > {site_addr_length}) AS site_addr_cut,
               left(nullif(btrim(s.city), ''), {city_length}) AS city,
               (octet_length(s.city) > {city_length} AND length(btrim(s.city)) > {city_length}) AS city_cut,
               left(nullif(btrim(s.zip), ''), {zip_length}) AS zip,
               (octet_length(s.zip) > {zip_length} AND length(btrim(s.zip)) > {zip_length}) AS zip_cut,
               left(nullif(btrim(s.owner1), ''), {owner1_length}) AS owner1,
               (octet_length(s.owner1) > {owner1_length} AND length(btrim(s.owner1)) > {owner1_length}) AS owner1_cut,
               left(nullif(btrim(s.zoning), ''), {zoning_length}) AS zoning,
               (octet_length(s.zoning) > {zoning_length} AND length(btrim(s.zoning)) > {zoning_length}) AS zoning_cut,
               left(nullif(btrim(s.style), ''), {style_length}) AS style,
               (octet_length(s.style) > {style_length} AND length(btrim(s.style)) > {style_length}) AS style_cut,
               (s.fy_bigint IS NOT NULL OR btrim(s.fy) <> '') AS fy_given,
               coalesce(s.fy_bigint, mab_parse_int(s.fy)) AS fy_number,
               clock_timestamp() AS fence
        FROM {staging} s
    ) AS t
    LEFT JOIN buildings_town k ON k.town_id = t.town_number
) AS r;
