-- A write of the burst, second statement in the same transaction: an existing
-- building of the town moved to another year (its town's, county's and state's year
-- counts and medians move in the live summary). Parameters: %(town)s, %(year)s.
UPDATE buildings_building SET year_built = %(year)s
WHERE id = (SELECT id FROM buildings_building WHERE town_id = %(town)s
            ORDER BY id OFFSET %(year)s %% 50 LIMIT 1);
