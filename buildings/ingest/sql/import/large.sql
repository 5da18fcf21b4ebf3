-- Is the import large enough that rebuilding the indexes after it beats
-- maintaining them row by row (at least 50,000 rows and a quarter of the table)?
-- And is there anything to write at all: rows to load, or towns to replace?
SELECT count(*) FILTER (WHERE reason IS NULL)
         >= greatest(50000, (SELECT reltuples FROM pg_class
                             WHERE oid = 'buildings_building'::regclass) / 4) AS large,
       count(*) FILTER (WHERE reason IS NULL) AS loadable,
       count(DISTINCT town_id) AS towns
FROM {clean};
