-- One of the writers' new buildings in the town deleted, whichever writer inserted it.
DELETE FROM buildings_building
WHERE id = (SELECT id FROM buildings_building
            WHERE town_id = %(town)s AND prop_id LIKE 'bench-write-deadlock-%%'
            ORDER BY id LIMIT 1);
