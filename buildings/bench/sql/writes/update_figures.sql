-- pgbench script: a building's stories changed, by random id among the saved ones
-- (the tall criterion moves for some; the year counts and medians never)
\set id random(:lo, :hi)
UPDATE buildings_building SET stories = (:id % 12) WHERE id = :id;
