"""The data version of the buildings, and the version the materialized view reflects.

A statement-level trigger (sql/staleness/trigger.sql) bumps the data version on
every write to the buildings (the sum of 64 slots, so writers run side by side); a
refresh records the version it read. The view is stale while the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from buildings.core import sqlfiles
from buildings.core.models import ViewState

SQL = sqlfiles.Folder(__package__)


@dataclass(frozen=True)
class Staleness:
    data_version: int
    refreshed_version: int
    refreshed: bool

    @property
    def stale(self) -> bool:
        return self.data_version != self.refreshed_version


def staleness() -> Staleness:
    state = ViewState.objects.get(pk=1)
    return Staleness(data_version(), state.refreshed_version, state.refreshed_at is not None)


def data_version() -> int:
    """The sum of the write slots: any committed write to the buildings raises it."""
    with connection.cursor() as cursor:
        cursor.execute(SQL.load("staleness/version.sql"))
        return cursor.fetchone()[0]


def trigger_sql() -> str:
    """The trigger that bumps the version (installed by the migrations)."""
    return SQL.load("staleness/trigger.sql")


def trigger_remove_sql() -> str:
    return SQL.load("staleness/trigger_remove.sql")
