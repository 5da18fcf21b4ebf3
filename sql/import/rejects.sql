COPY (
    SELECT file, line, town_raw AS town_id, prop_id, reason
    FROM import_clean
    WHERE reason IS NOT NULL
    ORDER BY file, line
) TO STDOUT WITH (FORMAT csv, HEADER)
