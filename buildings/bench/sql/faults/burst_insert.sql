-- A write of the burst, first statement: a new building whose prop_id names the round
-- and the write (crash-check-<round>-<n>), so that a check after the crash finds
-- exactly which writes survived. Parameters: %(prop_id)s, %(town)s, %(year)s.
INSERT INTO buildings_building (prop_id, town_id, use_code, year_built, stories, bld_area, total_val)
VALUES (%(prop_id)s, %(town)s, '101', %(year)s, 2, 1800, 350000);
