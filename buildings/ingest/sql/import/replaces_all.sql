-- --replace, or a first load: is every building in the table in a town the files
-- replace (or the table empty)? Then TRUNCATE stands for the DELETE, and under
-- wal_level=minimal the rows inserted after it in this transaction skip the WAL,
-- as the generator's do.
SELECT NOT EXISTS (
    SELECT FROM buildings_building b
    WHERE NOT %(replace)s
       OR b.town_id NOT IN (SELECT town_id FROM {clean} WHERE town_id IS NOT NULL)
);
