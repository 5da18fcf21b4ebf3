-- Each county's and the state's buildings per known year, as <area_year> holds them:
-- rows of (level, town_id, county, year_built, n) for positions and medians.
SELECT level, NULL::integer AS town_id, county, year_built, n
FROM {area_year}
