-- pgbench script: one new building in a random town (removed when the bench ends)
\set town random(1, 351)
\set tag random(0, 1000000000)
INSERT INTO buildings_building (prop_id, town_id, use_code, year_built, stories, bld_area, total_val)
VALUES ('bench-write-' || :client_id || '-' || :tag, :town, '101',
        1900 + :town % 120, 2, 1800, 350000);
