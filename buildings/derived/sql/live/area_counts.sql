-- Each county's and the state's count of known years and of those below its anchor,
-- summed over the writer slots of <area_slot> (a few hundred rows at most).
SELECT level, county, sum(known)::bigint AS known, sum(below_anchor)::bigint AS below_anchor
FROM {area_slot}
GROUP BY level, county
HAVING sum(known) <> 0 OR sum(below_anchor) <> 0
