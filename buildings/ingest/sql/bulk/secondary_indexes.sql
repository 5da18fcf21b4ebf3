-- What a bulk load into a table should drop first and re-create after: its
-- unique, exclusion and foreign-key constraints (their per-row checks and index
-- upkeep) and its plain indexes; never the primary key.
-- Rows: (name, definition, is_constraint).
SELECT c.conname, pg_get_constraintdef(c.oid), true
FROM pg_constraint c
WHERE c.conrelid = %(table)s::regclass AND c.contype IN ('u', 'x', 'f')
UNION ALL
SELECT i.relname, pg_get_indexdef(x.indexrelid), false
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = %(table)s::regclass
  AND NOT x.indisprimary
  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid
                                                AND c.conrelid = x.indrelid)
ORDER BY 3 DESC, 1;
