import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from buildings.core.models import Building
from buildings.ingest.bulk import set_triggers
from buildings.management.helpers import positive_int


class Command(BaseCommand):
    help = ("What the live summary's triggers cost a one-row write: the median time of N "
            "one-row updates (a building's stories), with the triggers and without, each "
            "update rolled back. Needs buildings loaded; changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--updates", type=positive_int, default=500)

    def handle(self, *args, updates, **options):
        ids = list(Building.objects.order_by("?").values_list("id", flat=True)[:updates])
        if not ids:
            self.stderr.write("no buildings are loaded: generate some first")
            raise SystemExit(2)
        with_triggers = self._median(ids)
        with transaction.atomic():
            with connection.cursor() as cursor:
                set_triggers(cursor, enabled=False)
            without = self._median(ids)
            transaction.set_rollback(True)  # the triggers stay enabled
        self.stdout.write(f"one-row update, median of {len(ids)}: {with_triggers:.2f} ms with "
                          f"the live summary's triggers, {without:.2f} ms without")

    @staticmethod
    def _median(ids) -> float:
        times = []
        for building_id in ids:
            with transaction.atomic():
                started = time.perf_counter()
                Building.objects.filter(id=building_id).update(stories=3)
                times.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        return statistics.median(times)
