-- The towns' medians for the sql strategy, as sql/analysis/medians.sql computes
-- them, straight over the report statement's per_year CTE: it comes out of its
-- index-only scan ordered by (town_id, year_built), so these windows need no sort
-- of its tens of thousands of rows.
WITH running AS (
    SELECT town_id, year_built,
           sum(n::integer) OVER (PARTITION BY town_id ORDER BY year_built) AS upto,
           sum(n::integer) OVER (PARTITION BY town_id) AS known
    FROM per_year
    WHERE year_built IS NOT NULL
)
SELECT 0 AS level, town_id, NULL::varchar AS county,
       ((min(year_built) FILTER (WHERE upto > (known::bigint - 1) / 2)
         + min(year_built) FILTER (WHERE upto > known::bigint / 2)) / 2.0)::float8
         AS median_year_built
FROM running
GROUP BY town_id
