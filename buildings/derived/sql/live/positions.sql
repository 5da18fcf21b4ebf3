-- The two middle positions of each area's known years, as the live summary keeps
-- them: from rows of (level, town_id, county, year_built, n), per area (told apart by
-- <partition>) its count of known years, the year holding the ((known - 1) / 2)-th
-- (from 0) with how many lie below that year, the same for the (known / 2)-th, and
-- the continuous median they make (as buildings/core/sql/medians.sql computes it).
-- A position's year is the first whose running count passes it.
WITH running AS (
    SELECT level, town_id, county, year_built, n,
           (sum(n) OVER (PARTITION BY {partition} ORDER BY year_built))::bigint AS upto,
           (sum(n) OVER (PARTITION BY {partition}))::bigint AS known
    FROM ({year_counts}) AS year_counts
    WHERE n > 0
), positions AS (
    SELECT level, town_id, county, known,
           min(year_built) FILTER (WHERE upto > (known - 1) / 2) AS low_year,
           min(upto - n) FILTER (WHERE upto > (known - 1) / 2) AS low_below,
           min(year_built) FILTER (WHERE upto > known / 2) AS high_year,
           min(upto - n) FILTER (WHERE upto > known / 2) AS high_below
    FROM running
    GROUP BY level, town_id, county, known
)
SELECT level, town_id, county, known, low_year, low_below, high_year, high_below,
       ((low_year + high_year) / 2.0)::float8 AS median_year_built
FROM positions
