from django.core.management.base import BaseCommand

from buildings.bench import cluster
from buildings.management.helpers import positive_int


class Command(BaseCommand):
    help = ("On a cluster's coordinator: generate N buildings on the shards and the same "
            "on the coordinator alone, then time the report (sql, live) both ways in the "
            "same run. Replaces the buildings on the shards and on the coordinator.")

    def add_arguments(self, parser):
        parser.add_argument("--buildings", type=positive_int, default=2_000_000, metavar="N")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=positive_int, default=5)

    def handle(self, *args, buildings, seed, repeat, **options):
        cluster.run(buildings, seed, repeat, self.stdout.write)
