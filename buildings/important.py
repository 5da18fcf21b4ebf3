"""The important buildings themselves, streamed to CSV straight from PostgreSQL.

Built as the union of one queryset per criterion (each branch labelled with its
criterion), grouped back to one row per building with the list of criteria it
matches (sql/analysis/important_buildings.sql), and sent with COPY ... TO STDOUT
so the rows go from the server to the file in blocks: memory stays flat for the
whole state.
"""

from __future__ import annotations

from typing import BinaryIO

from django.db import connection, transaction
from django.db.models import Value
from psycopg import sql

from buildings import sqlfiles
from buildings.criteria import CRITERIA, Criterion
from buildings.models import Building
from buildings.selection import Selection


def matches_union(criteria: tuple[Criterion, ...], selection: Selection | None):
    """(id, criterion, position) for every building and criterion it matches: a union."""
    branches = []
    for position, criterion in enumerate(CRITERIA):
        if criterion not in criteria:
            continue
        branch = Building.objects.filter(criterion.q())
        if selection is not None and not selection.everything:
            branch = branch.filter(selection.q())
        branches.append(branch.annotate(criterion=Value(criterion.name),
                                        position=Value(position))
                        .values("id", "criterion", "position").order_by())
    return branches[0].union(*branches[1:], all=True)


def query(criteria: tuple[Criterion, ...] = CRITERIA,
          selection: Selection | None = None) -> sql.Composed:
    """The SELECT of the important buildings, values inlined (COPY takes no parameters)."""
    return sqlfiles.compose("analysis/important_buildings.sql",
                            matches=sqlfiles.queryset(matches_union(criteria, selection)))


def write_csv(out: BinaryIO, criteria: tuple[Criterion, ...] = CRITERIA,
              selection: Selection | None = None) -> int:
    """Write the CSV (with a header) to `out`; returns the number of bytes written."""
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        copy_sql = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(
            query(criteria, selection))
        with cursor.copy(copy_sql) as copy:
            for block in copy:
                out.write(block)
                written += len(block)
    return written
