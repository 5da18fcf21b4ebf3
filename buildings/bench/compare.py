"""Run strategies side by side, each in fresh processes, and check they agree.

Every run is a child process (buildings/bench/measure.py), so a strategy's memory is
its own. Times and memory are the medians of K runs; the Python heap peak comes
from one more run per strategy with tracemalloc on. A report that differs from
the first strategy's fails the comparison, showing the first differing rows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from buildings.postgres.connection import connection_url

MIB = 2**20


class ComparisonError(RuntimeError):
    """Strategies disagree, or a child run failed; the message says where."""


def run_child(target: str, trace: bool = False, report_dir: Path | None = None,
              criteria: str | None = None) -> dict:
    command = [sys.executable, "-m", "buildings.bench.measure", target]
    if trace:
        command.append("--trace")
    if criteria is not None:
        command += ["--criteria", criteria]
    if report_dir is not None:
        command += ["--report-dir", str(report_dir)]
    env = {**os.environ, "DATABASE_URL": connection_url()}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise ComparisonError(f"measuring {target} failed: {last}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Measured:
    target: str
    runs: list[dict]
    traced: dict | None = None

    def median(self, key: str) -> float | None:
        values = [r[key] for r in self.runs if r.get(key) is not None]
        return statistics.median(values) if values else None

    @property
    def summary(self) -> dict:
        first = self.runs[0]
        return {
            "target": self.target,
            "seconds": self.median("seconds"),
            "rss_peak": self.median("rss_peak"),
            "rss_added": statistics.median(r["rss_peak"] - r["rss_baseline"] for r in self.runs),
            "heap_peak": None if self.traced is None else self.traced["heap_peak"],
            "backend_peak": self.median("backend_peak"),
            "queries": first["queries"],
            "rows": first["rows"],
            "report_sha256": first.get("report_sha256"),
        }


@dataclass
class Comparison:
    measured: list[Measured] = field(default_factory=list)
    buildings: int = 0  # how many there were

    @property
    def summaries(self) -> list[dict]:
        return [m.summary for m in self.measured]

    def as_dict(self) -> dict:
        return {m.target: {"summary": m.summary, "runs": m.runs, "traced": m.traced}
                for m in self.measured}


def preflight(targets: list[str], refresh_views: bool = False, say=print) -> None:
    """Check, before the first measurement, that every target can run; else one line.

    A comparison runs for minutes; a mode that cannot run (no buildings, views
    never refreshed or stale, an extra not installed, a custom target that does
    not import) would otherwise fail at its turn and waste them. With
    `refresh_views`, stale or empty views are refreshed here instead.
    """
    from buildings.analysis import strategies
    from buildings.analysis.run import no_data_hint
    from buildings.bench.measure import is_custom
    from buildings.bench.reference import pandas_available
    from buildings.cluster import shards

    if shards.configured():  # a coordinator: only what reads the shards' aggregates
        for target in targets:
            if target not in strategies.MODES:
                raise ComparisonError(f"{target} reads the buildings, which are on the "
                                      "shards: on a cluster's coordinator compare sql,live")
            try:
                strategies.get(target)
            except strategies.NotOnACluster as exc:
                raise ComparisonError(str(exc)) from exc
    if not buildings_count():
        raise ComparisonError(no_data_hint())
    if "mview" in targets:
        _views_ready(refresh_views, say)
    if "pandas" in targets and not pandas_available():
        raise ComparisonError("the pandas reference point needs pandas: "
                              "pip install -e '.[bench]', or leave pandas out of --modes")
    for target in filter(is_custom, targets):
        _importable(target)


def buildings_count() -> int:
    """The buildings measured: this database's, or on a coordinator its shards' (the
    live summary's count, the aggregate the shards serve)."""
    from buildings.cluster import shards
    from buildings.core.models import Building

    if shards.configured():
        from buildings.analysis import run as analysis

        try:
            return analysis.run("live").state.buildings
        except analysis.NoData:
            return 0
    return Building.objects.count()


def _views_ready(refresh_views: bool, say) -> None:
    from buildings.core import hints
    from buildings.derived.report_view import populated, refresh
    from buildings.derived.staleness import staleness

    state = staleness()
    if state.refreshed and populated() and not state.stale:
        return
    why = ("are stale: the buildings changed after their last refresh" if state.refreshed
           and populated() else "have never been refreshed")
    if not refresh_views:
        raise ComparisonError(f"mode mview reads the materialized views, which {why}: run "
                              f"`{hints.command('refresh_views')}` first, or add --refresh")
    say(f"the materialized views {why}: refreshing them first (--refresh)")
    refresh()


def _importable(target: str) -> None:
    from importlib import import_module

    module, _, name = target.partition(":")
    try:
        found = getattr(import_module(module), name, None)
    except ImportError as exc:
        raise ComparisonError(f"{target}: cannot import {module} ({exc}); name a module "
                              "on the Python path, as package.module:function") from exc
    if not callable(found):
        raise ComparisonError(f"{target}: {module} has no function {name!r}")


STORED = "sql stored"  # the reference of a what-if comparison: its report differs


def compare(targets: list[str], repeat: int = 3, trace: bool = True, progress=None,
            criteria: str | None = None) -> Comparison:
    """Measure every target `repeat` times (plus one traced run); verify the reports agree.
    `progress(label)` is told of each run as it starts ("naive 2/3", "naive traced"),
    and of the end (None). `criteria`: every target counts this what-if, and the sql
    strategy with the stored criteria is measured first as the reference."""
    def starting(label: str | None) -> None:
        if progress:
            progress(label)

    comparison = Comparison(buildings=buildings_count())
    planned = [(target, None if criteria is None else criteria) for target in targets]
    if criteria is not None:
        planned.insert(0, ("sql", None))
    with tempfile.TemporaryDirectory() as tmp:
        report_dir = Path(tmp)
        for target, what in planned:
            label = (target if criteria is None else STORED if what is None
                     else f"{target} what-if")
            runs = []
            for i in range(repeat):
                starting(f"{label} {i + 1}/{repeat}")
                runs.append(run_child(target, report_dir=report_dir, criteria=what))
            traced = None
            if trace:
                starting(f"{label} traced")
                traced = run_child(target, trace=True, criteria=what)
            comparison.measured.append(Measured(label, runs, traced))
        starting(None)
        check_identical(comparison)
    return comparison


def check_identical(comparison: Comparison) -> None:
    with_reports = [m for m in comparison.measured if m.runs[0].get("report_sha256")
                    and m.target != STORED]
    if len(with_reports) < 2:
        return
    reference = with_reports[0]
    for other in with_reports[1:]:
        for run in other.runs:
            if run["report_sha256"] != reference.runs[0]["report_sha256"]:
                raise ComparisonError(
                    f"{other.target} does not produce the same report as {reference.target}:\n"
                    + first_differences(Path(reference.runs[0]["report"]), Path(run["report"]),
                                        reference.target, other.target))


def first_differences(a: Path, b: Path, name_a: str, name_b: str, most: int = 5) -> str:
    """The first differing rows of two reports, one line per differing value."""
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    lines = []
    for section, label in (("state", None), ("counties", "county"), ("towns", "town")):
        rows_a = [left[section]] if label is None else left[section]
        rows_b = [right[section]] if label is None else right[section]
        if len(rows_a) != len(rows_b):
            lines.append(f"  {section}: {len(rows_a)} rows in {name_a}, {len(rows_b)} in {name_b}")
        for row_a, row_b in zip(rows_a, rows_b, strict=False):
            where = section if label is None else f"{section} {row_a.get(label)}"
            for key in row_a:
                if row_a.get(key) != row_b.get(key):
                    lines.append(f"  {where}: {key} = {row_a.get(key)!r} in {name_a}, "
                                 f"{row_b.get(key)!r} in {name_b}")
            if len(lines) >= most:
                return "\n".join(lines)
    return "\n".join(lines) or "  (the JSON differs in layout only)"


def _mib(value) -> str:
    return "-" if value is None else f"{value / MIB:,.1f}"


def _heap(value) -> str:
    return "-" if value is None else f"{value / MIB:,.2f}"


def table(summaries: list[dict], baseline: str = "naive") -> str:
    """One line per target summary, with its ratio to the baseline (naive when measured)."""
    base = next((t for t in summaries if t["target"] == baseline), summaries[0])
    header = (f"{'target':<22} {'seconds':>9} {'speed-up':>9} {'peak RSS':>9} {'+RSS':>8} "
              f"{'+RSS ratio':>10} {'py heap':>8} {'backend':>8} {'queries':>8} {'rows':>10}")
    lines = [header, f"{'':<22} {'median':>9} {'vs ' + base['target']:>9} {'MiB':>9} {'MiB':>8} "
                     f"{'':>10} {'MiB':>8} {'MiB':>8}", "-" * len(header)]
    for s in summaries:
        speed = base["seconds"] / s["seconds"] if s["seconds"] else float("inf")
        added_ratio = s["rss_added"] / base["rss_added"] if base["rss_added"] else None
        lines.append(
            f"{s['target']:<22} {s['seconds']:>9.3f} {speed:>8.1f}x {_mib(s['rss_peak']):>9} "
            f"{_mib(s['rss_added']):>8} "
            f"{'-' if added_ratio is None else f'{added_ratio:.3f}':>10} "
            f"{_heap(s['heap_peak']):>8} {_mib(s['backend_peak']):>8} {s['queries']:>8,} "
            f"{s['rows']:>10,}")
    return "\n".join(lines)
