-- Frozen copy of buildings/derived/sql/staleness/trigger.sql, as migration 0004_views installs it (this line is not part of it); the whole migration: manage.py sqlmigrate buildings 0004
-- Staleness of the materialized views. Every statement that writes to the
-- buildings (insert, update, delete, truncate) bumps data_version once, via a
-- statement-level trigger (never a per-row one). A refresh records the
-- data_version it saw when it began; the views are stale while the two differ,
-- so a write that lands during a refresh still leaves them stale.
CREATE OR REPLACE FUNCTION buildings_mark_views_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE buildings_viewstate SET data_version = data_version + 1, changed_at = now()
    WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER buildings_mark_views_stale
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings_building
FOR EACH STATEMENT EXECUTE FUNCTION buildings_mark_views_stale();

INSERT INTO buildings_viewstate (id, data_version, refreshed_version, changed_at, refreshed_at)
VALUES (1, 1, 0, now(), NULL)
ON CONFLICT (id) DO NOTHING;
