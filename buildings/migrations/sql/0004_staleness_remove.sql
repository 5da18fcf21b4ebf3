-- Frozen copy of buildings/derived/sql/staleness/trigger_remove.sql, as migration 0004_views installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0004
-- Removes what sql/views/staleness.sql installs (the viewstate row goes with its table).
DROP TRIGGER buildings_mark_views_stale ON buildings_building;
DROP FUNCTION buildings_mark_views_stale();
