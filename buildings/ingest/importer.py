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
import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from pathlib import Path

from django.db import connection, transaction
from psycopg import sql

from buildings.core import sqlfiles
from buildings.ingest.bulk import indexes_rebuilt_after, triggers_disabled_then_rebuilt
from buildings.ingest.locks import lock_buildings
from buildings.ingest.readers import (
    CopyStream,
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
    provenance: list[tuple] = field(default_factory=list)  # a shard's, for its coordinator

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


def session_objects(cursor) -> dict[str, sql.Composable]:
    """This session's staging, clean and tally tables and its line sequence, by the
    names the files of sql/import/ give them (see staging.sql)."""
    pid = cursor.connection.info.backend_pid
    return {"staging": staging_table(cursor), "clean": sql.Identifier(f"import_clean_{pid}"),
            "tally": sql.Identifier(f"import_tally_{pid}"),
            "line_sequence": sql.Identifier(f"import_line_{pid}"),
            "line": sql.Literal(f"import_line_{pid}")}


@dataclass
class Segments:
    """Where the fast path's files lie in the staging table: COPY gives each row it
    stages only the next number of the session's sequence (`seq`, see staging.sql),
    and clean.sql finds the row's file from these runs of numbers, one a file, so one
    COPY can carry many files (a folder of per-town downloads) and a file needs no
    statement of its own to be named. `names`: every table's name, by its place."""

    names: list[str]
    starts: list[int] = field(default_factory=list)  # the seq of a run's first row
    file_nos: list[int] = field(default_factory=list)  # the place of a run's file
    offsets: list[int | None] = field(init=False)  # by place: line = seq + offset

    def __post_init__(self) -> None:
        self.offsets = [None] * len(self.names)

    def add(self, start: int, file_no: int, first_line: int) -> None:
        self.starts.append(start)
        self.file_nos.append(file_no)
        self.offsets[file_no - 1] = first_line - start

    def parameters(self) -> dict[str, list]:
        """clean.sql's parameters."""
        return {"file_names": self.names, "segment_starts": self.starts,
                "segment_file_nos": self.file_nos, "file_line_offsets": self.offsets}


def stage(cursor, tables: list[Table], progress: Callable[[int], None] | None) -> Segments:
    """COPY every record of every table into the staging table; where the fast path
    staged them, in `Segments`.

    Consecutive clean CSV files of one shape go in one COPY (_copy_raw); a file that
    stream cannot take, in a COPY of its own; a file COPY cannot read by itself,
    through Python: its records are written as CSV by the csv module (C code) into a
    buffer sent to COPY in blocks; an empty field arrives as null.
    """
    cursor.execute(SQL.compose("import/staging.sql", **session_objects(cursor)))
    staged_columns: set[str] = set()
    segments = Segments([table.name for table in tables])
    numbered = list(enumerate(tables, start=1))
    for shape, files in groupby(numbered, key=lambda place: _stream_shape(place[1])):
        files = list(files)
        if shape is not None and len(files) > 1 and _copy_raw(
                cursor, files, segments, progress, staged_columns):
            continue
        for file_no, table in files:
            if table.raw is not None and _copy_raw(cursor, [(file_no, table)], segments,
                                                   progress, staged_columns):
                continue
            _copy_records(cursor, table, file_no, progress)
    return segments


def _copy_records(cursor, table: Table, file_no: int, progress) -> None:
    """The records of a table read by Python, each naming its file and line."""
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


# The whole-number columns COPY types itself on the fast path: their parsers
# (mab_parse_int, mab_parse_money) try PostgreSQL's own bigint input first, so a value
# COPY accepts gives the same number either way. TOWN_ID stays text (an unknown one is
# named as written); the decimal and date columns stay text (their parsers accept
# other spellings than the types' inputs do).
TYPED_COLUMNS = frozenset({"year_built", "bld_area", "units", "res_area", "num_rooms", "fy",
                           "bldg_val", "land_val", "other_val", "total_val", "ls_price"})
CAST_REFUSED = {"22P02", "22003"}  # invalid_text_representation, numeric_value_out_of_range


def _attempts(cursor, raw: CopyStream, staged_columns: set[str]) -> list[list[str]]:
    """The staging columns COPY tries for a file's fields: the whole numbers typed, then
    (if a value refuses bigint input) every field as text. Columns the import does not
    read are added to the staging table, to land in columns of their own."""
    text = [target or f"unused_{i}" for i, target in enumerate(raw.targets)]
    typed = [f"{c}_bigint" if c in TYPED_COLUMNS else c for c in text]
    unused = [c for c in text if c.startswith("unused_") and c not in staged_columns]
    if unused:
        cursor.execute(sql.SQL("ALTER TABLE {} {}").format(
            staging_table(cursor), sql.SQL(", ").join(
                sql.SQL("ADD COLUMN {} text").format(sql.Identifier(c)) for c in unused)))
        staged_columns.update(unused)
    return [typed, text] if typed != text else [text]


def _stream_shape(table: Table) -> tuple | None:
    """What files must share to go in one COPY: CSV files with a header line, their
    fields in the same places, in the same encoding and delimiter (None: not one)."""
    raw = table.raw
    if raw is None or raw.rows is not None or not raw.header:
        return None
    return raw.targets, raw.encoding, raw.delimiter


def _copy_raw(cursor, files: list[tuple[int, Table]], segments: Segments, progress,
              staged_columns: set[str]) -> bool:
    """The fast path: COPY parses the CSV files itself, several times faster than reading
    them in Python, and types their whole numbers too. Several files of one shape go in
    one COPY, each file's header line cut here (one without a quote, so a line); one
    file, with COPY's own HEADER. Files with a whole-number value that bigint input
    refuses ("1,234", "$5") are read again by COPY as text, and those values go through
    the lenient parsers. It succeeds only for clean files: any record COPY refuses (a
    bare CR, a NUL, bytes not valid in the encoding, the wrong number of fields, line
    ends of another kind than the first file's), or a record spanning lines (line
    numbers would be off), rolls it back to the savepoint, and the files go one by one,
    a file that fails alone through Python, which rejects the bad records by line.
    Returns whether the files were staged."""
    raw = files[0][1].raw
    if len(files) == 1:
        blocks, header_lines = [raw.blocks], 1 if raw.header else 0
    else:
        raw, header_lines = dataclasses.replace(raw, header=False), 0
        blocks = [partial(_without_header, table.raw.blocks) for _, table in files]
    attempts = _attempts(cursor, raw, staged_columns)
    for columns in attempts:
        try:
            start, rows = _copy_attempt(cursor, raw_copy_statement(
                staging_table(cursor), columns, raw), blocks, raw.rows, header_lines)
        except Exception as exc:  # noqa: BLE001  the Python path reads it and says what is wrong
            if columns is attempts[0] and getattr(exc, "sqlstate", None) in CAST_REFUSED:
                continue
            return False
        for (file_no, table), count in zip(files, rows, strict=True):
            segments.add(start, file_no, 2 if table.raw.header else 1)
            start += count
        if progress:
            progress(sum(rows))
        return True
    return False


def _without_header(blocks: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    """A CSV file's blocks after its header line, ending with a line end (the header's
    own, CRLF or LF, if the last line had none), so that the next file's first record
    starts a line. A header with a quote (which could hold a line end) or without a
    line end is not cut here."""
    first, last = True, b""
    for block in blocks():
        if first:
            end = block.find(b"\n")
            if end < 0 or b'"' in block[:end]:
                raise _NotClean
            line_end = b"\r\n" if block[end - 1:end] == b"\r" else b"\n"
            block, first = block[end + 1:], False
        last = block or last
        yield block
    if first:
        raise _NotClean  # an empty file: not even a header
    if last and not last.endswith(b"\n"):
        yield line_end


def raw_copy_statement(target: sql.Identifier, columns: list[str],
                       raw: CopyStream) -> sql.Composed:
    """The COPY that parses a clean file's bytes itself, into these columns of `target`
    (the benchmark's bare COPY reads the same bytes with the same statement)."""
    return sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER {}, ENCODING {}, "
                   "DELIMITER {})").format(
        target, sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.Literal(raw.header), sql.Literal(raw.encoding), sql.Literal(raw.delimiter))


def _copy_attempt(cursor, copy_sql: sql.Composable, files: list[Callable[[], Iterator[bytes]]],
                  expected: int | None, header_lines: int) -> tuple[int, list[int]]:
    """COPY the files' bytes, one after the other, under a savepoint: the seq of the
    first row staged, and each file's records. `expected`: how many records the one
    file holds, or None to count them by lines, one a line, less the `header_lines`
    COPY itself skips."""
    with transaction.atomic():  # a savepoint
        cursor.execute(SQL.compose("import/raw_prepare.sql", **session_objects(cursor)))
        (before,) = cursor.fetchone()
        counts = []
        with cursor.copy(copy_sql) as copy:
            for blocks in files:
                newlines, last = 0, b""
                for block in blocks():
                    newlines += block.count(b"\n")
                    last = block or last
                    copy.write(block)
                ended = not last or last.endswith(b"\n")  # nothing after a header: no record
                counts.append(newlines + (0 if ended else 1) - header_lines)
        if expected is not None:
            counts = [expected]
        if cursor.rowcount != sum(counts):
            raise _NotClean
        return before + 1, counts


def import_files(paths: list[Path], replace: bool = False, strict: bool = False,
                 rejects: Path | None = None, encoding: str = "utf-8",
                 progress: Callable[[int], None] | None = None,
                 on_wait: Callable[[str], None] | None = None,
                 layer: str | None = None, keep_live: bool = True,
                 towns: list[int] | None = None, unplaced: bool = True,
                 prepare: str | None = None) -> ImportResult:
    """Import the files (folders: every importable file in them) in one transaction.

    On a cluster's shard: `towns`, the towns it holds (the other towns' rows are left
    to their shards, uncounted here); `unplaced`, whether it reports the rows of no
    known town; `prepare`, PREPARE TRANSACTION under this id instead of a commit."""
    import time

    started = time.perf_counter()
    result = ImportResult()
    encoding = check_encoding(encoding)
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        # every header is read, and every file refused if unusable, before anything loads
        tables = [read_records(path, stack, encoding, layer)
                   for path in importable_files(paths)]
        segments = stage(cursor, tables, progress)
        names = session_objects(cursor)
        cursor.execute(SQL.compose("import/clean.sql", **session_objects(cursor),
                                        **column_limits()),
                       {"replace": replace, "this_year": dt.date.today().year,
                        **segments.parameters()})
        cursor.execute(SQL.compose("import/repeated.sql", **names))
        if towns is not None:
            cursor.execute(SQL.compose("import/elsewhere.sql", **names),
                           {"towns": towns, "unplaced": unplaced})
        cursor.execute(SQL.compose("import/tally.sql", **names))
        if rejects is not None:
            _write_rejects(cursor, rejects)
        if strict:
            _refuse_any_reject(cursor)
        # The rows' towns were checked against buildings_town above: checking the
        # foreign key once for the table beats a deferred check per inserted row.
        # A large import also rebuilds the indexes rather than maintain them.
        cursor.execute(SQL.compose("import/large.sql", **names))
        large, loadable, towns_in_files = cursor.fetchone()
        # else nothing changes, and the views stay fresh
        if loadable or (replace and towns_in_files):
            lock_buildings(cursor, on_wait)
            cursor.execute(SQL.compose("import/replaces_all.sql", **names),
                           {"replace": replace})
            (replaces_all,) = cursor.fetchone()
            with triggers_disabled_then_rebuilt(cursor, keep_live):
                if replaces_all:
                    cursor.execute(SQL.load("import/truncate.sql"))
                    large = True
                elif replace:
                    cursor.execute(SQL.compose("import/replace.sql", **names))
                with indexes_rebuilt_after(cursor, foreign_keys_only=not large):
                    _insert(cursor, names, loadable)
            cursor.execute(SQL.compose("import/provenance.sql", **names),
                           {"replace": replace, "replaces_all": replaces_all})
        cursor.execute(SQL.compose("import/counts_per_town.sql", **names))
        result.towns = [TownCount(*row) for row in cursor.fetchall()]
        cursor.execute(SQL.compose("import/counts_per_file.sql", **names))
        per_file = {file_no: counts for file_no, *counts in cursor.fetchall()}
        result.sources = [SourceCount(table.name, *per_file.get(file_no, (0, 0, 0)))
                          for file_no, table in enumerate(tables, start=1)]
        cursor.execute(SQL.compose("import/nulled.sql", **names))
        result.nulled_by_column = dict(cursor.fetchall())
        cursor.execute(SQL.compose("import/drop_staging.sql", **names))
        if towns is not None:
            cursor.execute("SELECT town_id, origin, seed, files, fy_min, fy_max, "
                           "loaded_at::text FROM buildings_provenance ORDER BY town_id")
            result.provenance = cursor.fetchall()
        if prepare:
            cursor.execute(sql.SQL("PREPARE TRANSACTION {}").format(sql.Literal(prepare)))
    result.seconds = time.perf_counter() - started
    return result


def _insert(cursor, names: dict[str, sql.Composable], loadable: int) -> None:
    """Insert the loadable rows under ids reserved for them at once
    (sql/import/insert_prepare.sql)."""
    if not loadable:
        return
    cursor.execute(SQL.load("import/insert_prepare.sql"), {"rows": loadable})
    (_, first_id) = cursor.fetchone()
    cursor.execute(SQL.compose("import/insert.sql", **names), {"first_id": first_id})
    inserted = cursor.rowcount
    cursor.execute("RESET work_mem")
    if inserted != loadable:  # ids past the reserved ones would meet nextval's later
        raise RuntimeError(f"the import inserted {inserted} rows where it counted "
                           f"{loadable} loadable: sql/import/large.sql and insert.sql disagree")


def check_files(paths: list[Path], encoding: str = "utf-8", layer: str | None = None) -> None:
    """Every file readable and usable (UnusableInput otherwise), before any shard starts."""
    with ExitStack() as stack:
        for path in importable_files(paths):
            read_records(path, stack, check_encoding(encoding), layer)


def import_on_cluster(paths: list[Path], replace: bool = False, strict: bool = False,
                      rejects: Path | None = None, encoding: str = "utf-8",
                      layer: str | None = None) -> ImportResult:
    """On a cluster's coordinator: every shard imports the files' rows of its own towns
    (the first also the rows of no known town), all committed or none
    (buildings/cluster/writes.py). The shards' counts add up to the one result a
    single server gives; the coordinator keeps the union of their provenance."""
    import json
    import tempfile
    import time

    from buildings.cluster import placement, writes
    from buildings.cluster.shards import shards

    started = time.perf_counter()
    check_files(paths, encoding, layer)
    towns = placement.towns_by_shard()
    names = [s.name for s in shards()]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def args(shard, gid: str) -> list[str]:
            given = ["import_assessor", *map(str, (p.resolve() for p in paths)),
                     *shard.towns_args(towns, gid),
                     "--result-json", str(out / f"{shard.name}.json"),
                     "--encoding", encoding]
            given += ["--replace"] * replace + ["--strict"] * strict
            given += ["--layer", layer] if layer else []
            given += ["--rejects", str(out / f"{shard.name}.csv")] if rejects else []
            given += ["--no-unplaced"] if shard.name != names[0] else []
            return given

        def provenance() -> None:
            rows = [row for name in names
                    for row in json.loads((out / f"{name}.json").read_text())["provenance"]]
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM buildings_provenance")
                cursor.executemany(
                    "INSERT INTO buildings_provenance (town_id, origin, seed, files, fy_min, "
                    "fy_max, loaded_at) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)

        writes.two_phase(f"import {len(paths)} files or folders", args, provenance)
        parts = [json.loads((out / f"{name}.json").read_text()) for name in names]
        result = _added_up(parts, time.perf_counter() - started)
        if rejects:
            _merge_rejects([out / f"{name}.csv" for name in names], rejects,
                           [source.name for source in result.sources])
    return result


def _added_up(parts: list[dict], seconds: float) -> ImportResult:
    """One ImportResult of the shards' results (their towns apart, their files alike)."""
    result = ImportResult(seconds=seconds)
    result.towns = sorted((TownCount(**t) for part in parts for t in part["towns"]),
                          key=lambda t: (t.town_id is None, t.town_id or 0, t.town))
    for i, source in enumerate(parts[0]["sources"]):
        result.sources.append(SourceCount(source["name"], *(
            sum(part["sources"][i][key] for part in parts)
            for key in ("read", "loaded", "rejected"))))
    nulled: dict[str, int] = {}
    for part in parts:
        for column, n in part["nulled_by_column"].items():
            nulled[column] = nulled.get(column, 0) + n
    result.nulled_by_column = dict(sorted(nulled.items()))  # as nulled.sql orders them
    return result


def _merge_rejects(parts: list[Path], into: Path, files: list[str]) -> None:
    """The shards' rejects in one CSV, in the order one server writes them (`files`:
    the files as the import read them)."""
    import csv

    header, rows = None, []
    for part in parts:
        with part.open(newline="") as f:
            reader = csv.reader(f)
            header = next(reader, header)
            rows += list(reader)
    order = {name: i for i, name in enumerate(files)}
    with into.open("w", newline="") as f:
        writer = csv.writer(f)
        if header:
            writer.writerow(header)
        writer.writerows(sorted(rows, key=lambda r: (order[r[0]], int(r[1]))))


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
    rejects_sql = SQL.compose("import/rejects.sql", **session_objects(cursor))
    with path.open("wb") as out, cursor.copy(rejects_sql) as copy:
        for block in copy:
            out.write(block)


def _refuse_any_reject(cursor) -> None:
    cursor.execute(sql.SQL("SELECT file, line, reason FROM {} WHERE reason IS NOT NULL "
                           "ORDER BY file_no, line LIMIT 1").format(
                               session_objects(cursor)["clean"]))
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


