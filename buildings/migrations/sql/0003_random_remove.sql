-- Frozen copy of buildings/ingest/sql/generate/random_remove.sql, as migration 0003_generator_functions installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0003
-- Removes what sql/random.sql installs.
DROP FUNCTION mab_normal(bigint, integer, bigint);
DROP FUNCTION mab_uniform(bigint, integer, bigint);
