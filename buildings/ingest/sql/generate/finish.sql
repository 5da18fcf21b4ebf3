SELECT setval(pg_get_serial_sequence('buildings_building', 'id'),
              greatest((SELECT max(id) FROM buildings_building), 1));
