-- What bench_write will change, kept until it has put it back: the stories and year
-- built of the buildings its updates pick from (a table, not a temporary one, so an
-- interrupted run is put back by the next).
CREATE TABLE buildings_bench_write_saved AS
SELECT id, stories, year_built FROM buildings_building WHERE id BETWEEN %(lo)s AND %(hi)s;
