-- Frozen copy of the view town_figures, as migration 0005_analysis_indexes installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0005
-- The town rows of the stored report (mapped by buildings.models.TownFigures).
SELECT town_id, town, county, population, buildings, important, "large", "tall", "historic", "civic", "landmark_value",
       important_pct, important_floor_area, median_year_built, avg_important_value,
       largest_prop_id, largest_site_addr, largest_bld_area, buildings_per_1000, rank
FROM buildings_report_mv
WHERE level = 0