-- Writers lock the buildings first, in the mode they will need at most (dropping
-- indexes and constraints): see buildings/ingest/locks.py, lock_buildings.
LOCK TABLE buildings_building IN ACCESS EXCLUSIVE MODE;
