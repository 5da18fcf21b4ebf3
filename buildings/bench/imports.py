"""The import benchmark: the import held to the limit a bare COPY sets, in the same run.

Every figure comes with its reference: the narrow file's import beside a bare COPY of
the same file into an unindexed table; the folder of per-town files beside the one
file holding the same rows; the import with the live summary kept beside it without.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection
from psycopg import sql

from buildings.core import sqlfiles
from buildings.ingest.generator import generate
from buildings.ingest.importer import import_files

SQL = sqlfiles.Folder(__package__)
NARROW_ROWS = 500_000  # the narrow file held to COPY, as the issue measured it


def run(rows: int, seed: int, gdb: bool, say: Callable[[str], None]) -> None:
    """Generate `rows` buildings, then measure each import path and print its figures."""
    generate(rows, seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # every file is written before the first import replaces the buildings;
        # the narrow file holds every k-th building: every town, so its import
        # replaces them all, as a first load does
        narrow = export_narrow(folder / "narrow.csv", every=max(1, rows // NARROW_ROWS))
        paths = {"csv": export_wide(folder / "assess.csv")}
        if gdb:
            paths["gdb"] = export_gdb(folder / "L3_ASSESS.gdb")
        one_file = export_narrow(folder / "state.csv")
        towns = export_per_town(folder / "towns")

        copy_seconds = bare_copy(narrow)
        narrow_rows = lines(narrow) - 1
        say(f"reference: a bare COPY of the narrow CSV ({narrow_rows:,} rows, 8 columns, "
            f"{mib(narrow)}) into an unindexed table: {copy_seconds:.2f} s "
            f"({narrow_rows / copy_seconds:,.0f} rows/s)")
        seconds, result = timed_import([narrow])
        say(f"narrow CSV: imported {result.loaded:,} of {result.read:,} rows in {seconds:.2f} s "
            f"({result.read / seconds:,.0f} rows/s): {seconds / copy_seconds:.1f}x the bare COPY")

        for kind, path in paths.items():
            seconds, result = timed_import([path])
            say(f"{kind} (all 24 columns, {mib(path)}): imported {result.loaded:,} of "
                f"{result.read:,} rows in {seconds:.1f} s ({result.read / seconds:,.0f} rows/s)")

        one_seconds, one = timed_import([one_file])
        many_seconds, many = timed_import([towns])
        say(f"{one.read:,} narrow rows: one file {one_seconds:.1f} s; the same rows as "
            f"{len(list(towns.iterdir()))} per-town files {many_seconds:.1f} s "
            f"({many_seconds / one_seconds:.2f}x)")

        without, _ = timed_import([paths["csv"]], keep_live=False)
        with_live, _ = timed_import([paths["csv"]])  # ends with the summary right
        say(f"csv, the live summary's cost: without {without:.1f} s, with {with_live:.1f} s: "
            f"{100 * (with_live / without - 1):+.1f}%")
        for kind, path in paths.items():
            tracemalloc.start()
            import_files([path], replace=True)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            say(f"{kind}: Python heap peak (tracemalloc, a second run) {peak / 2**20:.1f} MiB")


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


def lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def export_per_town(folder: Path) -> Path:
    """The narrow CSV split by town, one file per town as the per-town downloads come."""
    folder.mkdir()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT town_id FROM buildings_building ORDER BY 1")
        towns = [town_id for (town_id,) in cursor.fetchall()]
    for town_id in towns:
        export_narrow(folder / f"M{town_id:03d}_assess.csv", town_id=town_id)
    return folder


def _file_blocks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as f:
        while block := f.read(size):
            yield block


def bare_copy(path: Path) -> float:
    """Seconds a plain COPY takes to read the narrow CSV into a typed, unindexed table,
    sent the way the import sends a file (blocks from the client)."""
    table = sql.Identifier("bench_copy_reference")
    with connection.cursor() as cursor:
        cursor.execute(SQL.compose("copy_reference.sql", table=table))
        started = time.perf_counter()
        with cursor.copy(sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER)")
                         .format(table)) as copy:
            for block in _file_blocks(path):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute(sql.SQL("DROP TABLE {}").format(table))
    return seconds


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
