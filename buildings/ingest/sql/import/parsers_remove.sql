-- Removes what buildings/ingest/sql/import/parsers.sql installs.
DROP FUNCTION mab_parse_date(text);
DROP FUNCTION mab_parse_stories(text);
DROP FUNCTION mab_parse_numeric(text);
DROP FUNCTION mab_parse_money(text);
DROP FUNCTION mab_parse_int(text);
DROP FUNCTION mab_input_is_valid(text, text);
