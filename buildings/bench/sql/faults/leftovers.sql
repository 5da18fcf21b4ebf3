-- What a write killed half-way must not leave: a prepared transaction nobody will
-- decide, or an import's staging objects (buildings/ingest/sql/import/staging.sql).
SELECT 'prepared transaction ' || gid FROM pg_prepared_xacts
UNION ALL
SELECT 'staging object ' || relname FROM pg_class
WHERE relname ~ '^import_(staging|clean|line)_[0-9]+$';
