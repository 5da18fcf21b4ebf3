-- The buildings as they were before bench_write: its inserts gone, its updates undone.
DELETE FROM buildings_building WHERE prop_id LIKE 'bench-write-%%';
UPDATE buildings_building b SET stories = s.stories, year_built = s.year_built
FROM buildings_bench_write_saved s
WHERE b.id = s.id
  AND (b.stories IS DISTINCT FROM s.stories OR b.year_built IS DISTINCT FROM s.year_built);
DROP TABLE buildings_bench_write_saved;
