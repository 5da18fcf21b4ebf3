"""`cluster move TOWN SHARD`: a town's buildings carried to another shard, in one
two-phase commit over both shards and the coordinator's placement.

The rows go by COPY from one shard to the other (new ids there, in the same order,
so the report's tie-breaks come out the same); both shards' live summaries follow by
their triggers; the coordinator records the decision and the new placement in one
commit, then both shards commit. The report is the same before and after.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from psycopg import sql

from buildings.cluster.setup import connect
from buildings.cluster.shards import ClusterError, by_name
from buildings.cluster.writes import GID_PREFIX, abandon, cluster_lock, finish
from buildings.core.models import Building, Placement, Town


def building_columns() -> list[str]:
    """Every stored column a building carries but its id (and the generated ones)."""
    return [f.column for f in Building._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)]


def move(town: str, to: str, say: Callable[[str], None]) -> int:
    target = by_name(to)
    found = Town.objects.filter(name__iexact=town.strip()).first() or (
        Town.objects.filter(pk=int(town)).first() if town.strip().isdigit() else None)
    if found is None:
        raise ClusterError(f"unknown town {town!r}: give its name or its MassGIS TOWN_ID")
    placed = Placement.objects.filter(town=found).first()
    if placed is None:
        raise ClusterError(f"{found.name} is not placed: run `cluster place` first")
    if placed.shard == target.name:
        raise ClusterError(f"{found.name} is on {target.name} already")
    source = by_name(placed.shard)
    columns = sql.SQL(", ").join(map(sql.Identifier, building_columns()))
    gid = f"{GID_PREFIX}{uuid.uuid4().hex[:20]}"
    with cluster_lock():
        src, dst = connect(source), connect(target)
        try:
            with src.cursor() as out, dst.cursor() as into:
                with out.copy(sql.SQL("COPY (SELECT {} FROM buildings_building WHERE town_id = {} "
                                      "ORDER BY id) TO STDOUT").format(
                                          columns, sql.Literal(found.pk))) as reading, \
                        into.copy(sql.SQL("COPY buildings_building ({}) FROM STDIN").format(
                            columns)) as writing:
                    for block in reading:
                        writing.write(block)
                moved = into.execute("SELECT count(*) FROM buildings_building WHERE town_id = %s",
                                     [found.pk]).fetchone()[0]
                into.execute("DELETE FROM buildings_provenance WHERE town_id = %s", [found.pk])
                for row in out.execute("SELECT origin, seed, files, fy_min, fy_max, loaded_at "
                                       "FROM buildings_provenance WHERE town_id = %s", [found.pk]):
                    into.execute("INSERT INTO buildings_provenance (town_id, origin, seed, files, "
                                 "fy_min, fy_max, loaded_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                                 [found.pk, *row])
                out.execute("DELETE FROM buildings_building WHERE town_id = %s", [found.pk])
                out.execute("DELETE FROM buildings_provenance WHERE town_id = %s", [found.pk])
            for conn in (src, dst):
                conn.execute(sql.SQL("PREPARE TRANSACTION {}").format(sql.Literal(gid)))
        except Exception:
            for conn in (src, dst):
                conn.rollback()
            abandon(gid, (source, target))
            raise
        finally:
            src.close()
            dst.close()

        def on_coordinator() -> None:
            Placement.objects.filter(town=found).update(shard=target.name)

        finish(gid, f"move {found.name} from {source.name} to {target.name}", on_coordinator,
               (source, target))
    say(f"moved {found.name} ({moved:,} buildings) from {source.name} to {target.name}")
    return moved
