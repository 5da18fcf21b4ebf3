-- Per source file (its number in the import's order): rows read, loaded, rejected.
SELECT file_no,
       count(*) AS read,
       count(*) FILTER (WHERE reason IS NULL) AS loaded,
       count(*) FILTER (WHERE reason IS NOT NULL) AS rejected
FROM {clean}
GROUP BY file_no;
