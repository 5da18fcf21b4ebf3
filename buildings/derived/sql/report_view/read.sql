-- The stored report (buildings_report_mv), the rows a selection shows (<shown>), in
-- the order the report statement gives them.
SELECT *
FROM buildings_report_mv
WHERE {shown}
ORDER BY level DESC, CASE WHEN level = 1 THEN county END, town_id
