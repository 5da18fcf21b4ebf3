-- Per town (or per unknown TOWN_ID as written): rows read, loaded, rejected, values nulled.
SELECT y.town_id,
       coalesce(t.name, 'unknown TOWN_ID ' || coalesce(y.town_raw, '(missing)')) AS town,
       sum(y.rows)::bigint AS read,
       coalesce(sum(y.rows) FILTER (WHERE y.loaded), 0)::bigint AS loaded,
       coalesce(sum(y.rows) FILTER (WHERE NOT y.loaded), 0)::bigint AS rejected,
       coalesce(sum(y.rows * cardinality(y.nulled)) FILTER (WHERE y.loaded), 0)::bigint
         AS nulled
FROM {tally} y
LEFT JOIN buildings_town t ON t.town_id = y.town_id
GROUP BY y.town_id, t.name, y.town_raw
ORDER BY y.town_id NULLS LAST, 2;
