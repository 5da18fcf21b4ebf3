-- Frozen copy of buildings/ingest/sql/generate/random.sql, as migration 0003_generator_functions installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0003
-- Deterministic pseudo-random numbers for the generator: a pure function of
-- (row, stream, seed), so the data do not depend on scan order or on how many
-- workers made them, and the same seed always gives the same buildings.

CREATE OR REPLACE FUNCTION mab_uniform(i bigint, stream integer, seed bigint)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN (hashint8extended(i, seed * 1009 + stream) & 9007199254740991)::double precision
       / 9007199254740992.0;

-- A standard normal variate (Box-Muller) from two streams.
CREATE OR REPLACE FUNCTION mab_normal(i bigint, stream integer, seed bigint)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN sqrt(-2.0 * ln(1.0 - mab_uniform(i, stream, seed)))
       * cos(2.0 * pi() * mab_uniform(i, stream + 500, seed));
