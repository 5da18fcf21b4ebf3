from django.core.management.base import BaseCommand

from buildings.cluster import shards
from buildings.core import hints
from buildings.derived.live_summary import drift, rebuild
from buildings.management.helpers import on_every_shard


class Command(BaseCommand):
    help = ("The live summary the triggers keep: `check` recounts it from the buildings and "
            "says whether it matches (exit 1 when it does not); `rebuild` recounts it.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"])

    def handle(self, *args, action, **options):
        if shards.configured():  # each shard keeps its own summary
            return on_every_shard(self, ["live_summary", action])
        if action == "rebuild":
            rebuild()
            self.stdout.write("the live summary was recounted from the buildings")
            return
        found = drift()
        if not found:
            self.stdout.write("the live summary matches a recount of the buildings")
            return
        for d in found:
            self.stdout.write(f"{d.table}: {d.missing:,} rows missing or different, "
                              f"{d.extra:,} rows extra")
        self.stderr.write("the live summary has drifted: run "
                          f"`{hints.command('live_summary rebuild')}`")
        raise SystemExit(1)
