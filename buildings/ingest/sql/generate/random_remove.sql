-- Removes what buildings/ingest/sql/generate/random.sql installs.
DROP FUNCTION mab_normal(bigint, integer, bigint);
DROP FUNCTION mab_uniform(bigint, integer, bigint);
