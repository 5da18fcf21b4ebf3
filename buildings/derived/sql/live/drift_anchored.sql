-- The drift check's recount of the counties' and state's counts, anchored where the
-- live summary's are (a recount anchors them anew), so that the two compare.
-- Placeholders: <area>, <area_slot>, <area_year>, the recount's tables.
DELETE FROM {area};
INSERT INTO {area} SELECT * FROM buildings_summary_area;
DELETE FROM {area_slot};
INSERT INTO {area_slot} (slot, level, county, known, below_anchor)
SELECT 0, y.level, y.county, sum(y.n),
       coalesce(sum(y.n) FILTER (WHERE y.year_built < a.anchor_year), 0)
FROM {area_year} y
LEFT JOIN {area} a ON a.level = y.level AND a.county IS NOT DISTINCT FROM y.county
GROUP BY y.level, y.county
