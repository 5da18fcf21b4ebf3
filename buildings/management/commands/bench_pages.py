import json

from django.core.management.base import BaseCommand, CommandError

from buildings.core.models import Building
from buildings.dashboard.bench import loadcheck, pages, server
from buildings.management.helpers import check_writable, positive_int
from buildings.postgres.connection import connection_url


class Command(BaseCommand):
    help = ("Measure the pages on the loaded buildings: server-side time per page, the weight "
            "of /, and a bounded load check (N clients for S seconds, loopback only).")

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=positive_int, default=30,
                            help="requests per page for the server-side times (default 30)")
        parser.add_argument("--clients", type=positive_int, default=20)
        parser.add_argument("--seconds", type=positive_int, default=10)
        parser.add_argument("--workers", type=positive_int, default=4,
                            help="gunicorn workers of the load check's server (default 4)")
        parser.add_argument("--json", dest="json_path", metavar="FILE",
                            help="write the figures there")

    def handle(self, *args, repeat, clients, seconds, workers, json_path, **options):
        if json_path:
            check_writable(json_path, "--json")
        buildings = Building.objects.count()
        self.stdout.write(f"{buildings:,} buildings\n\nserver-side time, ms (median of {repeat}; "
                          "cold: nothing kept, as after a write; warm: the page kept)")
        self.stdout.write(f"  {'page':<44} {'cold':>7} {'p95':>7} {'warm':>7} {'KiB':>8}")
        times = pages.render_times(repeat=repeat)
        for t in times:
            self.stdout.write(f"  {t.path:<44} {t.cold_ms:7.1f} {t.cold_p95_ms:7.1f} "
                              f"{t.warm_ms:7.1f} {t.bytes / 1024:8.1f}")
        weight = pages.weight()
        self.stdout.write(f"\nweight of /: {weight.total / 1024:.1f} KiB uncompressed "
                          f"({', '.join(f'{u} {b / 1024:.1f}' for u, b in weight.parts.items())}),"
                          f" {weight.gzipped / 1024:.1f} KiB gzipped")
        try:
            with server.served(connection_url(), workers=workers) as base:
                load = loadcheck.run(base, ["/", "/report.json"], clients, seconds)
        except server.ServerError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\nload check, " + "\n".join(load.lines()))
        if json_path:
            with open(json_path, "w") as f:
                json.dump({
                    "buildings": buildings,
                    "pages": [t.__dict__ for t in times],
                    "weight": {"parts": weight.parts, "total": weight.total,
                               "gzipped": weight.gzipped},
                    "load": {"clients": clients, "seconds": seconds, "requests": load.requests,
                             "errors": load.errors,
                             "paths": {p: {"requests": len(v), "p50_ms": load.p50(p) * 1000,
                                           "p95_ms": load.p95(p) * 1000}
                                       for p, v in load.latencies.items()}},
                }, f, indent=2)
            self.stderr.write(f"wrote {json_path}")
        if load.errors:
            raise CommandError(f"the load check saw {len(load.errors)} errors; the first: "
                               f"{load.errors[0]}")
