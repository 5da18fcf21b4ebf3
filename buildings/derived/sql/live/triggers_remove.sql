-- Removes what sql/live/triggers.sql installs.
DROP TRIGGER buildings_summary_settle ON buildings_summary_due;
DROP TRIGGER buildings_summary_truncate ON buildings_building;
DROP TRIGGER buildings_summary_delete ON buildings_building;
DROP TRIGGER buildings_summary_update ON buildings_building;
DROP TRIGGER buildings_summary_insert ON buildings_building;
DROP FUNCTION buildings_summary_truncate();
DROP FUNCTION buildings_summary_settle_at_commit();
DROP FUNCTION buildings_summary_settle();
DROP FUNCTION buildings_median_move(integer, bigint, integer, bigint, integer[], bigint[]);
DROP FUNCTION buildings_area_median(integer, varchar, integer, bigint, bigint);
DROP FUNCTION buildings_middle(integer, integer, varchar, integer, bigint, bigint);
DROP FUNCTION buildings_year_step(integer, integer, varchar, integer, integer);
DROP FUNCTION buildings_summary_take_whole();
DROP FUNCTION buildings_summary_apply();
DROP FUNCTION buildings_summary_rebuild();
