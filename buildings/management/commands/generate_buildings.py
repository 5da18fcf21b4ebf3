import argparse
import time

from django.core.management.base import BaseCommand

from buildings.cluster import reading, shards
from buildings.core.models import Building
from buildings.ingest.generator import generate, generate_on_cluster
from buildings.management.helpers import positive_int, progress_bar, town_ids
from buildings.postgres.retry import retried


class Command(BaseCommand):
    help = "Replace the buildings with N synthetic but realistic ones, made inside PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--buildings", type=positive_int, default=2_000_000, metavar="N",
                            help="how many buildings (default 2,000,000: the whole state)")
        parser.add_argument("--seed", type=int, default=1, help="same N and seed, same data")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when buildings are already loaded")
        # how a cluster's coordinator runs it on each shard (buildings/cluster/writes.py)
        parser.add_argument("--towns", type=town_ids, help=argparse.SUPPRESS)
        parser.add_argument("--prepare", metavar="GID", help=argparse.SUPPRESS)

    def handle(self, *args, buildings, seed, if_empty, towns, prepare, **options):
        if shards.configured():
            if if_empty and reading.version().has_buildings:
                self.stdout.write("keeping the buildings already loaded on the shards")
                return
            started = time.perf_counter()
            count = generate_on_cluster(buildings, seed)
            elapsed = time.perf_counter() - started
            self.stdout.write(f"generated {buildings:,} buildings (seed {seed}) on "
                              f"{count} shards in {elapsed:.1f} s")
            return
        if if_empty and Building.objects.exists():
            count = Building.objects.count()
            self.stdout.write(f"keeping the {count:,} buildings already loaded")
            return
        started = time.perf_counter()
        with progress_bar(buildings, "generating", "buildings") as bar:
            retried(lambda: generate(buildings, seed, progress=bar.update,
                                     on_wait=self.stderr.write, towns=towns, prepare=prepare),
                    "the generation", on_retry=self.stderr.write)
        if prepare:
            self.stdout.write(f"prepared {prepare}")
            return
        elapsed = time.perf_counter() - started
        self.stdout.write(f"generated {buildings:,} buildings (seed {seed}) in {elapsed:.1f} s")
