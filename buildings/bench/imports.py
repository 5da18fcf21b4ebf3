"""The import benchmark: the import held to the limit a bare COPY sets, in the same run.

Every figure comes with its reference: each file's import (narrow CSV, 24-column CSV,
geodatabase, a folder of per-town files) beside a bare COPY of the same bytes into an
unindexed table; the folder beside the one file holding the same rows; the import
with the live summary kept beside it without.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from psycopg import sql

from buildings.core import sqlfiles
from buildings.ingest.generator import generate
from buildings.ingest.importer import import_files, raw_copy_statement
from buildings.ingest.readers import importable_files, read_records

SQL = sqlfiles.Folder(__package__)
NARROW_ROWS = 500_000  # the narrow file held to COPY, as the issue measured it


@dataclass(frozen=True)
class Measured:
    """One path: the import of a file (or folder) beside a bare COPY of the same bytes."""

    label: str
    rows: int
    seconds: float
    copy_seconds: float

    def line(self) -> str:
        return (f"| {self.label} | {self.rows:,} | {self.seconds:.2f} s | "
                f"{self.rows / self.seconds:,.0f} | {self.copy_seconds:.2f} s | "
                f"{self.seconds / self.copy_seconds:.1f}× |")


def run(rows: int, seed: int, gdb: bool, say: Callable[[str], None]) -> None:
    """Generate `rows` buildings, then measure each import path beside a bare COPY of
    the same file, and print a table of the figures."""
    generate(rows, seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # every file is written before the first import replaces the buildings;
        # the narrow file holds every k-th building: every town, so its import
        # replaces them all, as a first load does
        narrow = export_narrow(folder / "narrow.csv", every=max(1, rows // NARROW_ROWS))
        paths = {"CSV, 24 columns": export_wide(folder / "assess.csv")}
        if gdb:
            paths["geodatabase, 24 columns"] = export_gdb(folder / "L3_ASSESS.gdb")
        one_file = export_narrow(folder / "state.csv")
        towns = export_per_town(folder / "towns")
        count = len(list(towns.iterdir()))
        measured = [measure(f"narrow CSV, 8 columns ({mib(narrow)})", narrow)]
        measured += [measure(f"{label} ({mib(path)})", path) for label, path in paths.items()]
        one = measure(f"narrow CSV, every building ({mib(one_file)})", one_file)
        many = measure(f"the same rows as {count} per-town CSVs", towns)
        measured += [one, many]
        say("| file | rows | import | rows/s | bare COPY of the same bytes | import vs COPY |")
        say("|---|---:|---:|---:|---:|---:|")
        for figure in measured:
            say(figure.line())
        say(f"{count} per-town files against one file of the same rows: "
            f"{many.seconds / one.seconds:.2f}x the import, "
            f"{many.copy_seconds / one.copy_seconds:.2f}x the bare COPY")

        wide = paths["CSV, 24 columns"]
        without, _ = timed_import([wide], keep_live=False)
        with_live, _ = timed_import([wide])  # ends with the summary right
        say(f"CSV, 24 columns, the live summary's cost: without {without:.1f} s, with "
            f"{with_live:.1f} s: {100 * (with_live / without - 1):+.1f}%")
        for label, path in paths.items():
            tracemalloc.start()
            import_files([path], replace=True)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            say(f"{label}: Python heap peak (tracemalloc, a second run) {peak / 2**20:.1f} MiB")


def measure(label: str, path: Path) -> Measured:
    """The bare COPY first, then the import (which replaces every building)."""
    copy_seconds = bare_copy(path)
    seconds, result = timed_import([path])
    return Measured(label, result.read, seconds, copy_seconds)


def timed_import(paths: list[Path], keep_live: bool = True):
    started = time.perf_counter()
    result = import_files(paths, replace=True, keep_live=keep_live)
    return time.perf_counter() - started, result


def mib(path: Path) -> str:
    size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")))
    return f"{size / 2**20:,.0f} MiB"


def _copy_out(query: sql.Composable, path: Path) -> Path:
    with path.open("wb") as out, connection.cursor() as cursor, cursor.copy(query) as copy:
        for block in copy:
            out.write(block)
    return path


def export_wide(path: Path) -> Path:
    """The buildings as a MassGIS Level 3 assess CSV, all the columns the import reads."""
    return _copy_out(sql.SQL(SQL.load("export_csv.sql")), path)


def export_narrow(path: Path, every: int = 1, town_id: int | None = None) -> Path:
    """The narrow CSV of every `every`-th building (of one town's, given `town_id`)."""
    where = sql.SQL("id % {} = 0").format(sql.Literal(every))
    if town_id is not None:
        where = sql.SQL("{} AND town_id = {}").format(where, sql.Literal(town_id))
    return _copy_out(SQL.compose("export_narrow.sql", where=where), path)


def export_per_town(folder: Path) -> Path:
    """The narrow CSV split by town, one file per town as the per-town downloads come."""
    folder.mkdir()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT town_id FROM buildings_building ORDER BY 1")
        towns = [town_id for (town_id,) in cursor.fetchall()]
    for town_id in towns:
        export_narrow(folder / f"M{town_id:03d}_assess.csv", town_id=town_id)
    return folder


def bare_copy(path: Path) -> float:
    """Seconds a bare COPY takes to read the file (a folder: each of its files in turn)
    into a typed, unindexed table: the very bytes the import's fast path sends, with
    its COPY statement (a geodatabase: GDAL's read into Arrow, written as CSV), so
    what the import does beyond reading the file is all that differs."""
    table = sql.Identifier("bench_copy_reference")
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL.load("copy_reference_session.sql"))
        cursor.execute(SQL.compose("copy_reference.sql", table=table))
        streams = [read_records(p, stack).raw for p in importable_files([path])]
        if any(raw is None or None in raw.targets for raw in streams):
            raise BenchRefused(f"{path}: not a file the import's fast path reads")
        started = time.perf_counter()
        for raw in streams:
            with cursor.copy(raw_copy_statement(table, list(raw.targets), raw)) as copy:
                for block in raw.blocks():
                    copy.write(block)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)  # the table goes with the transaction
    return seconds


class BenchRefused(RuntimeError):
    """A file the benchmark cannot hold to a bare COPY."""


GDB_FLOATS = {"BLD_AREA", "RES_AREA", "UNITS", "NUM_ROOMS", "BLDG_VAL", "LAND_VAL", "OTHER_VAL",
              "TOTAL_VAL", "LOT_SIZE", "LS_PRICE", "FY"}


def export_gdb(path: Path) -> Path:
    """The buildings as the statewide geodatabase's L3_ASSESS table, with MassGIS's
    field types, written in batches (needs the gdb extra)."""
    import numpy as np
    from pyogrio.raw import write

    with connection.cursor() as cursor:
        cursor.execute(SQL.load("export_gdb.sql"))
        names = [c.name for c in cursor.description]
        first = True
        while batch := cursor.fetchmany(100_000):
            columns = list(zip(*batch, strict=True))
            arrays = [np.array(c, dtype=np.int32 if n in ("TOWN_ID", "YEAR_BUILT")
                               else np.float64 if n in GDB_FLOATS else object)
                      for n, c in zip(names, columns, strict=True)]
            write(str(path), None, arrays, names, driver="OpenFileGDB", layer="L3_ASSESS",
                  geometry_type=None, append=not first)
            first = False
    return path
