"""The analysis strategies: each returns the same Report, by very different routes.

- naive:   the original loop, model instances appended to Python lists.
- chunked: the usual Python-side fixes (chunked iterator, values_list, tuples).
- sql:     the analysis pushed into PostgreSQL; only aggregate rows reach Python.
- mview:   the sql figures read from the materialized view that stores them.
- live:    the same statement over the live summary the triggers keep current.
"""

from importlib import import_module

from buildings.cluster import shards

MODES = ("naive", "chunked", "sql", "mview", "live")
CLUSTER_MODES = ("sql", "live")  # what a cluster's coordinator answers: no building reaches it
WHATIF_MODES = ("naive", "chunked", "sql")  # the others keep the stored criteria's figures


class NotOnACluster(RuntimeError):
    """A strategy that reads the buildings themselves, asked of a cluster's coordinator."""


class StoredCriteriaOnly(RuntimeError):
    """What-if criteria asked of a strategy that reads figures kept for the stored ones."""


def get(mode: str, whatif=None):
    """The `analyze(selection, on_town, whatif)` function of a strategy."""
    if mode not in MODES:
        raise KeyError(mode)
    if whatif is not None and mode not in WHATIF_MODES:
        raise StoredCriteriaOnly(
            f"--mode {mode} reads figures kept for the stored criteria; what-if criteria "
            f"are counted by --mode {', '.join(WHATIF_MODES)}")
    if whatif is not None and shards.configured():
        raise StoredCriteriaOnly(
            "what-if criteria are counted on one server: on a cluster's coordinator the "
            "shards keep the stored criteria's figures; run --criteria on one shard "
            "(DATABASE_URL=its URL, BUILDINGS_SHARDS unset)")
    if mode not in CLUSTER_MODES and shards.configured():
        raise NotOnACluster(
            f"--mode {mode} reads the buildings, which are on the shards: on a cluster's "
            "coordinator run --mode sql or --mode live (the shards' aggregates), or run "
            f"{mode} on one shard (DATABASE_URL=its URL, BUILDINGS_SHARDS unset)")
    return import_module(f"buildings.analysis.strategies.{mode}").analyze
