-- Start of a generation, inside its transaction. TRUNCATE (not DELETE) in the same
-- transaction as the load lets PostgreSQL skip the WAL for the new rows under
-- wal_level=minimal, and a rollback still brings every old row back.
-- Deferred foreign-key checks of earlier writes in the same transaction fire now:
-- TRUNCATE refuses a table with pending trigger events.
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE buildings_building;
