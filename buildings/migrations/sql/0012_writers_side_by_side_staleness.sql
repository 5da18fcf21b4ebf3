-- Frozen copy of buildings/derived/sql/staleness/trigger.sql, as migration 0012_writers_side_by_side installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0012
-- Staleness of the materialized views, and the key under which pages are kept. Every
-- statement that writes to the buildings (insert, update, delete, truncate) bumps a
-- data version once, via a statement-level trigger (never a per-row one). The data
-- version is the sum over 64 slots, each writer bumping the slot of its backend:
-- writers on different connections lock different rows and run side by side (one
-- row for all of them made every writer wait for the one before it to commit). A
-- refresh records the data version it saw when it began; the views are stale while
-- the two differ, so a write that lands during a refresh still leaves them stale.
-- A committed write changes its slot row, so a reader that looks again after it
-- always sees a different version and row versions (never a kept page); a
-- rolled-back one changes nothing anyone sees.
--
-- BEFORE, not AFTER, the statement: the slot row is every writer's first lock, taken
-- before the statement locks any building. Two writers that share a slot (their
-- backends' ids agree modulo 64) take turns, as all writers used to, and never
-- deadlock on it: the one that waits holds nothing yet.
CREATE OR REPLACE FUNCTION buildings_mark_views_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE buildings_writeslot SET data_version = data_version + 1, changed_at = now()
    WHERE slot = pg_backend_pid() % 64;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER buildings_mark_views_stale
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings_building
FOR EACH STATEMENT EXECUTE FUNCTION buildings_mark_views_stale();

-- version 1 before any write; refreshed_version 0: never refreshed
INSERT INTO buildings_writeslot (slot, data_version, changed_at)
SELECT slot, (slot = 0)::integer, NULL FROM generate_series(0, 63) AS slot
ON CONFLICT (slot) DO NOTHING;
INSERT INTO buildings_viewstate (id, refreshed_version, refreshed_at)
SELECT 1, 0, NULL
WHERE NOT EXISTS (SELECT FROM buildings_viewstate WHERE id = 1);
