-- What pgbench's backends are doing at this instant (bench_write samples it during
-- each run): how many are running a statement, how many of those wait for another
-- transaction's row lock (a hot row: the same summary row taken by writer after
-- writer), and how many for the WAL to be written and flushed at their commit.
SELECT count(*) AS active,
       count(*) FILTER (WHERE wait_event_type = 'Lock') AS on_locks,
       count(*) FILTER (WHERE wait_event IN ('WALWrite', 'WalSync', 'WALSync', 'WalWrite')
                        ) AS on_wal
FROM pg_stat_activity
WHERE application_name = 'pgbench' AND state = 'active'
