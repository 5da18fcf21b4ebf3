-- Before insert.sql: memory for its sort, for this transaction (insert.sql's
-- comment says why; RESET after it), and the ids of the rows it inserts, reserved
-- at once from the buildings' identity sequence: the first of <rows> consecutive
-- ids. The import holds the table in ACCESS EXCLUSIVE mode (locks/lock.sql), so no
-- other insert draws from the sequence meanwhile; like nextval, the reservation is
-- not undone by a rollback, which at worst leaves a gap in the ids.
-- Parameter: %(rows)s, how many (at least one).
SELECT set_config('work_mem', '1GB', true) AS work_mem,
       setval(pg_get_serial_sequence('buildings_building', 'id'),
              nextval(pg_get_serial_sequence('buildings_building', 'id')) + %(rows)s - 1)
       - %(rows)s + 1 AS first_id;
