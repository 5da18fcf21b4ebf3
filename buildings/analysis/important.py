"""The important buildings themselves: streamed to CSV, or read a page at a time.

Built as the union of one queryset per criterion (each branch labelled with its
criterion), grouped back to one row per building with the list of criteria it
matches (sql/important_buildings.sql).

- The whole list goes out with COPY ... TO STDOUT, so the rows go from the server
  to the file (or the HTTP response) in blocks: memory stays flat for the state.
- A page is read by keyset: the buildings after (or before) a building id, each
  branch cut to the page's size in id order, so a page costs the same at the
  end of a town's list as at its start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.db import connections, transaction
from django.db.models import Value
from psycopg import sql

from buildings.core import sqlfiles
from buildings.core.criteria import CRITERIA
from buildings.core.models import Building
from buildings.core.selection import Selection

SQL = sqlfiles.Folder(__package__)

CSV_COLUMNS = ("town_id", "town", "prop_id", "site_addr", "use_code", "year_built", "stories",
               "bld_area", "total_val", "criteria")


@dataclass(frozen=True)
class Keyset:
    """Where a page starts: after a building id (forwards) or before one (backwards)."""

    after: int | None = None
    before: int | None = None
    size: int = 50

    @property
    def backwards(self) -> bool:
        return self.before is not None


def matches_union(criteria: tuple, selection: Selection | None,
                  keyset: Keyset | None = None, address: str | None = None,
                  using: str = "default"):
    """(id, criterion, position) for every building and criterion it matches: a union.

    A stored criterion's branch also asks is_important (a match implies it), which
    lets PostgreSQL read the covering partial index of the important rows instead of
    the table; a what-if's own criteria (buildings/core/whatif.py) are their filter
    alone. `address`: only the buildings whose address holds it (any case).
    """
    branches = []
    for position, criterion in enumerate(criteria):
        branch = Building.objects.using(using).filter(criterion.q())
        if criterion in CRITERIA:
            branch = branch.filter(is_important=True)
        if selection is not None and not selection.everything:
            branch = branch.filter(selection.q())
        if address:
            branch = branch.filter(site_addr__icontains=address)
        branch = (branch.annotate(criterion=Value(criterion.name), position=Value(position))
                  .values("id", "criterion", "position"))
        if keyset is None:
            branch = branch.order_by()
        elif keyset.backwards:
            branch = branch.filter(id__lt=keyset.before).order_by("-id")[:keyset.size + 1]
        else:
            if keyset.after is not None:
                branch = branch.filter(id__gt=keyset.after)
            branch = branch.order_by("id")[:keyset.size + 1]
        branches.append(branch)
    return branches[0].union(*branches[1:], all=True)


def query(criteria: tuple = CRITERIA, selection: Selection | None = None,
          keyset: Keyset | None = None, address: str | None = None,
          using: str = "default") -> sql.Composed:
    """The SELECT of the important buildings, values inlined (COPY takes no parameters)."""
    backwards = keyset is not None and keyset.backwards
    return SQL.compose(
        "important_buildings.sql",
        matches=sqlfiles.queryset(matches_union(criteria, selection, keyset, address, using)),
        direction=sql.SQL("DESC" if backwards else ""),
        limit=sql.SQL("") if keyset is None else sql.SQL("LIMIT {}").format(
            sql.Literal(keyset.size + 1)))


def csv_blocks(criteria: tuple = CRITERIA,
               selection: Selection | None = None,
               address: str | None = None, using: str = "default") -> Iterator[bytes]:
    """The CSV (with a header), in the blocks COPY sends (`using`: the database alias
    that holds the buildings, a shard's on a cluster's coordinator)."""
    columns = sql.SQL(", ").join(map(sql.Identifier, CSV_COLUMNS))
    copy_sql = sql.SQL("COPY (SELECT {} FROM ({}) AS important) TO STDOUT WITH (FORMAT csv, "
                       "HEADER)").format(columns, query(criteria, selection, address=address,
                                                       using=using))
    with (transaction.atomic(using=using), connections[using].cursor() as cursor,
          cursor.copy(copy_sql) as copy):
        yield from copy


def write_csv(out: BinaryIO, criteria: tuple = CRITERIA,
              selection: Selection | None = None) -> int:
    """Write the CSV (with a header) to `out`; returns the number of bytes written."""
    written = 0
    for block in csv_blocks(criteria, selection):
        out.write(block)
        written += len(block)
    return written


@dataclass(frozen=True)
class Page:
    rows: list[dict]  # CSV_COLUMNS and id; criteria as a list of names
    next_after: int | None  # the keyset of the next page, None on the last
    previous_before: int | None  # the keyset of the previous page, None on the first


def page(selection: Selection, criteria: tuple = CRITERIA,
         keyset: Keyset = Keyset(), address: str | None = None,
         using: str = "default") -> Page:
    with connections[using].cursor() as cursor:
        cursor.execute(query(criteria, selection, keyset, address, using))
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    more = len(rows) > keyset.size
    rows = rows[:keyset.size]
    for row in rows:
        row["criteria"] = row["criteria"].split(";")
    if keyset.backwards:
        rows.reverse()
        earlier, later = more, True
    else:
        earlier, later = keyset.after is not None, more
    return Page(rows, rows[-1]["id"] if later and rows else None,
                rows[0]["id"] if earlier and rows else None)
