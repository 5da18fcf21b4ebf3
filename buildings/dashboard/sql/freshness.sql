-- Everything a page needs to know before it reads a figure, in one round trip: the
-- data version (bumped by every write to the buildings), the version and time of
-- the views' last refresh, whether the live summary's triggers are all there and
-- enabled, whether the report view holds data, and whether any building is loaded.
-- The row's xmin, the transaction that last wrote it, tells apart two versions of
-- the same number (one rolled back, the next committed).
SELECT s.xmin::text::bigint AS written_by,
       s.data_version,
       s.refreshed_version,
       s.changed_at,
       s.refreshed_at,
       (SELECT count(*) = cardinality(%(triggers)s::text[]) AND bool_and(tgenabled <> 'D')
        FROM pg_trigger
        WHERE tgrelid = 'buildings_building'::regclass
          AND tgname = ANY (%(triggers)s::text[])) AS live,
       (SELECT relispopulated FROM pg_class WHERE oid = %(view)s::regclass) AS view_populated,
       EXISTS (SELECT FROM buildings_building) AS has_buildings
FROM buildings_viewstate s
WHERE s.id = 1;
