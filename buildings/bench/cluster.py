"""The cluster's report beside one server's, in the same run: the coordinator's own
buildings table (which a cluster never reads) holds the same buildings as the shards,
so both reports are timed on this machine one after the other, and compared byte
for byte."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from buildings.bench import BenchRefused
from buildings.cluster import reading
from buildings.cluster.shards import configured, shards
from buildings.core.statement import computed, report_statement, run_report
from buildings.derived import live_summary
from buildings.ingest.generator import generate, generate_on_cluster


def _median_seconds(read: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, report = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        report = read()
        times.append(time.perf_counter() - started)
    return statistics.median(times), report


def run(buildings: int, seed: int, repeat: int, say: Callable[[str], None]) -> None:
    if not configured():
        raise BenchRefused("bench_cluster runs on a cluster's coordinator: set "
                           "BUILDINGS_SHARDS and run `cluster setup` and `cluster place`")
    started = time.perf_counter()
    generate_on_cluster(buildings, seed)
    say(f"generated {buildings:,} buildings on {len(shards())} shards in "
        f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    generate(buildings, seed)
    say(f"generated the same buildings on the coordinator alone in "
        f"{time.perf_counter() - started:.1f} s")
    one_server = {
        "sql": lambda: run_report(report_statement(computed())),
        "live": lambda: run_report(report_statement(live_summary.sources())),
    }
    for kind, alone in one_server.items():
        single, expected = _median_seconds(alone, repeat)
        spread, got = _median_seconds(lambda k=kind: reading.report(k), repeat)
        same = "identical" if got.as_dict(with_meta=False) == expected.as_dict(
            with_meta=False) else "DIFFERENT"
        say(f"{kind:<4}: one server {single * 1000:8.1f} ms, cluster {spread * 1000:8.1f} ms "
            f"({spread / single:.2f}×), median of {repeat}; reports {same}")
