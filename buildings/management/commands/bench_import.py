import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from buildings import sqlfiles
from buildings.command_helpers import positive_int
from buildings.generator import generate
from buildings.importer import import_files


class Command(BaseCommand):
    help = ("Time the assessor import: generate N buildings, export them as a MassGIS CSV "
            "(and, with pyogrio, a file geodatabase), import each back with --replace; then "
            "the Python heap peak of each path in a traced run. Replaces the loaded buildings.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=positive_int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-gdb", action="store_true",
                            help="leave out the file geodatabase path")

    def handle(self, *args, rows, seed, no_gdb, **options):
        generate(rows, seed)
        with tempfile.TemporaryDirectory() as tmp:
            paths = {"csv": self._export_csv(Path(tmp) / "assess.csv")}
            if not no_gdb:
                try:
                    paths["gdb"] = self._export_gdb(Path(tmp) / "L3_ASSESS.gdb")
                except ImportError as exc:
                    raise CommandError("the geodatabase path needs the gdb extra: pip install "
                                       "-e '.[gdb]' (or pass --no-gdb)", returncode=2) from exc
            for kind, path in paths.items():
                started = time.perf_counter()
                summary = import_files([path], replace=True)
                elapsed = time.perf_counter() - started
                size = sum(p.stat().st_size for p in ([path] if path.is_file()
                                                      else path.iterdir()))
                self.stdout.write(f"{kind}: imported {summary.loaded:,} of {summary.read:,} "
                                  f"rows ({size / 2**20:,.0f} MiB) in {elapsed:.1f} s: "
                                  f"{summary.read / elapsed:,.0f} rows/s")
            times = {}
            for keep_live in (False, True):  # ends with the summary right
                started = time.perf_counter()
                import_files([paths["csv"]], replace=True, keep_live=keep_live)
                times[keep_live] = time.perf_counter() - started
            self.stdout.write(f"csv, the live summary's cost: without {times[False]:.1f} s, "
                              f"with {times[True]:.1f} s: "
                              f"{100 * (times[True] / times[False] - 1):+.1f}%")
            for kind, path in paths.items():
                tracemalloc.start()
                import_files([path], replace=True)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                self.stdout.write(f"{kind}: Python heap peak (tracemalloc, a second run) "
                                  f"{peak / 2**20:.1f} MiB")

    def _export_csv(self, path: Path) -> Path:
        with path.open("wb") as out, connection.cursor() as cursor, \
                cursor.copy(sqlfiles.load("import/export.sql")) as copy:
            for block in copy:
                out.write(block)
        return path

    def _export_gdb(self, path: Path) -> Path:
        """The buildings as the statewide geodatabase's L3_ASSESS table, with MassGIS's
        field types, written in batches."""
        import numpy as np
        from pyogrio.raw import write

        query = sqlfiles.load("import/export_gdb.sql")
        with connection.cursor() as cursor:
            cursor.execute(query)
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


GDB_FLOATS = {"BLD_AREA", "RES_AREA", "UNITS", "NUM_ROOMS", "BLDG_VAL", "LAND_VAL", "OTHER_VAL",
              "TOTAL_VAL", "LOT_SIZE", "LS_PRICE", "FY"}
