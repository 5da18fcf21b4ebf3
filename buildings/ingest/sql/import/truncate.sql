-- The files replace every building (see replaces_all.sql). Deferred foreign-key
-- checks of earlier writes in this transaction fire first: TRUNCATE refuses a table
-- with pending trigger events.
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE buildings_building;
