-- A new building in one of the shared towns (deleted by restore.sql at the end).
INSERT INTO buildings_building (prop_id, town_id, use_code, year_built, stories, bld_area, total_val)
VALUES (%(prop_id)s, %(town)s, '101', %(year)s, 2, 1800, 350000);
