-- Is the import large enough that rebuilding the indexes after it beats
-- maintaining them row by row (at least 50,000 rows and a quarter of the table)?
-- And is there anything to write at all: rows to load, or towns to replace?
SELECT coalesce(sum(rows) FILTER (WHERE loaded), 0)
         >= greatest(50000, (SELECT reltuples FROM pg_class
                             WHERE oid = 'buildings_building'::regclass) / 4) AS large,
       coalesce(sum(rows) FILTER (WHERE loaded), 0)::bigint AS loadable,
       count(DISTINCT town_id) AS towns
FROM {tally};
