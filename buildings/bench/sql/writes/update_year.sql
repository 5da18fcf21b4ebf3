-- pgbench script: a building's year built changed, by random id among the saved ones
-- (its town's, county's and state's year counts move, and its town's median)
\set id random(:lo, :hi)
UPDATE buildings_building SET year_built = 1800 + (:id * 7 + :client_id) % 220 WHERE id = :id;
