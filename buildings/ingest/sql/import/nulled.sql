-- Values that could not be read and were loaded as null, per column.
SELECT column_name, sum(rows)::bigint
FROM {tally}, unnest(nulled) AS column_name
WHERE loaded
GROUP BY column_name
ORDER BY column_name;
