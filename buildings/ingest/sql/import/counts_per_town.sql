-- Per town (or per unknown TOWN_ID as written): rows read, loaded, rejected, values nulled.
SELECT c.town_id,
       coalesce(t.name, 'unknown TOWN_ID '
                        || coalesce(CASE WHEN c.town_id IS NULL THEN c.town_raw END, '(missing)'))
         AS town,
       count(*) AS read,
       count(*) FILTER (WHERE c.reason IS NULL) AS loaded,
       count(*) FILTER (WHERE c.reason IS NOT NULL) AS rejected,
       coalesce(sum(cardinality(c.nulled)) FILTER (WHERE c.reason IS NULL), 0) AS nulled
FROM {clean} c
LEFT JOIN buildings_town t ON t.town_id = c.town_id
GROUP BY c.town_id, t.name, CASE WHEN c.town_id IS NULL THEN c.town_raw END
ORDER BY c.town_id NULLS LAST, 2;
