-- Frozen copy of buildings/ingest/sql/import/parsers.sql, as migration 0006_import_parsers installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0006
-- Lenient parsers for assessor exports: each returns null for a value it cannot
-- read (the import counts those) and never raises, so the whole file can be
-- normalised in one set-based statement. The common case goes through
-- mab_input_is_valid (the type's own input function, without an error); only
-- the unusual spellings reach a regular expression. They are simple SQL
-- expressions so that PostgreSQL inlines them into the import's query. STABLE,
-- not IMMUTABLE: date input follows DateStyle, which the import sets.

-- mab_input_is_valid: pg_input_is_valid where the server has it (PostgreSQL 16
-- and newer); on 15, a stand-in that tries the cast and catches the error. The
-- stand-in runs a subtransaction per value, so it is slower and cannot run in a
-- parallel worker; the results are the same.
DO $install$
BEGIN
    IF current_setting('server_version_num')::integer >= 160000 THEN
        CREATE OR REPLACE FUNCTION mab_input_is_valid(value text, type text) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN pg_input_is_valid(value, type);
    ELSE
        CREATE OR REPLACE FUNCTION mab_input_is_valid(value text, type text) RETURNS boolean
        LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
        AS $body$
        BEGIN
            IF value IS NULL THEN
                RETURN NULL;
            END IF;
            EXECUTE format('SELECT %L::%s', value, type);
            RETURN true;
        EXCEPTION WHEN data_exception OR syntax_error THEN
            RETURN false;
        END;
        $body$;
    END IF;
END;
$install$;

-- "1234", " 12 ", "1,234", "+12", "1234.0" (as DBF numbers arrive)
CREATE OR REPLACE FUNCTION mab_parse_int(value text) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN mab_input_is_valid(value, 'bigint') THEN value::bigint
    WHEN replace(btrim(value), ',', '') ~ '^[+-]?\d{1,18}(\.0*)?$'
        THEN split_part(replace(btrim(value), ',', ''), '.', 1)::bigint
END;

-- money: "1234", "$1,234", "1234.50" (rounded to the dollar)
CREATE OR REPLACE FUNCTION mab_parse_money(value text) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN mab_input_is_valid(value, 'bigint') THEN value::bigint
    WHEN replace(replace(btrim(value), ',', ''), '$', '') ~ '^[+-]?\d{1,15}(\.\d*)?$'
        THEN round(replace(replace(btrim(value), ',', ''), '$', '')::numeric)::bigint
END;

-- "0.25", "12", ".5", "1,200.5" (no exponents, no NaN)
CREATE OR REPLACE FUNCTION mab_parse_numeric(value text) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN replace(btrim(value), ',', '') ~ '^[+-]?(\d{1,12}(\.\d*)?|\.\d+)$'
            THEN replace(btrim(value), ',', '')::numeric END;

-- stories: "2", "2.5", "2 1/2"
CREATE OR REPLACE FUNCTION mab_parse_stories(value text) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN btrim(value) ~ '^\d{1,3}(\.\d*)?$' THEN btrim(value)::numeric
    WHEN btrim(value) ~ '^\d{1,3}\s+[1-9]/[1-9]$'
        THEN split_part(regexp_replace(btrim(value), '\s+', ' '), ' ', 1)::numeric
             + split_part(split_part(regexp_replace(btrim(value), '\s+', ' '), ' ', 2), '/', 1)::numeric
             / split_part(split_part(regexp_replace(btrim(value), '\s+', ' '), ' ', 2), '/', 2)::numeric
END;

-- dates as assessor exports write them: ISO (with or without a time), m/d/Y,
-- m/d/Y H:MM[:SS] [AM|PM], YYYYMMDD; read by PostgreSQL's own date input under
-- DateStyle 'ISO, MDY'. Not-a-date words it knows ("today", "epoch") are refused
-- by requiring a leading digit; 2/30/2019 is not a date, so null.
CREATE OR REPLACE FUNCTION mab_parse_date(value text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN value ~ '^\s*\d' AND mab_input_is_valid(value, 'date') THEN value::date END;
