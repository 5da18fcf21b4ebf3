-- Values that could not be read and were loaded as null, per column.
SELECT column_name, count(*)
FROM {clean}, unnest(nulled) AS column_name
WHERE reason IS NULL
GROUP BY column_name
ORDER BY column_name;
