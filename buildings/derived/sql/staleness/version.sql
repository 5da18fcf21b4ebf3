-- The data version a refresh is about to reflect. Read without a lock, so writers
-- never wait for a refresh: a write that commits from here on bumps the version
-- past this one and leaves the views stale, which errs on the safe side.
SELECT sum(data_version)::bigint FROM buildings_writeslot;
