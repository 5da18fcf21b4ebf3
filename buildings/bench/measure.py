"""Measure one strategy (or reference point) in a fresh Python process.

`compare` and `benchmark` start `python -m buildings.bench.measure TARGET` once per
run, so one strategy's allocations never pollute the next one's figures. The
child measures itself and prints one JSON object:

- seconds: wall time of the analysis alone (setup excluded);
- rss_baseline / rss_peak: the process's RSS after django.setup() and a first
  query, and its own high-water mark (VmHWM, read from /proc/self/status: not
  RUSAGE_CHILDREN, which mixes processes and inherits a parent's peak);
- rss_curve: RSS sampled every 10 ms during the run;
- heap_peak: tracemalloc's peak (only with --trace: tracing slows the code, so
  it is measured in separate runs);
- backend_peak: the peak private memory (RssAnon) of the PostgreSQL backend that
  served the run, sampled, when the server runs on this machine; memory moved
  into the database is counted, not hidden (its parallel workers are separate
  processes and not included);
- queries and rows: statements sent and rows fetched into Python;
- report: where the report's JSON (meta removed) was written, and its sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
import time
import traceback
import tracemalloc
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.01
SETUP = "setup"  # a bare django.setup(): the floor of any process's memory
REFRESH = "refresh-concurrently"


def status_kib(pid: int | str, field: str) -> int | None:
    """A field of /proc/PID/status in KiB (VmHWM, VmRSS, RssAnon), or None if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """Samples this process's RSS and the backend's private memory every 10 ms."""

    def __init__(self, backend_pid: int | None):
        super().__init__(daemon=True)
        self.backend_pid = backend_pid
        self.started = time.perf_counter()
        self.curve: list[tuple[float, int]] = []
        self.backend_peak: int | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stopping.is_set():
            self.curve.append((round(time.perf_counter() - self.started, 3),
                               me.memory_info().rss))
            if self.backend_pid is not None:
                anon = status_kib(self.backend_pid, "RssAnon")
                if anon is not None:
                    self.backend_peak = max(self.backend_peak or 0, anon * 1024)
            self.stopping.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


class QueryCounter:
    """Counts statements and the rows fetched from them, through Django's cursor."""

    def __init__(self):
        self.queries = 0
        self.rows = 0

    def execute(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def install(self) -> None:
        from django.db.backends.utils import CursorWrapper

        counter = self

        def counted(name):
            def fetch(self, *args):
                result = getattr(self.cursor, name)(*args)
                counter.rows += (0 if result is None else 1) if name == "fetchone" else len(result)
                return result
            return fetch

        def iterate(self):
            for row in self.cursor:
                counter.rows += 1
                yield row

        for name in ("fetchone", "fetchmany", "fetchall"):
            setattr(CursorWrapper, name, counted(name))
        CursorWrapper.__iter__ = iterate


def target_function(target: str, criteria: str | None = None):
    """What to run for a target name (all imports done here, before the baseline);
    `criteria`: a strategy's what-if (buildings/core/whatif.py)."""
    from buildings.analysis import strategies
    from buildings.bench import reference
    from buildings.core import whatif
    from buildings.derived.report_view import refresh

    if criteria is not None:
        what = whatif.parse(criteria)
        analyze = strategies.get(target, what)
        return lambda: analyze(None, None, what)

    if target == SETUP:
        return lambda: None
    if target == REFRESH:
        return lambda: refresh(concurrently=True)
    if target in strategies.MODES:
        return strategies.get(target)
    if target in reference.REFERENCES:
        return reference.REFERENCES[target]
    if is_custom(target):  # "package.module:function", a function returning a Report
        from importlib import import_module

        module, _, name = target.partition(":")
        return getattr(import_module(module), name)
    raise SystemExit(f"unknown target {target!r}")


def is_custom(target: str) -> bool:
    return ":" in target


def returns_report(target: str) -> bool:
    from buildings.analysis import strategies

    return target in strategies.MODES or is_custom(target)


def report_fields(report, target: str, report_dir: Path | None) -> dict:
    text = report.to_json(with_meta=False)
    fields = {"report_sha256": hashlib.sha256(text.encode()).hexdigest()}
    if report_dir is not None:
        path = report_dir / f"{target.replace(':', '.')}.json"
        path.write_text(text)
        fields["report"] = str(path)
    return fields


def measure(target: str, trace: bool = False, report_dir: Path | None = None,
            criteria: str | None = None) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildings.project.settings")
    django.setup()
    from django.db import connection

    from buildings.bench.reference import connection_backend_pid

    function = target_function(target, criteria)
    backend_pid = connection_backend_pid()
    if not psutil.pid_exists(backend_pid):
        backend_pid = None  # the server is not on this machine
    counter = QueryCounter()
    counter.install()
    rss_baseline = psutil.Process().memory_info().rss
    sampler = Sampler(backend_pid)
    sampler.start()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter.execute):
        returned = function()
    seconds = time.perf_counter() - started
    rss_peak = (status_kib("self", "VmHWM") or 0) * 1024
    heap_peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    sampler.stop()
    label = target if criteria is None else f"{target}.what-if"
    extra = report_fields(returned, label, report_dir) if returns_report(target) else {}
    if isinstance(returned, int) and counter.rows == 0:
        counter.rows = returned  # a reference point that fetched outside Django's cursor
    return {
        "target": target,
        "traced": trace,
        "seconds": seconds,
        "rss_baseline": rss_baseline,
        "rss_peak": rss_peak,
        "rss_curve": sampler.curve,
        "heap_peak": heap_peak,
        "backend_peak": sampler.backend_peak,
        "queries": counter.queries,
        "rows": counter.rows,
        **extra,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target")
    parser.add_argument("--trace", action="store_true", help="also trace the Python heap")
    parser.add_argument("--report-dir", type=Path)
    parser.add_argument("--criteria", help="what-if criteria for the strategy")
    args = parser.parse_args(argv)
    try:
        result = measure(args.target, args.trace, args.report_dir, args.criteria)
    except Exception as exc:  # the parent shows the last line: the message, not a class name
        traceback.print_exc()
        raise SystemExit(str(exc) or type(exc).__name__) from None
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
