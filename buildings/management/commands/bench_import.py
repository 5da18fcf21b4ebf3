import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from buildings import sqlfiles
from buildings.command_helpers import positive_int
from buildings.generator import generate
from buildings.importer import import_files


class Command(BaseCommand):
    help = ("Time the assessor import: generate N buildings, export them as a MassGIS CSV, "
            "import it back with --replace. Replaces the loaded buildings.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=positive_int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, rows, seed, **options):
        generate(rows, seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "assess.csv"
            with path.open("wb") as out, connection.cursor() as cursor, \
                    cursor.copy(sqlfiles.load("import/export.sql")) as copy:
                for block in copy:
                    out.write(block)
            size = path.stat().st_size
            started = time.perf_counter()
            summary = import_files([path], replace=True)
            elapsed = time.perf_counter() - started
        self.stdout.write(f"imported {summary.loaded:,} of {summary.read:,} rows "
                          f"({size / 2**20:,.0f} MiB of CSV) in {elapsed:.1f} s: "
                          f"{summary.read / elapsed:,.0f} rows/s")
