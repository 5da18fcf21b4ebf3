-- On a cluster's shard: the rows of towns held elsewhere go before anything counts
-- them (their own shard loads and counts them), and, unless this shard reports the
-- rows of no known town (%(unplaced)s: one shard does), those rows go too. The
-- towns held here: %(towns)s.
DELETE FROM {clean}
WHERE (town_id IS NOT NULL AND NOT town_id = ANY (%(towns)s::integer[]))
   OR (town_id IS NULL AND NOT %(unplaced)s);
