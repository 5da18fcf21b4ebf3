-- What the migrations made of the public schema, one row per object, comparable
-- between two databases or two points in time: columns (with any generation
-- expression), constraints, indexes, materialized views (definition and comment),
-- functions and triggers.
SELECT 'column' AS kind, c.relname || '.' || a.attname AS name,
       format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' generated ' || pg_get_expr(d.adbin, d.adrelid), '') AS definition
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
FROM pg_constraint
WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index', indexname, indexdef
FROM pg_indexes
WHERE schemaname = 'public'
UNION ALL
SELECT 'view', matviewname,
       definition || ' -- ' || coalesce(obj_description((schemaname || '.' || matviewname)::regclass, 'pg_class'), '')
FROM pg_matviews
WHERE schemaname = 'public'
UNION ALL
SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid)
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace
UNION ALL
SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
FROM pg_trigger
WHERE NOT tgisinternal
ORDER BY 1, 2;
