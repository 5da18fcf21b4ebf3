-- Frozen copy of buildings/derived/sql/live/triggers_remove.sql, as migration 0009_live_summary installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0009
-- Removes what sql/summary/triggers.sql installs.
DROP TRIGGER buildings_summary_truncate ON buildings_building;
DROP TRIGGER buildings_summary_delete ON buildings_building;
DROP TRIGGER buildings_summary_update ON buildings_building;
DROP TRIGGER buildings_summary_insert ON buildings_building;
DROP FUNCTION buildings_summary_truncate();
DROP FUNCTION buildings_summary_apply();
DROP FUNCTION buildings_summary_rebuild();
