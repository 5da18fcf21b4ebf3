-- The continuous median year built (percentile_cont(0.5)) of each area, from how
-- many buildings it has of each known year: <year_counts> gives rows of (level,
-- town_id, county, year_built, n), <partition> the columns that tell its areas
-- apart (all three, or town_id alone for towns, whose year counts then arrive
-- in (town_id, year_built) order and need no sort). Exact for any area (never a median of
-- medians), and cheap: a window over a few rows an area instead of a sort of every
-- building. Used by the sql strategy, the live summary's triggers and its reads.
-- The counts are summed as integers (a count per area and year fits): sum(bigint)
-- would add them as numeric, several times slower.
WITH running AS (
    SELECT level, town_id, county, year_built,
           sum(n::integer) OVER (PARTITION BY {partition} ORDER BY year_built) AS upto,
           sum(n::integer) OVER (PARTITION BY {partition}) AS known
    FROM ({year_counts}) AS year_counts
    WHERE n > 0
)
SELECT level, town_id, county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY level, town_id, county
