-- Everything a page needs to know before it reads a figure, in one round trip: the
-- data version (bumped by every write to the buildings), the version and time of
-- the views' last refresh, whether the live summary's triggers are all there and
-- enabled, whether the report view holds data, and whether any building is loaded.
-- The slots' xmins, the transactions that last wrote them, tell apart two versions
-- of the same number (one rolled back in this session, the next committed).
WITH slots AS (
    SELECT md5(string_agg(xmin::text, ',' ORDER BY slot)) AS written_by,
           sum(data_version)::bigint AS data_version,
           max(changed_at) AS changed_at
    FROM buildings_writeslot
)
SELECT slots.written_by,
       slots.data_version,
       s.refreshed_version,
       slots.changed_at,
       s.refreshed_at,
       (SELECT count(*) = cardinality(%(triggers)s::text[]) AND bool_and(tgenabled <> 'D')
        FROM pg_trigger
        WHERE tgrelid = 'buildings_building'::regclass
          AND tgname = ANY (%(triggers)s::text[])) AS live,
       (SELECT relispopulated FROM pg_class WHERE oid = %(view)s::regclass) AS view_populated,
       EXISTS (SELECT FROM buildings_building) AS has_buildings
FROM buildings_viewstate s, slots
WHERE s.id = 1;
