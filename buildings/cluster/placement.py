"""Which shard holds which town: whole counties where they fit, balanced by building
counts (by population, a proxy, before any building is loaded).

Placing is for an empty cluster: once the shards hold buildings, a town changes
shard only by `cluster move`, which carries its rows with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from buildings.cluster.shards import ClusterError, shards
from buildings.core.models import Placement, Town

SLACK = 1.10  # a county goes whole to a shard while that keeps it within 10% of its share


@dataclass(frozen=True)
class Planned:
    shard: str
    towns: int
    counties_whole: int
    counties_split: int
    weight: int


def towns_by_shard() -> dict[str, list[int]]:
    """{shard: [town ids]}; every town placed, on a configured shard."""
    placed: dict[str, list[int]] = {}
    for town_id, shard in Placement.objects.order_by("town_id").values_list("town_id", "shard"):
        placed.setdefault(shard, []).append(town_id)
    count = sum(map(len, placed.values()))
    names = {s.name for s in shards()}
    unknown = sorted(set(placed) - names)
    if count != Town.objects.count() or unknown:
        what = (f"towns are placed on {', '.join(unknown)}, not in BUILDINGS_SHARDS" if unknown
                else f"{count} of {Town.objects.count()} towns are placed")
        raise ClusterError(f"{what}: run `cluster place` first")
    return placed


def holds_buildings() -> bool:
    """Whether any shard holds a building (False before `cluster setup`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('buildings_cluster_version') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT coalesce(bool_or(has_buildings), false) "
                       "FROM buildings_cluster_version")
        return cursor.fetchone()[0]


def buildings_per_town() -> dict[int, int]:
    """What each town weighs: its buildings on the shards, or else its population."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('buildings_cluster_report_live') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT town_id, buildings FROM buildings_cluster_report_live "
                           "WHERE level = 0")
            counted = dict(cursor.fetchall())
            if counted:
                return counted
    return dict(Town.objects.values_list("pk", "population"))


def plan(names: list[str], weights: dict[int, int],
         counties: dict[int, str]) -> dict[int, str]:
    """{town: shard}: counties from the heaviest down, each whole to the lightest shard
    when it fits there (within SLACK of an even share), else its towns one by one,
    heaviest first, each to the lightest shard."""
    load = dict.fromkeys(names, 0)
    share = sum(weights.get(t, 0) for t in counties) / len(names)
    by_county: dict[str, list[int]] = {}
    for town, county in counties.items():
        by_county.setdefault(county, []).append(town)
    placed: dict[int, str] = {}
    for _county, towns in sorted(by_county.items(),
                                 key=lambda kv: (-sum(weights.get(t, 0) for t in kv[1]), kv[0])):
        weight = sum(weights.get(t, 0) for t in towns)
        lightest = min(names, key=lambda n: (load[n], names.index(n)))
        if load[lightest] + weight <= SLACK * share:
            placed.update(dict.fromkeys(towns, lightest))
            load[lightest] += weight
            continue
        for town in sorted(towns, key=lambda t: (-weights.get(t, 0), t)):
            lightest = min(names, key=lambda n: (load[n], names.index(n)))
            placed[town] = lightest
            load[lightest] += weights.get(town, 0)
    return placed


def place(say: Callable[[str], None]) -> dict[int, str]:
    names = [s.name for s in shards()]
    if not names:
        raise ClusterError("no shards: set BUILDINGS_SHARDS first")
    if holds_buildings():
        raise ClusterError("the shards hold buildings: move a town with `cluster move TOWN "
                           "SHARD`, which carries its rows (placing again would leave them "
                           "on the wrong shard)")
    weights = buildings_per_town()
    counties = dict(Town.objects.values_list("pk", "county__name"))
    placed = plan(names, weights, counties)
    with transaction.atomic():
        Placement.objects.all().delete()
        Placement.objects.bulk_create(Placement(town_id=t, shard=s) for t, s in placed.items())
    for row in summary(placed, weights, counties):
        say(f"{row.shard}: {row.towns} towns, {row.weight:,} buildings or residents, "
            f"{row.counties_whole} counties whole, parts of {row.counties_split}")
    return placed


def summary(placed: dict[int, str], weights: dict[int, int],
            counties: dict[int, str]) -> list[Planned]:
    rows = []
    for name in [s.name for s in shards()]:
        mine = [t for t, s in placed.items() if s == name]
        spread: dict[str, set[str]] = {}
        for town, shard in placed.items():
            spread.setdefault(counties[town], set()).add(shard)
        held = {counties[t] for t in mine}
        rows.append(Planned(name, len(mine), sum(len(spread[c]) == 1 for c in held),
                            sum(len(spread[c]) > 1 for c in held),
                            sum(weights.get(t, 0) for t in mine)))
    return rows
