from django.core.management.base import BaseCommand

from buildings.bench import deadlocks
from buildings.management.helpers import positive_int


class Command(BaseCommand):
    help = ("Colliding writers (transactions of updates, year moves, inserts and deletes over "
            "a few shared buildings) with the live summary's triggers on and off, the same "
            "workload: every deadlock counted, and whether the summary's settle took part. "
            "The buildings are put back afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=positive_int, default=4)
        parser.add_argument("--transactions", type=positive_int, default=8,
                            help="per client (default 8)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--pause-ms", type=int, default=10,
                            help="between a transaction's statements (default 10)")

    def handle(self, *args, clients, transactions, seed, pause_ms, **options):
        deadlocks.run(clients, transactions, seed, self.stdout.write, pause=pause_ms / 1000)
