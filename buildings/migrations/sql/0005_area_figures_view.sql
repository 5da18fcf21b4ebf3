-- Frozen copy of the view area_figures, as migration 0005_analysis_indexes installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0005
-- The county rows and the state row (county null) of the stored report
-- (mapped by buildings.models.AreaFigures).
SELECT area_key, county, population, buildings, important, "large", "tall", "historic", "civic", "landmark_value",
       important_pct, important_floor_area, median_year_built, avg_important_value
FROM buildings_report_mv
WHERE level > 0