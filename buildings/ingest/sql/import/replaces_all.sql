-- --replace, or a first load: is every building in the table in a town the files
-- replace (or the table empty)? Then TRUNCATE stands for the DELETE, and under
-- wal_level=minimal the rows inserted after it in this transaction skip the WAL,
-- as the generator's do. One index probe per town (every building's town is in
-- buildings_town, by its foreign key), not a scan of the buildings.
SELECT CASE
    WHEN %(replace)s THEN NOT EXISTS (
        SELECT FROM buildings_town t
        WHERE NOT EXISTS (SELECT FROM {tally} y WHERE y.town_id = t.town_id)
          AND EXISTS (SELECT FROM buildings_building b WHERE b.town_id = t.town_id))
    ELSE NOT EXISTS (SELECT FROM buildings_building)
END;
