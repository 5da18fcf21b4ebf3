"""The measuring harness, on small data: child runs, compare, the trace, the benchmark."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buildings.analysis import strategies
from buildings.bench.benchmark import run as run_benchmark
from buildings.bench.compare import ComparisonError, compare, run_child, table
from buildings.bench.measure import SETUP, status_kib
from buildings.core.models import MeasuredRun
from buildings.derived.report_view import refresh
from buildings.ingest.generator import generate

FIELDS = {"target", "traced", "seconds", "rss_baseline", "rss_peak", "rss_curve", "heap_peak",
          "backend_peak", "queries", "rows"}


def test_status_reads_this_process_peak():
    assert status_kib("self", "VmHWM") >= status_kib("self", "VmRSS") > 0
    assert status_kib(999_999_999, "VmHWM") is None


def test_a_child_run_returns_every_field(committed_db, tmp_path):
    generate(2_000, seed=1)
    result = run_child("sql", trace=True, report_dir=tmp_path)
    assert set(result) >= FIELDS
    assert result["target"] == "sql" and result["traced"]
    assert result["seconds"] > 0 and result["rss_peak"] >= result["rss_baseline"] > 0
    assert 0 < result["heap_peak"] < 5 * 2**20
    assert result["backend_peak"] > 0  # the embedded server runs on this machine
    assert (result["queries"], result["rows"]) == (1, 366)
    report = json.loads((tmp_path / "sql.json").read_text())
    assert set(report) == {"state", "counties", "towns"}
    naive = run_child("naive")
    assert naive["report_sha256"] == result["report_sha256"]
    assert naive["rows"] == 2_000 + 351 and naive["queries"] == 352


@pytest.mark.slow
def test_compare_measures_every_strategy_and_they_agree(committed_db):
    generate(3_000, seed=2)
    refresh()
    comparison = compare(list(strategies.MODES), repeat=2)
    assert [m.target for m in comparison.measured] == list(strategies.MODES)
    assert all(len(m.runs) == 2 and m.traced["traced"] for m in comparison.measured)
    text = table(comparison.summaries)
    assert "naive" in text and "1.0x" in text and "sql" in text


def test_a_broken_strategy_makes_compare_fail_with_the_diff(committed_db):
    generate(3_000, seed=3)
    with pytest.raises(ComparisonError) as failure:
        compare(["sql", "tests.broken_strategy:analyze"], repeat=1, trace=False)
    message = str(failure.value)
    assert "tests.broken_strategy:analyze does not produce the same report as sql" in message
    assert "towns Boston: important" in message


def test_the_compare_command_fails_loudly(committed_db):
    generate(2_000, seed=3)
    with pytest.raises(CommandError, match="does not produce the same report"):
        call_command("compare", "--modes", "sql,tests.broken_strategy:analyze", "--repeat", "1",
                     "--no-trace", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="unknown modes sqll"):
        call_command("compare", "--modes", "sqll")


@pytest.mark.django_db
@pytest.mark.parametrize(("mode", "lines"), [("naive", 351), ("chunked", 351), ("sql", 1)])
def test_the_memory_trace_has_a_line_per_town(mode, lines, tmp_path):
    generate(2_000, seed=4)
    err = io.StringIO()
    call_command("analyze", "--mode", mode, "--trace-memory", "--format", "json",
                 "--output", str(tmp_path / "r.json"), stderr=err)
    trace = [line for line in err.getvalue().splitlines() if line[:3].strip().isdigit()
             or line.startswith("(all towns")]
    assert len(trace) == lines
    if mode != "sql":
        assert trace[0].split()[1] == "Abington" and trace[-1].split()[1] == "Yarmouth"


@pytest.mark.slow
def test_the_benchmark_writes_its_json_and_chart(committed_db, tmp_path):
    results = run_benchmark([1_000, 2_000], seed=1, repeat=1, out=tmp_path)
    data = json.loads((tmp_path / "benchmark.json").read_text())
    assert set(data["sizes"]) == {"1000", "2000"}
    for size in data["sizes"].values():
        assert {"naive", "chunked", "sql", "mview", SETUP, "floor", "raw-sql",
                "orm-straightforward"} <= set(size["targets"])
        assert size["refresh_concurrently_seconds"] > 0
    png = tmp_path / "benchmark.png"
    assert results["chart"] == str(png) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run = MeasuredRun.objects.get(kind="benchmark")
    assert set(run.sizes) == {"1000", "2000"}
    assert run.sizes["2000"]["sql"] == data["sizes"]["2000"]["targets"]["sql"]
    assert run.machine == data["machine"]


def test_the_compare_command_records_its_run_for_the_page(committed_db):
    generate(1_500, seed=5)
    out = io.StringIO()
    call_command("compare", "--modes", "sql,live", "--repeat", "1", "--no-trace", stdout=out)
    run = MeasuredRun.objects.get(kind="compare")
    (buildings,) = run.sizes
    assert buildings == "1500"
    assert set(run.sizes["1500"]) == {"sql", "live"}
    assert run.sizes["1500"]["sql"]["rows"] == 366
    assert f"{run.sizes['1500']['sql']['seconds']:.3f}" in out.getvalue()
    call_command("compare", "--modes", "live", "--repeat", "1", "--no-trace", stdout=out)
    assert MeasuredRun.objects.count() == 1  # the latest of a kind replaces the last
    assert set(MeasuredRun.objects.get().sizes["1500"]) == {"live"}
