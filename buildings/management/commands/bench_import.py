from django.core.management.base import BaseCommand, CommandError

from buildings.bench import imports
from buildings.management.helpers import positive_int


class Command(BaseCommand):
    help = ("Time the assessor import against a bare COPY of the same file, in the same run: "
            "a narrow CSV, the full CSV and (with the gdb extra) a file geodatabase, one file "
            "against a folder of per-town files, with and without the live summary. "
            "Replaces the loaded buildings with N generated ones.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=positive_int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-gdb", action="store_true",
                            help="leave out the file geodatabase path")

    def handle(self, *args, rows, seed, no_gdb, **options):
        if not no_gdb:
            try:
                import pyogrio  # noqa: F401
            except ImportError:
                raise CommandError("the geodatabase path needs the gdb extra: pip install "
                                   "-e '.[gdb]' (or pass --no-gdb)", returncode=2) from None
        try:
            imports.run(rows, seed, gdb=not no_gdb, say=self.stdout.write)
        except imports.BenchRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
