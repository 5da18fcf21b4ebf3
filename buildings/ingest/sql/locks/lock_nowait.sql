-- sql/locks/lock.sql, refused at once when another session holds the table.
LOCK TABLE buildings_building IN ACCESS EXCLUSIVE MODE NOWAIT;
