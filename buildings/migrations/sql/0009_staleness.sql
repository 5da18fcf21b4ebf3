-- Frozen copy of buildings/derived/sql/staleness/trigger.sql, as migration 0009_live_summary installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0009
-- Staleness of the materialized views. Every statement that writes to the
-- buildings (insert, update, delete, truncate) bumps data_version once, via a
-- statement-level trigger (never a per-row one). A refresh records the
-- data_version it saw when it began; the views are stale while the two differ,
-- so a write that lands during a refresh still leaves them stale.
--
-- BEFORE, not AFTER, the statement: the data_version row is every writer's first
-- lock, taken before the statement locks any building. A writer that has to wait
-- for it then holds nothing another writer could be waiting for, so two
-- transactions of several statements each never deadlock on it (writers take
-- their turns, one transaction at a time, as they always did on this row).
CREATE OR REPLACE FUNCTION buildings_mark_views_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE buildings_viewstate SET data_version = data_version + 1, changed_at = now()
    WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER buildings_mark_views_stale
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings_building
FOR EACH STATEMENT EXECUTE FUNCTION buildings_mark_views_stale();

INSERT INTO buildings_viewstate (id, data_version, refreshed_version, changed_at, refreshed_at)
VALUES (1, 1, 0, now(), NULL)
ON CONFLICT (id) DO NOTHING;
