-- Frozen copy of buildings/ingest/sql/import/parsers_remove.sql, as migration 0006_import_parsers installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0006
-- Removes what sql/import/parse.sql installs.
DROP FUNCTION mab_parse_date(text);
DROP FUNCTION mab_parse_stories(text);
DROP FUNCTION mab_parse_numeric(text);
DROP FUNCTION mab_parse_money(text);
DROP FUNCTION mab_parse_int(text);
DROP FUNCTION mab_input_is_valid(text, text);
