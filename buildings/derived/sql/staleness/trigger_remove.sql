-- Removes what sql/views/staleness.sql installs (the viewstate row goes with its table).
DROP TRIGGER buildings_mark_views_stale ON buildings_building;
DROP FUNCTION buildings_mark_views_stale();
