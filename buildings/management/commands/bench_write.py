from django.core.management.base import BaseCommand

from buildings.bench import writes
from buildings.management.helpers import int_list, positive_int


class Command(BaseCommand):
    help = ("What the live summary costs a one-row write, by pgbench: updates and inserts "
            "with its triggers on and off, tps and latency (median, p95) per number of "
            "clients, in the same run; then the sql strategy's time after the writes. "
            "Writes to the buildings and puts them back.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int_list, default=[1, 4, 8],
                            help="numbers of clients, comma-separated (default 1,4,8)")
        parser.add_argument("--seconds", type=positive_int, default=10,
                            help="seconds of each pgbench run (default 10)")
        parser.add_argument("--autovacuum-wait", type=int, default=150, metavar="SECONDS",
                            help="how long to wait for autovacuum after the writes before "
                                 "timing sql again (default 150; 0: do not wait)")

    def handle(self, *args, clients, seconds, autovacuum_wait, **options):
        runs = writes.run(clients, seconds, self.stdout.write, autovacuum_wait)
        self.stdout.write("")
        for line in writes.table(runs):
            self.stdout.write(line)
