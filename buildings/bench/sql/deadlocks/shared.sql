-- The buildings the colliding writers share (the first %(shared)s by id) and the towns
-- they are in (where the writers insert and delete, so that those collide too).
WITH shared AS (SELECT id, town_id FROM buildings_building ORDER BY id LIMIT %(shared)s)
SELECT array_agg(id ORDER BY id), array_agg(DISTINCT town_id) FROM shared;
