-- What every count of the import reads, in one pass over <clean>: its rows grouped by
-- file, town (an unknown TOWN_ID as written), loaded or not, and the columns nulled,
-- so a million rows become a few thousand groups (nearly every row of a town has the
-- same, empty, list of nulled columns). large.sql, replaces_all.sql, replace.sql,
-- provenance.sql, counts_per_town.sql, counts_per_file.sql and nulled.sql read these
-- groups instead of each scanning <clean> again. Run after repeated.sql and
-- elsewhere.sql, the last statements that change a row's reason or remove it.
CREATE TABLE {tally} AS
SELECT file_no, min(file) AS file, town_id,
       CASE WHEN town_id IS NULL THEN town_raw END AS town_raw,
       reason IS NULL AS loaded, nulled, count(*) AS rows,
       min(fy) AS fy_min, max(fy) AS fy_max
FROM {clean}
GROUP BY file_no, town_id, CASE WHEN town_id IS NULL THEN town_raw END, reason IS NULL, nulled;
