-- Frozen copy of buildings/derived/sql/staleness/trigger_remove.sql, as migration 0012_writers_side_by_side installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0012
-- Removes what sql/staleness/trigger.sql installs (the rows go with their tables).
DROP TRIGGER buildings_mark_views_stale ON buildings_building;
DROP FUNCTION buildings_mark_views_stale();
