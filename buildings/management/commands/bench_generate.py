import time
import tracemalloc

import psutil
from django.core.management.base import BaseCommand

from buildings.ingest.generator import generate
from buildings.management.helpers import int_list


class Command(BaseCommand):
    help = ("Time the generator and measure its Python memory at several sizes, then what "
            "keeping the live summary costs it (replaces the data).")

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int_list, default=[100_000, 2_000_000])
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, sizes, seed, **options):
        process = psutil.Process()
        self.stdout.write(f"{'buildings':>12} {'seconds':>8} {'rows/s':>10} "
                          f"{'py peak MiB':>12} {'RSS MiB':>8}")
        for n in sizes:
            tracemalloc.start()
            started = time.perf_counter()
            generate(n, seed)
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rss = process.memory_info().rss
            self.stdout.write(f"{n:>12,} {elapsed:>8.1f} {n / elapsed:>10,.0f} "
                              f"{peak / 2**20:>12.2f} {rss / 2**20:>8.1f}")
        self.stdout.write("\nthe live summary's cost (without it, then with it, same run):")
        for n in sizes:
            times = {}
            for keep_live in (False, True):  # ends with the summary right
                started = time.perf_counter()
                generate(n, seed, keep_live=keep_live)
                times[keep_live] = time.perf_counter() - started
            self.stdout.write(f"{n:>12,} without {times[False]:.1f} s, with {times[True]:.1f} s: "
                              f"{100 * (times[True] / times[False] - 1):+.1f}%")
