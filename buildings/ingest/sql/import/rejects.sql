-- The rejected rows, for --rejects: where they are and why. The values shown are
-- cut to a readable length (a 10 MB PROP_ID is quoted by its first 60 characters).
COPY (
    SELECT file, line,
           CASE WHEN length(town_raw) > 20 THEN left(town_raw, 20) || '...' ELSE town_raw END
             AS town_id,
           CASE WHEN length(prop_id) > 60 THEN left(prop_id, 60) || '...' ELSE prop_id END
             AS prop_id,
           reason
    FROM {clean}
    WHERE reason IS NOT NULL
    ORDER BY file_no, line
) TO STDOUT WITH (FORMAT csv, HEADER)
