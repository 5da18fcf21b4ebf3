"""The analysis strategies: each returns the same Report, by very different routes.

- naive:   the original loop, model instances appended to Python lists.
- chunked: the usual Python-side fixes (chunked iterator, values_list, tuples).
- sql:     the analysis pushed into PostgreSQL; only aggregate rows reach Python.
- mview:   the sql figures read from the materialized view that stores them.
- live:    the same statement over the live summary the triggers keep current.
"""

from importlib import import_module

MODES = ("naive", "chunked", "sql", "mview", "live")


def get(mode: str):
    """The `analyze(selection, on_town)` function of a strategy."""
    if mode not in MODES:
        raise KeyError(mode)
    return import_module(f"buildings.analysis.strategies.{mode}").analyze
