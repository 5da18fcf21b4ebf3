-- Values that could not be read and were loaded as null, per column.
SELECT column_name, count(*)
FROM import_clean, unnest(nulled) AS column_name
WHERE reason IS NULL
GROUP BY column_name
ORDER BY column_name;
