-- Where the towns' buildings now come from. --replace: a town in the files holds only
-- what this import loaded (its files, the fiscal years its rows give); replacing
-- every town forgets the others. Without it, a town gains this import's files and
-- years, and one that held generated rows becomes 'mixed'.
DELETE FROM buildings_provenance
WHERE %(replaces_all)s
   OR (%(replace)s AND town_id IN (SELECT town_id FROM {tally} WHERE town_id IS NOT NULL));
INSERT INTO buildings_provenance AS p (town_id, origin, seed, files, fy_min, fy_max, loaded_at)
SELECT town_id, 'imported', NULL, string_agg(DISTINCT file, ', ' ORDER BY file), min(fy_min),
       max(fy_max), now()
FROM {tally}
WHERE loaded
GROUP BY town_id
ON CONFLICT (town_id) DO UPDATE SET
    origin = CASE WHEN p.origin = 'imported' THEN 'imported' ELSE 'mixed' END,
    files = concat_ws(', ', p.files, excluded.files),
    fy_min = least(p.fy_min, excluded.fy_min),
    fy_max = greatest(p.fy_max, excluded.fy_max),
    loaded_at = excluded.loaded_at;
