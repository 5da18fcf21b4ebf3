-- The counties' and the state's buildings per known year, as the live summary keeps
-- them: the year counts buildings/core/sql/medians.sql takes.
SELECT level, NULL::integer AS town_id, county, year_built, n
FROM buildings_summary_area_year
