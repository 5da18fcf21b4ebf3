-- How a live summary table differs from its recount: rows only in the recount
-- (missing, or different in the live table) and rows only in the live table.
-- Compared without the surrogate id. Placeholders: <live>, <recount>.
WITH live AS (SELECT to_jsonb(l) - 'id' AS row FROM {live} l),
     recount AS (SELECT to_jsonb(r) - 'id' AS row FROM {recount} r)
SELECT (SELECT count(*) FROM (SELECT row FROM recount EXCEPT ALL SELECT row FROM live) m),
       (SELECT count(*) FROM (SELECT row FROM live EXCEPT ALL SELECT row FROM recount) e)
