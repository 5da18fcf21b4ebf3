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
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from django.db import connection, transaction
from psycopg import sql

from buildings import sqlfiles
from buildings.bulk import indexes_rebuilt_after, lock_buildings

COLUMNS = ("prop_id", "loc_id", "town_id", "use_code", "year_built", "bld_area", "stories",
           "units", "res_area", "num_rooms", "bldg_val", "land_val", "other_val", "total_val",
           "lot_size", "ls_date", "ls_price", "site_addr", "city", "zip", "owner1", "zoning",
           "style", "fy")
REQUIRED = ("PROP_ID", "TOWN_ID", "USE_CODE")
BLOCK_ROWS = 5_000  # records per write to COPY

csv.field_size_limit(10 * 2**20)


class UnusableInput(ValueError):
    """A file that cannot be imported at all (missing, unreadable, required columns absent)."""


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
class ImportSummary:
    towns: list[TownCount] = field(default_factory=list)
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


# ----------------------------------------------------------------------------- reading

Record = tuple[int, str | None, tuple]  # (line, problem, the values of Source.columns)


@dataclass
class Source:
    """One file: the MassGIS columns it has (lower-cased, in its order) and its records."""

    columns: tuple[str, ...]
    records: Iterator[Record]


def excerpt(text: str, limit: int = 60) -> str:
    """At most `limit` characters of some input, for an error message."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def check_encoding(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnusableInput(f"unknown encoding {excerpt(encoding)!r}: name one Python knows, "
                            "e.g. utf-8, cp1252 or latin-1") from None


def read_records(path: Path, encoding: str = "utf-8") -> Source:
    """The records of one file; checks the header first (and refuses it if unusable)."""
    if path.is_dir():
        raise UnusableInput(f"{path}: a folder, not a file")
    if not path.is_file():
        raise UnusableInput(f"{path}: no such file")
    if path.suffix.lower() == ".dbf":
        return _dbf_records(path)
    return _csv_records(path, encoding)


def _check_header(path: Path, names: list[str]) -> dict[int, str]:
    """Positions of the known columns; refuses a file without the required ones."""
    upper = [n.strip().upper() for n in names]
    missing = [r for r in REQUIRED if r not in upper]
    if missing:
        found = excerpt(", ".join(upper), 200) or "none"
        raise UnusableInput(f"{path}: required column{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} missing (found: {found})")
    repeated = sorted({n for n in upper if n.lower() in COLUMNS and upper.count(n) > 1})
    if repeated:
        raise UnusableInput(f"{path}: the header names {', '.join(repeated)} more than once; "
                            "keep one column of each name")
    return {i: n.lower() for i, n in enumerate(upper) if n.lower() in COLUMNS}


def _open_text_lines(path: Path, encoding: str, bad_lines: dict[int, str]) -> Iterator[str]:
    """Decoded physical lines; a line that cannot be stored is noted in bad_lines, with why
    (bytes not valid in the encoding; a NUL, which PostgreSQL text cannot hold)."""
    with path.open("rb") as raw:
        magic = raw.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if b"\x00" in line:
                bad_lines[number] = "a NUL byte in the record"
                line = line.replace(b"\x00", b"")
            try:
                yield line.decode(encoding)
            except UnicodeDecodeError:
                bad_lines[number] = f"bytes not valid {encoding}"
                yield line.decode(encoding, errors="replace")


def _csv_records(path: Path, encoding: str) -> Source:
    bad_lines: dict[int, str] = {}
    lines = _open_text_lines(path, encoding, bad_lines)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise UnusableInput(f"{path}: the file is empty") from None
    except (csv.Error, OSError, EOFError, zlib.error) as exc:
        raise UnusableInput(f"{path}: cannot read the header ({excerpt(str(exc), 120)}); "
                            "is it a CSV file?") from None
    if 1 in bad_lines:
        raise UnusableInput(f"{path}: the header line has {bad_lines[1]}; "
                            "is it a CSV file, and is --encoding right?")
    positions = _check_header(path, header)
    return Source(tuple(positions.values()),
                  _csv_rows(reader, list(positions), len(header), bad_lines))


def _csv_rows(reader, indexes, width, bad_lines) -> Iterator[Record]:
    pick = itemgetter(*indexes)  # the known columns, at C speed
    nothing = (None,) * len(indexes)  # the values of a record that could not be read
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last_line + 1, f"malformed record ({excerpt(str(exc), 120)})", nothing
            last_line = reader.line_num
            continue
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt gzip stream
            yield last_line + 1, f"the file ends abruptly ({excerpt(str(exc), 120)})", nothing
            return
        first, last_line = last_line + 1, reader.line_num
        if not row or row == [""]:
            continue
        if len(row) == width:
            values, problem = pick(row), None
        else:
            values = tuple(row[i] if i < len(row) else None for i in indexes)
            problem = f"{len(row)} fields where the header has {width}"
            if last_line > first:
                problem += (f" (the record runs from line {first} to {last_line}:"
                            " an unclosed quote?)")
        if bad_lines:
            bad = next((bad_lines[n] for n in range(first, last_line + 1) if n in bad_lines),
                       None)
            problem = bad or problem
        yield first, problem, values


def _dbf_records(path: Path) -> Source:
    try:
        from dbfread import DBF
    except ImportError:
        raise UnusableInput("reading .dbf files needs dbfread: pip install -e '.[dbf]'") from None
    cpg = path.with_suffix(".cpg")  # shapefile downloads declare their encoding here
    encoding = cpg.read_text().strip() if cpg.is_file() else None
    try:
        table = DBF(str(path), encoding=encoding, char_decode_errors="surrogateescape",
                    load=False)
        if table.encoding == "ascii":  # no code page in the header: the common legacy one
            table.encoding = "cp1252"
        positions = _check_header(path, table.field_names)
    except (OSError, ValueError) as exc:
        raise UnusableInput(f"{path}: not a readable .dbf file ({exc})") from None
    fields = [table.field_names[i] for i in positions]
    return Source(tuple(positions.values()), _dbf_rows(table, fields))


def _dbf_rows(table, fields) -> Iterator[Record]:
    records = iter(table)
    number = 0
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            return
        except ValueError as exc:
            yield number, f"malformed record ({excerpt(str(exc), 120)})", (None,) * len(fields)
            continue
        values = tuple(_dbf_text(record.get(name)) for name in fields)
        problem = None
        if any(v is not None and not _encodable(v) for v in values):
            problem = f"bytes not valid {table.encoding}"
            values = tuple(v.encode("utf-8", "replace").decode() if v else v for v in values)
        if any(v is not None and "\x00" in v for v in values):
            problem = "a NUL byte in the record"
            values = tuple(v.replace("\x00", "") if v else v for v in values)
        yield number, problem, values


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: a byte the encoding could not decode
        return False
    return True


def _dbf_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ----------------------------------------------------------------------------- loading

def stage(cursor, paths: list[Path], encoding: str, progress: Callable[[int], None] | None):
    """COPY every record of every file into the staging table.

    The records are written as CSV by the csv module (C code) into a buffer sent to
    COPY in blocks; an empty field arrives as null.
    """
    cursor.execute(sqlfiles.load("import/staging.sql"))
    sources = [(path, read_records(path, encoding)) for path in paths]  # all headers first
    for path, source in sources:
        columns = sql.SQL(", ").join(map(sql.Identifier, ("file", "line", "problem",
                                                          *source.columns)))
        copy_sql = sql.SQL("COPY import_staging ({}) FROM STDIN WITH (FORMAT csv)").format(columns)
        with cursor.copy(copy_sql) as copy:
            buffer = io.StringIO()
            # "\r\n" ends records so that the writer quotes any field holding a CR or an LF
            writer = csv.writer(buffer, lineterminator="\r\n")
            for count, (line, problem, values) in enumerate(source.records, start=1):
                writer.writerow((path.name, line, problem, *values))
                if count % BLOCK_ROWS == 0:
                    copy.write(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
                    if progress:
                        progress(BLOCK_ROWS)
            copy.write(buffer.getvalue())


def import_files(paths: list[Path], replace: bool = False, strict: bool = False,
                 rejects: Path | None = None, encoding: str = "utf-8",
                 progress: Callable[[int], None] | None = None,
                 on_wait: Callable[[str], None] | None = None) -> ImportSummary:
    import time

    started = time.perf_counter()
    summary = ImportSummary()
    encoding = check_encoding(encoding)
    with transaction.atomic(), connection.cursor() as cursor:
        stage(cursor, paths, encoding, progress)
        cursor.execute(sqlfiles.compose("import/clean.sql", **column_limits()),
                       {"replace": replace, "this_year": dt.date.today().year})
        if rejects is not None:
            _write_rejects(cursor, rejects)
        if strict:
            _refuse_any_reject(cursor)
        # The rows' towns were checked against buildings_town above: checking the
        # foreign key once for the table beats a deferred check per inserted row.
        # A large import also rebuilds the indexes rather than maintain them.
        cursor.execute(sqlfiles.load("import/large.sql"))
        large, loadable, towns = cursor.fetchone()
        if loadable or (replace and towns):  # else nothing changes, and the views stay fresh
            lock_buildings(cursor, on_wait)
            if replace:
                cursor.execute(sqlfiles.load("import/replace.sql"))
            with indexes_rebuilt_after(cursor, foreign_keys_only=not large):
                cursor.execute(sqlfiles.load("import/insert.sql"))
            cursor.execute("ANALYZE buildings_building")
        cursor.execute(sqlfiles.load("import/summary.sql"))
        summary.towns = [TownCount(*row) for row in cursor.fetchall()]
        cursor.execute(sqlfiles.load("import/nulled.sql"))
        summary.nulled_by_column = dict(cursor.fetchall())
    summary.seconds = time.perf_counter() - started
    return summary


def column_limits() -> dict[str, sql.Composable]:
    """What each column of the buildings can hold, from the model (declared once there):
    COLUMN_max (numbers below it fit; an integer's largest), COLUMN_scale (decimal places),
    COLUMN_length (characters)."""
    from decimal import Decimal

    from django.db import models

    from buildings.models import Building

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
    with path.open("wb") as out, cursor.copy(sqlfiles.load("import/rejects.sql")) as copy:
        for block in copy:
            out.write(block)


def _refuse_any_reject(cursor) -> None:
    cursor.execute("SELECT file, line, reason FROM import_clean WHERE reason IS NOT NULL "
                   "ORDER BY file, line LIMIT 1")
    first = cursor.fetchone()
    if first:
        raise Rejected(f"{first[0]} line {first[1]}: {first[2]} (--strict: nothing was written)")


def summary_lines(summary: ImportSummary) -> list[str]:
    """The per-town table and totals, as the command prints them."""
    lines = [f"{'town':<28} {'read':>9} {'loaded':>9} {'rejected':>9} {'nulled':>8}"]
    for t in summary.towns:
        lines.append(f"{t.town:<28} {t.read:>9,} {t.loaded:>9,} {t.rejected:>9,} {t.nulled:>8,}")
    rate = summary.read / summary.seconds if summary.seconds else 0
    lines.append(f"{'total':<28} {summary.read:>9,} {summary.loaded:>9,} "
                 f"{summary.rejected:>9,} {sum(t.nulled for t in summary.towns):>8,}")
    if summary.nulled_by_column:
        lines.append("values that could not be stored as written (loaded as null, or text "
                     "cut to its column): " + ", ".join(
                         f"{column} {count:,}"
                         for column, count in summary.nulled_by_column.items()))
    lines.append(f"{summary.read:,} rows in {summary.seconds:.1f} s ({rate:,.0f} rows/s)")
    return lines


