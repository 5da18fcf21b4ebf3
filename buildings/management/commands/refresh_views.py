from django.core.management.base import BaseCommand

from buildings.cluster import shards
from buildings.derived.report_view import refresh
from buildings.management.helpers import on_every_shard


class Command(BaseCommand):
    help = "Refresh the materialized views in dependency order, printing each one's time and rows."

    def add_arguments(self, parser):
        parser.add_argument("--concurrently", action="store_true",
                            help="keep the views readable while they refresh")

    def handle(self, *args, concurrently, **options):
        if shards.configured():  # a coordinator holds no view of its own: each shard's
            return on_every_shard(self, ["refresh_views",
                                         *(["--concurrently"] if concurrently else [])])

        def report(result):
            how = " concurrently" if result.concurrently else ""
            self.stdout.write(f"refreshed {result.view}{how}: {result.rows:,} rows "
                              f"in {result.seconds:.2f} s")

        results = refresh(concurrently=concurrently, on_view=report)
        total = sum(r.seconds for r in results)
        count = f"{len(results)} view{'' if len(results) == 1 else 's'}"
        self.stdout.write(f"{count} refreshed in {total:.2f} s")
