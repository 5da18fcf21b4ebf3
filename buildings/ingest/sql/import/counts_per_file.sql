-- Per source file (its number in the import's order): rows read, loaded, rejected.
SELECT file_no,
       sum(rows)::bigint AS read,
       coalesce(sum(rows) FILTER (WHERE loaded), 0)::bigint AS loaded,
       coalesce(sum(rows) FILTER (WHERE NOT loaded), 0)::bigint AS rejected
FROM {tally}
GROUP BY file_no;
