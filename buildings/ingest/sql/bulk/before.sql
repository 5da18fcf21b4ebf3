-- Deferred foreign-key checks of earlier writes in this transaction fire now:
-- PostgreSQL refuses to alter a table with pending trigger events.
SET CONSTRAINTS ALL IMMEDIATE;
