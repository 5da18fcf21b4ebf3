-- Recount the live summary (the function sql/live/triggers.sql installs).
SELECT buildings_summary_rebuild();
