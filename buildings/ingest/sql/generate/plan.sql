-- How many buildings each town gets: proportional to population, times a
-- buildings-per-resident factor that falls with density (dense cities house
-- people in fewer, larger buildings) and a little town-level noise. Cumulative
-- rounding makes the counts add up to exactly %(n)s (round, not floor: the last
-- running share can come out a hair under 1 in floating point). Every town's range
-- of ids, whichever towns are made: a cluster's shard makes its own towns' buildings
-- exactly as one server would. A subquery of the statements that read it, not a
-- temporary table: a transaction that touched one could not be prepared (two-phase
-- commit, on a cluster).
WITH weighted AS (
    SELECT t.town_id,
           t.name,
           t.population / NULLIF(t.land_sq_mi, 0) > 5000 AS urban,
           t.population
             * power(greatest(t.population / NULLIF(t.land_sq_mi, 0), 20), -0.2)
             * exp(0.15 * mab_normal(t.town_id, 1, %(seed)s)) AS weight,
           0.75 + 0.6 * mab_uniform(t.town_id, 2, %(seed)s)
             + CASE WHEN t.population / NULLIF(t.land_sq_mi, 0) > 5000 THEN 0.5 ELSE 0 END
             AS price_factor
    FROM buildings_town t
),
cumulative AS (
    SELECT w.*,
           round(%(n)s::numeric * (sum(weight) OVER (ORDER BY town_id)
                                  / sum(weight) OVER ())::numeric)::bigint AS upto
    FROM weighted w
)
SELECT town_id, name, urban, price_factor,
       coalesce(lag(upto) OVER (ORDER BY town_id), 0) + 1 AS first_id,
       upto AS last_id
FROM cumulative
