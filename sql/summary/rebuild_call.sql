-- Recount the live summary (the function sql/summary/triggers.sql installs).
SELECT buildings_summary_rebuild();
