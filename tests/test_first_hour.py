"""A newcomer's first hour: commands check before they work, hints paste back as run.

`compare` right after the quick start used to measure for minutes and then fail on
the never-refreshed view with an internal exception name; these tests hold it to
one line before the first measurement, and to hints naming the command as typed.
"""

import shlex
import sys

import pytest

from buildings.bench.compare import ComparisonError, run_child
from buildings.core.models import Building, MeasuredRun
from buildings.derived.report_view import refresh
from buildings.ingest.generator import generate
from tests.test_bad_input import one_line

AS_RUN = shlex.join([sys.executable, "manage.py"])  # how the `manage` fixture runs commands


def test_compare_with_no_buildings_refuses_naming_the_command_as_run(manage, committed_db):
    result = manage("compare", "--repeat", "1")
    assert result.returncode == 1
    line = one_line(result)
    assert f"`{AS_RUN} generate_buildings --buildings 2000000`" in line, line
    assert "python manage.py" not in line.replace(AS_RUN, "")


def test_compare_refuses_a_never_refreshed_view_before_measuring(manage, committed_db):
    generate(1_000, seed=5)
    result = manage("compare", "--repeat", "1", "--no-trace")
    assert result.returncode == 1
    line = one_line(result)
    assert "mode mview reads the materialized views, which have never been refreshed" in line
    assert f"`{AS_RUN} refresh_views`" in line and "--refresh" in line
    assert "NotRefreshed" not in line and "buildings." not in line
    assert not MeasuredRun.objects.exists()  # nothing was measured, nothing recorded


def test_compare_refuses_stale_views_and_refresh_makes_every_mode_run(manage, committed_db):
    generate(1_000, seed=6)
    refresh()
    Building.objects.filter(pk=Building.objects.order_by("pk").first().pk).update(units=99)
    stale = manage("compare", "--modes", "sql,mview", "--repeat", "1", "--no-trace")
    assert stale.returncode == 1
    assert "are stale: the buildings changed after their last refresh" in one_line(stale)
    done = manage("compare", "--modes", "sql,mview", "--repeat", "1", "--no-trace", "--refresh")
    assert done.returncode == 0, done.stderr
    assert "refreshing them first (--refresh)" in done.stderr
    assert "all 2 reports identical" in done.stdout


def test_compare_refuses_a_custom_target_that_does_not_import(manage, committed_db):
    generate(500, seed=7)
    result = manage("compare", "--modes", "sql,tests.no_such_module:analyze", "--repeat", "1")
    assert result.returncode == 1
    assert "tests.no_such_module:analyze: cannot import tests.no_such_module" in one_line(result)


def test_a_failed_child_run_says_what_to_do_without_a_class_name(committed_db):
    generate(500, seed=8)
    with pytest.raises(ComparisonError) as failure:
        run_child("mview")
    message = str(failure.value)
    assert message.startswith("measuring mview failed: the materialized views have never")
    assert "NotRefreshed" not in message and "refresh_views" in message


@pytest.mark.parametrize(("orig_argv", "argv", "expected"), [
    ([".venv/bin/python", "manage.py", "compare", "--repeat", "1"],
     ["manage.py", "compare", "--repeat", "1"], ".venv/bin/python manage.py"),
    (["/usr/bin/python3", "-m", "buildings", "analyze"], ["/x/buildings/__main__.py", "analyze"],
     "/usr/bin/python3 -m buildings"),
    (["python", "/home/me/my project/manage.py", "migrate"],
     ["/home/me/my project/manage.py", "migrate"], "python '/home/me/my project/manage.py'"),
    (["/v/bin/python", "/v/bin/ma-buildings", "analyze"], ["/v/bin/ma-buildings", "analyze"],
     "/v/bin/ma-buildings"),
    (["/v/bin/python", "-m", "pytest"], ["/v/lib/pytest/__main__.py"], "python manage.py"),
], ids=["venv", "python -m", "spaces", "console script", "other program"])
def test_the_hint_prefix_is_the_command_line_as_typed(monkeypatch, orig_argv, argv, expected):
    from buildings.core import hints

    monkeypatch.setattr(sys, "orig_argv", orig_argv)
    monkeypatch.setattr(sys, "argv", argv)
    assert hints.prefix() == expected


def test_compare_names_each_run_as_it_begins(committed_db):
    """No estimate of the time left (runs differ a thousandfold): the run going on is
    named, each in turn, the traced one apart, then the end."""
    from buildings.bench.compare import compare
    from buildings.ingest.generator import generate

    generate(2_000, seed=3)
    labels = []
    compare(["sql", "live"], repeat=2, trace=True, progress=labels.append)
    assert labels == ["sql 1/2", "sql 2/2", "sql traced", "live 1/2", "live 2/2",
                      "live traced", None]


@pytest.mark.slow
def test_make_run_is_quiet_and_ends_with_the_summary_and_next_steps(committed_db):
    """`make run` as the quick start has it (its venv step aside: this interpreter's
    folder stands for .venv/bin), on the test database: no warning, and its last
    screen is the summary, then where the rest is and what to do next."""
    import os
    import subprocess
    from pathlib import Path

    from buildings.postgres.connection import connection_url
    from tests.conftest import ROOT

    bin_folder = Path(sys.executable).parent
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed-stamp", "run", f"BIN={bin_folder}",
         "BUILDINGS=3000", "SEED=2"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": connection_url()},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "generated 3,000 buildings (seed 2) in " + lines[0].split(" in ")[1]
    assert "Important buildings in Massachusetts" in lines
    assert "The 5 towns with the most important buildings (of 351)" in lines
    assert len(lines) < 50  # one screen, not 351 towns
    assert lines[-3].startswith("every town: `") and "make serve" in lines[-3]
    assert lines[-2].startswith("next: `") and "compare --refresh" in lines[-2]
    assert "import_assessor FILE --replace" in lines[-1]
