import argparse
import dataclasses
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from buildings.cluster import shards
from buildings.core import hints
from buildings.ingest.importer import Rejected, import_files, import_on_cluster, result_lines
from buildings.ingest.readers import UnusableInput
from buildings.management.helpers import check_writable, progress_bar, town_ids
from buildings.postgres.retry import retried


class Command(BaseCommand):
    help = ("Import MassGIS Level 3 assessor tables as published: CSV (.csv, .csv.gz), the "
            "assess .dbf, a per-town download ZIP, a file geodatabase (.gdb or .gdb.zip), or "
            "a folder of them, all in one transaction. "
            "Exit 0: all loaded; 1: rows rejected; 2: unusable input.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
        parser.add_argument("--replace", action="store_true",
                            help="replace the buildings of the towns present in the files")
        parser.add_argument("--strict", action="store_true",
                            help="any rejected row aborts the import; nothing is written")
        parser.add_argument("--rejects", type=Path, metavar="FILE",
                            help="write the rejected rows (file, line, reason) as CSV")
        parser.add_argument("--encoding", default="utf-8",
                            help="text encoding of CSV files (default utf-8)")
        parser.add_argument("--layer", metavar="NAME",
                            help="the table of a file geodatabase (default L3_ASSESS)")
        # how a cluster's coordinator runs it on each shard (buildings/ingest/importer.py)
        parser.add_argument("--towns", type=town_ids, help=argparse.SUPPRESS)
        parser.add_argument("--no-unplaced", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--prepare", metavar="GID", help=argparse.SUPPRESS)
        parser.add_argument("--result-json", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args, files, replace, strict, rejects, encoding, layer, towns,
               no_unplaced, prepare, result_json, **options):
        if rejects is not None:
            check_writable(rejects, "--rejects")
        try:
            if shards.configured():
                result = import_on_cluster(files, replace=replace, strict=strict,
                                           rejects=rejects, encoding=encoding, layer=layer)
            else:
                with progress_bar(None, "importing", "rows", delay=1.0) as bar:
                    result = retried(lambda: import_files(
                        files, replace=replace, strict=strict, rejects=rejects,
                        encoding=encoding, progress=bar.update, on_wait=self.stderr.write,
                        layer=layer, towns=towns, unplaced=not no_unplaced, prepare=prepare),
                        "the import", on_retry=self.stderr.write)
        except UnusableInput as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except Rejected as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if prepare:  # a shard's part: its coordinator adds the results up and decides
            result_json.write_text(json.dumps(dataclasses.asdict(result)))
            self.stdout.write(f"prepared {prepare}")
            return
        for line in result_lines(result):
            self.stdout.write(line)
        if result.loaded:
            self.stdout.write("the materialized views are now stale: run "
                              f"`{hints.command('refresh_views --concurrently')}`")
        if rejects is not None:
            self.stdout.write(f"rejected rows written to {rejects}")
        if result.rejected:
            sys.exit(1)
