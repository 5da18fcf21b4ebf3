from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from buildings.bench.benchmark import ratios, run
from buildings.bench.compare import ComparisonError, table
from buildings.management.helpers import check_writable, int_list, positive_int


class Command(BaseCommand):
    help = ("For each size: generate, refresh the views, compare the strategies and reference "
            "points; write JSON and a chart. Replaces the loaded buildings.")

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int_list,
                            default=[10_000, 100_000, 1_000_000, 2_000_000, 5_000_000])
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=positive_int, default=3)
        parser.add_argument("--out", type=Path, default=Path("out"))

    def handle(self, *args, sizes, seed, repeat, out, **options):
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"--out {out}: cannot make that folder ({exc.strerror}); "
                               "name another", returncode=2) from exc
        check_writable(out / "benchmark.json", "--out")
        try:
            results = run(sizes, seed, repeat, out, progress=lambda step: self.stderr.write(step))
        except ComparisonError as exc:
            raise CommandError(str(exc)) from exc
        for n, size in results["sizes"].items():
            self.stdout.write(f"\n{int(n):,} buildings (generated in "
                              f"{size['generate_seconds']:.1f} s; views refreshed concurrently in "
                              f"{size['refresh_concurrently_seconds']:.3f} s)")
            self.stdout.write(table(list(size["targets"].values())))
            r = ratios(size)
            self.stdout.write(
                f"sql: {r['sql_speedup_vs_naive']:.1f}x faster than naive, "
                f"{r['sql_vs_floor']:.2f}x the floor, {r['sql_vs_scan_floor']:.2f}x the scan "
                f"floor, heap peak {r['sql_heap_peak_mib']:.2f} MiB, "
                f"RSS {r['sql_rss_above_setup_mib']:+.2f} MiB vs bare setup, ORM overhead "
                f"{r['orm_overhead']:.2f}x; mview read {r['mview_read_ms']:.1f} ms; live read "
                f"{r['live_read_ms']:.1f} ms; "
                f"concurrent refresh {r['refresh_vs_sql']:.2f}x sql")
        self.stdout.write(f"\nwrote {out / 'benchmark.json'}")
        if results["chart"]:
            self.stdout.write(f"wrote {results['chart']}")
        else:
            self.stdout.write("no chart: matplotlib is not installed (pip install -e '.[bench]')")

