-- Is the import large enough that rebuilding the indexes after it beats
-- maintaining them row by row? At least 50,000 rows and a quarter of the table.
SELECT count(*) >= greatest(50000, (SELECT reltuples FROM pg_class
                                    WHERE oid = 'buildings_building'::regclass) / 4)
FROM import_clean
WHERE reason IS NULL;
