#!/bin/bash
# PostgreSQL does not start after a crash that follows the rollback of a transaction
# that created an unlogged relation (seen on 15.18 and 18.6; pgsql-bugs #17731 is the
# same end state). Three statements and a crash reproduce it, every time:
#
#   bash docs/repro/unlogged-abort.sh PGBINDIR [unlogged|logged]
#
# Run it as a user who may run PostgreSQL (not root). With `logged` (a plain table)
# the same steps restart cleanly. Why (src/backend/catalog/storage.c, md.c, reinit.c):
# on rollback the new relation's init fork is unlinked at once and its main fork is
# truncated and kept until the next checkpoint, but the abort record is not flushed
# (an abort never waits for its WAL); the crash loses it. Recovery's cleanup finds a
# main fork with no init fork and keeps it, the redo of XLOG_SMGR_CREATE brings the
# init fork back, and the reset at the end of redo copies the init fork onto the main
# fork with O_EXCL: "could not create file ...: File exists", and the startup process
# exits. The next start succeeds: its cleanup now sees the init fork.
set -u
bin=${1:?the folder of pg_ctl, initdb and psql}; kind=${2:-unlogged}
case $kind in unlogged) create="CREATE UNLOGGED TABLE staging (x int)" ;;
              logged) create="CREATE TABLE staging (x int)" ;;
              *) echo "kind: unlogged or logged"; exit 2 ;; esac
dir=$(mktemp -d); port=${PORT:-55999}
"$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
echo "wal_writer_delay = 10s" >> "$dir/data/postgresql.conf"  # a wider window; 200ms by default
"$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null
psql() { "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres "$@"; }
# a later commit makes the CREATE's WAL durable; the rollback's stays in memory;
# then every server process dies at once (a power cut, or the OOM killer's SIGKILL)
psql <<SQL
BEGIN;
$create;
\! "$bin/psql" -X -q -h "$dir" -p $port -U postgres -d postgres -c 'CREATE TABLE flush_the_wal ()'
ROLLBACK;
\! pkill -9 -f -- "-D $dir/data"
SQL
sleep 1; pkill -9 -f -- "$dir" 2>/dev/null; sleep 1
if "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null 2>&1; then
    echo "$kind: restarted after the crash"
else
    echo "$kind: does not start after the crash: $(grep FATAL "$dir/log" | tail -n 1 | sed 's/.*FATAL: *//')"
    "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null 2>&1 \
        && echo "$kind: the second start succeeds"
fi
"$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$dir"
