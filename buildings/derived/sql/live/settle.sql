-- This transaction's pending changes, added to the live summary before it reads it
-- (sql/live/triggers.sql); nothing at all in a transaction that wrote nothing.
SELECT buildings_summary_settle();
