-- Removes what sql/staleness/trigger.sql installs (the rows go with their tables).
DROP TRIGGER buildings_mark_views_stale ON buildings_building;
DROP FUNCTION buildings_mark_views_stale();
