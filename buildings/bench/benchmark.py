"""`benchmark`: generate each size, refresh the views, compare everything; JSON and a chart.

For each size: the generator (timed), a concurrent refresh of the views
(measured in a child process like the rest), the five strategies, and the
reference points of buildings/bench/reference.py plus a bare django.setup() process.
The chart needs matplotlib (`pip install -e '.[bench]'`); without it the JSON
is still written and the command says so.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import time
from pathlib import Path

import psutil

from buildings.analysis import strategies
from buildings.bench import reference, stored_runs
from buildings.bench.compare import compare, run_child
from buildings.bench.measure import REFRESH, SETUP
from buildings.ingest.generator import generate

REFERENCE_TARGETS = ["floor", "scan-floor", "raw-sql", "orm-straightforward"]


def targets() -> list[str]:
    extra = ["pandas"] if reference.pandas_available() else []
    return [*strategies.MODES, SETUP, *REFERENCE_TARGETS, *extra]


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "postgresql": server,
        "date": dt.date.today().isoformat(),
    }


def run(sizes: list[int], seed: int, repeat: int, out: Path, progress=None) -> dict:
    """Measure every size; write out/benchmark.json (and .png); return the data."""
    out.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "seed": seed, "repeat": repeat, "sizes": {}}
    for n in sizes:
        started = time.perf_counter()
        generate(n, seed)
        generated = time.perf_counter() - started
        if progress:
            progress(f"{n:,}: generated")
        refresh = run_child(REFRESH)  # the first refresh fills the views, then a measured one
        refresh = run_child(REFRESH)

        def step(label, n=n):  # a run begins ("naive 2/3"); None: all have ended
            if progress and label:
                progress(f"{n:,}: {label}")

        comparison = compare(targets(), repeat, progress=step)
        results["sizes"][str(n)] = {
            "generate_seconds": generated,
            "refresh_concurrently_seconds": refresh["seconds"],
            "targets": {m.target: m.summary for m in comparison.measured},
            "runs": comparison.as_dict(),
        }
    (out / "benchmark.json").write_text(json.dumps(results, indent=2))
    stored_runs.record("benchmark", results["machine"],
                {int(n): size["targets"] for n, size in results["sizes"].items()})
    results["chart"] = chart(results, out / "benchmark.png")
    return results


def ratios(size: dict) -> dict:
    """The figures the targets are stated in, for one size."""
    t = size["targets"]
    sql, naive, floor = t["sql"], t["naive"], t["floor"]
    return {
        "sql_speedup_vs_naive": naive["seconds"] / sql["seconds"],
        "sql_vs_floor": sql["seconds"] / floor["seconds"],
        "sql_vs_scan_floor": sql["seconds"] / t["scan-floor"]["seconds"],
        "live_read_ms": t["live"]["seconds"] * 1000,
        "sql_heap_peak_mib": sql["heap_peak"] / 2**20,
        "sql_rss_above_setup_mib": (sql["rss_peak"] - t[SETUP]["rss_peak"]) / 2**20,
        "mview_read_ms": t["mview"]["seconds"] * 1000,
        "refresh_vs_sql": size["refresh_concurrently_seconds"] / sql["seconds"],
        "orm_overhead": sql["seconds"] / t["raw-sql"]["seconds"],
    }


def chart(results: dict, path: Path) -> str | None:
    """Peak memory and time against buildings, log-log, one line per target."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    sizes = sorted(int(n) for n in results["sizes"])
    names = list(results["sizes"][str(sizes[0])]["targets"])
    fig, (memory, seconds) = plt.subplots(1, 2, figsize=(12, 5))
    for name in names:
        if name == SETUP:
            continue
        style = "-o" if name in strategies.MODES else "--."
        rows = [results["sizes"][str(n)]["targets"][name] for n in sizes]
        memory.plot(sizes, [r["rss_peak"] / 2**20 for r in rows], style, label=name)
        seconds.plot(sizes, [max(r["seconds"], 1e-4) for r in rows], style, label=name)
    setup = [results["sizes"][str(n)]["targets"][SETUP]["rss_peak"] / 2**20 for n in sizes]
    memory.plot(sizes, setup, ":", color="grey", label="bare django.setup()")
    for axis, title, unit in ((memory, "Peak RSS of the Python process", "MiB"),
                              (seconds, "Time of the analysis", "seconds")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("buildings")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    memory.legend(fontsize=8)
    m = results["machine"]
    fig.suptitle(f"Massachusetts buildings: {m['cores']} cores, PostgreSQL {m['postgresql']}, "
                 f"{m['date']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
