"""Import MassGIS Level 3 assessor tables (CSV, gzipped CSV, or the assess .dbf).

Python only reads the files and streams their records into PostgreSQL with
COPY, one record at a time: it never holds a file. Everything else is
set-based SQL in sql/import/: typing and normalising every field, deciding
which rows cannot be loaded and why, replacing towns, inserting, summarising.
All of it runs in one transaction: an import that fails, is interrupted or is
killed leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from psycopg import sql

from buildings.core import sqlfiles
from buildings.ingest.bulk import indexes_rebuilt_after, triggers_disabled_then_rebuilt
from buildings.ingest.locks import lock_buildings
from buildings.ingest.readers import (
    Table,
    check_encoding,
    importable_files,
    read_records,
)

SQL = sqlfiles.Folder(__package__)

BLOCK_ROWS = 5_000  # records per write to COPY


class Rejected(RuntimeError):
    """--strict: a row was rejected, so nothing was written."""


@dataclass
class TownCount:
    town_id: int | None
    town: str
    read: int
    loaded: int
    rejected: int
    nulled: int


@dataclass
class SourceCount:
    """One file read (with its layer or member, as `file!layer`), and what came of it."""

    name: str
    read: int
    loaded: int
    rejected: int


@dataclass
class ImportResult:
    towns: list[TownCount] = field(default_factory=list)
    sources: list[SourceCount] = field(default_factory=list)
    nulled_by_column: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return sum(t.read for t in self.towns)

    @property
    def loaded(self) -> int:
        return sum(t.loaded for t in self.towns)

    @property
    def rejected(self) -> int:
        return sum(t.rejected for t in self.towns)


# ----------------------------------------------------------------------------- loading

def staging_table(cursor) -> sql.Identifier:
    """This session's staging table (see sql/import/staging.sql)."""
    return sql.Identifier(f"import_staging_{cursor.connection.info.backend_pid}")


def stage(cursor, tables: list[Table], progress: Callable[[int], None] | None):
    """COPY every record of every table into the staging table.

    The records are written as CSV by the csv module (C code) into a buffer sent to
    COPY in blocks; an empty field arrives as null.
    """
    cursor.execute(SQL.compose("import/staging.sql", staging=staging_table(cursor)))
    staged_columns: set[str] = set()
    for file_no, table in enumerate(tables, start=1):
        if table.raw is not None and _copy_raw(cursor, table, file_no, progress,
                                               staged_columns):
            continue
        columns = sql.SQL(", ").join(map(sql.Identifier, ("file", "file_no", "line", "problem",
                                                          *table.columns)))
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
            staging_table(cursor), columns)
        with cursor.copy(copy_sql) as copy:
            buffer = io.StringIO()
            # "\r\n" ends records so that the writer quotes any field holding a CR or an LF
            writer = csv.writer(buffer, lineterminator="\r\n")
            for count, (line, problem, values) in enumerate(table.records, start=1):
                writer.writerow((table.name, file_no, line, problem, *values))
                if count % BLOCK_ROWS == 0:
                    copy.write(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
                    if progress:
                        progress(BLOCK_ROWS)
            copy.write(buffer.getvalue())


class _NotClean(Exception):
    """The fast path read a different number of records than the file holds."""


def _copy_raw(cursor, table: Table, file_no: int, progress,
              staged_columns: set[str]) -> bool:
    """The fast path: COPY parses the CSV file itself, several times faster than reading
    it in Python. It succeeds only for a clean file: any record COPY refuses (a bare CR,
    a NUL, bytes not valid in the encoding, the wrong number of fields), or a record
    spanning lines (line numbers would be off), rolls it back to the savepoint, and the
    file goes through Python, which rejects the bad records by line. Returns whether the
    file was staged."""
    raw = table.raw
    columns = [target or f"unused_{i}" for i, target in enumerate(raw.targets)]
    staging = staging_table(cursor)
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER {}, ENCODING {})"
                       ).format(staging, sql.SQL(", ").join(map(sql.Identifier, columns)),
                                sql.Literal(raw.header), sql.Literal(raw.encoding))
    unused = [c for c in columns if c.startswith("unused_") and c not in staged_columns]
    if unused:  # columns the import does not read land in columns of their own
        cursor.execute(sql.SQL("ALTER TABLE {} {}").format(staging, sql.SQL(", ").join(
            sql.SQL("ADD COLUMN {} text").format(sql.Identifier(c)) for c in unused)))
        staged_columns.update(unused)
    try:
        with transaction.atomic():  # a savepoint
            cursor.execute(SQL.load("import/raw_prepare.sql"),
                           {"file": table.name, "file_no": file_no,
                            "first_line": 2 if raw.header else 1})
            newlines, last = 0, b""
            with cursor.copy(copy_sql) as copy:
                for block in raw.blocks():
                    newlines += block.count(b"\n")
                    last = block or last
                    copy.write(block)
            expected = raw.rows
            if expected is None:  # a CSV file: one record a line after the header
                expected = newlines + (0 if last.endswith(b"\n") else 1) - 1
            if cursor.rowcount != expected:
                raise _NotClean
    except Exception:  # noqa: BLE001  any failure: the Python path reads it and says what is wrong
        return False
    if progress:
        progress(cursor.rowcount)
    return True


def import_files(paths: list[Path], replace: bool = False, strict: bool = False,
                 rejects: Path | None = None, encoding: str = "utf-8",
                 progress: Callable[[int], None] | None = None,
                 on_wait: Callable[[str], None] | None = None,
                 layer: str | None = None, keep_live: bool = True) -> ImportResult:
    """Import the files (folders: every importable file in them) in one transaction."""
    import time

    started = time.perf_counter()
    result = ImportResult()
    encoding = check_encoding(encoding)
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        # every header is read, and every file refused if unusable, before anything loads
        tables = [read_records(path, stack, encoding, layer)
                   for path in importable_files(paths)]
        stage(cursor, tables, progress)
        cursor.execute(SQL.compose("import/clean.sql", staging=staging_table(cursor),
                                        **column_limits()),
                       {"replace": replace, "this_year": dt.date.today().year})
        cursor.execute(SQL.load("import/repeated.sql"))
        if rejects is not None:
            _write_rejects(cursor, rejects)
        if strict:
            _refuse_any_reject(cursor)
        # The rows' towns were checked against buildings_town above: checking the
        # foreign key once for the table beats a deferred check per inserted row.
        # A large import also rebuilds the indexes rather than maintain them.
        cursor.execute(SQL.load("import/large.sql"))
        large, loadable, towns = cursor.fetchone()
        if loadable or (replace and towns):  # else nothing changes, and the views stay fresh
            lock_buildings(cursor, on_wait)
            cursor.execute(SQL.load("import/replaces_all.sql"), {"replace": replace})
            (replaces_all,) = cursor.fetchone()
            with triggers_disabled_then_rebuilt(cursor, keep_live):
                if replaces_all:
                    cursor.execute(SQL.load("import/truncate.sql"))
                    large = True
                elif replace:
                    cursor.execute(SQL.load("import/replace.sql"))
                with indexes_rebuilt_after(cursor, foreign_keys_only=not large):
                    cursor.execute(SQL.load("import/insert.sql"))
            cursor.execute(SQL.load("import/provenance.sql"),
                           {"replace": replace, "replaces_all": replaces_all})
        cursor.execute(SQL.load("import/counts_per_town.sql"))
        result.towns = [TownCount(*row) for row in cursor.fetchall()]
        cursor.execute(SQL.load("import/counts_per_file.sql"))
        per_file = {file_no: counts for file_no, *counts in cursor.fetchall()}
        result.sources = [SourceCount(table.name, *per_file.get(file_no, (0, 0, 0)))
                          for file_no, table in enumerate(tables, start=1)]
        cursor.execute(SQL.load("import/nulled.sql"))
        result.nulled_by_column = dict(cursor.fetchall())
        cursor.execute(SQL.compose("import/drop_staging.sql", staging=staging_table(cursor)))
    result.seconds = time.perf_counter() - started
    return result


def parsers_sql() -> str:
    """The lenient parsers sql/import/clean.sql calls (installed by the migrations)."""
    return SQL.load("import/parsers.sql")


def parsers_remove_sql() -> str:
    return SQL.load("import/parsers_remove.sql")


def column_limits() -> dict[str, sql.Composable]:
    """What each column of the buildings can hold, from the model (declared once there):
    COLUMN_max (numbers below it fit; an integer's largest), COLUMN_scale (decimal places),
    COLUMN_length (characters)."""
    from decimal import Decimal

    from django.db import models

    from buildings.core.models import Building

    limits = {}
    for f in Building._meta.concrete_fields:
        if isinstance(f, models.DecimalField):
            limits[f"{f.name}_scale"] = sql.Literal(f.decimal_places)
            limits[f"{f.name}_max"] = sql.Literal(Decimal(10) ** (f.max_digits - f.decimal_places))
        elif isinstance(f, models.IntegerField) and not f.primary_key:
            limits[f"{f.name}_max"] = sql.Literal(
                connection.ops.integer_field_range(f.get_internal_type())[1])
        elif isinstance(f, models.CharField):
            limits[f"{f.name}_length"] = sql.Literal(f.max_length)
    return limits


def _write_rejects(cursor, path: Path) -> None:
    with path.open("wb") as out, cursor.copy(SQL.load("import/rejects.sql")) as copy:
        for block in copy:
            out.write(block)


def _refuse_any_reject(cursor) -> None:
    cursor.execute("SELECT file, line, reason FROM import_clean WHERE reason IS NOT NULL "
                   "ORDER BY file_no, line LIMIT 1")
    first = cursor.fetchone()
    if first:
        raise Rejected(f"{first[0]} line {first[1]}: {first[2]} (--strict: nothing was written)")


def result_lines(result: ImportResult) -> list[str]:
    """The files read, the per-town table and totals, as the command prints them."""
    lines = [f"read {s.name}: {s.read:,} rows, {s.loaded:,} loaded, {s.rejected:,} rejected"
             for s in result.sources]
    lines += [f"{'town':<28} {'read':>9} {'loaded':>9} {'rejected':>9} {'nulled':>8}"]
    for t in result.towns:
        lines.append(f"{t.town:<28} {t.read:>9,} {t.loaded:>9,} {t.rejected:>9,} {t.nulled:>8,}")
    rate = result.read / result.seconds if result.seconds else 0
    lines.append(f"{'total':<28} {result.read:>9,} {result.loaded:>9,} "
                 f"{result.rejected:>9,} {sum(t.nulled for t in result.towns):>8,}")
    if result.nulled_by_column:
        lines.append("values that could not be stored as written (loaded as null, or text "
                     "cut to its column): " + ", ".join(
                         f"{column} {count:,}"
                         for column, count in result.nulled_by_column.items()))
    lines.append(f"{result.read:,} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s)")
    return lines


