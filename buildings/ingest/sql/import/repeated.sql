-- A PROP_ID that a town's rows hold more than once: the first (in the order of the
-- files and their lines, among the records that could be read) stays; every later
-- one is rejected, naming where the first is. It stands before "already loaded"
-- and after every other reason. Run after clean.sql, over its narrow columns:
-- a hash aggregate of (town, PROP_ID) pairs, then an update of the few repeats.
WITH repeated AS (
    SELECT town_id, prop_id
    FROM {clean}
    WHERE NOT unreadable AND town_id IS NOT NULL AND prop_id IS NOT NULL
    GROUP BY 1, 2
    HAVING count(*) > 1
),
first AS (
    SELECT DISTINCT ON (c.town_id, c.prop_id) c.town_id, c.prop_id, c.file, c.file_no, c.line
    FROM {clean} c
    JOIN repeated USING (town_id, prop_id)
    WHERE NOT c.unreadable
    ORDER BY c.town_id, c.prop_id, c.file_no, c.line
)
UPDATE {clean} c
SET reason = 'PROP_ID repeated in this town (first at line ' || f.line
             || CASE WHEN f.file <> c.file THEN ' of ' || f.file ELSE '' END || ')'
FROM first f
WHERE c.town_id = f.town_id AND c.prop_id = f.prop_id
  AND (c.file_no, c.line) <> (f.file_no, f.line)
  AND (c.reason IS NULL OR c.reason LIKE 'PROP_ID already loaded%');
