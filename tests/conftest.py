import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections
from psycopg import sql

from tests.browser import INSTALL, chromium

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """pytest-django's, but always for the default database: a test that writes through
    `manage` or `committed_db` carries no django_db mark, and run alone would otherwise
    get no test database at all (pytest-django sets up only what marked tests use)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture
def manage(django_db_setup):
    """Run `manage.py ARGS` in a fresh process against the test database.

    The process sees only committed data: the towns the migrations loaded, not
    what a test wrote inside its transaction.
    """
    from buildings.postgres.connection import connection_url

    test_url = connection_url()

    def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, "DATABASE_URL": test_url, **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                              capture_output=True, text=True, timeout=300, **kwargs)

    return run


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Writes that commit, so another connection sees them; the test database is put
    back as the migrations left it afterwards (no buildings, views never refreshed)."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            reset_test_database()


def reset_test_database() -> None:
    """Put the test database back as the migrations left it: no buildings, views never
    refreshed, no measured runs."""
    from buildings.derived.report_view import VIEWS

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE buildings_building")
        for view in VIEWS:
            cursor.execute(sql.SQL("REFRESH MATERIALIZED VIEW {} WITH NO DATA")
                           .format(sql.Identifier(view.table)))
        cursor.execute("UPDATE buildings_viewstate SET refreshed_version = 0, "
                       "refreshed_at = NULL")
        cursor.execute("DELETE FROM buildings_measuredrun")
    connections.close_all()


@pytest.fixture(scope="module")
def served_site(django_db_setup, django_db_blocker):
    """The dashboard served by a real server process (gunicorn) on the loopback, over
    20,000 generated buildings committed to the test database, and the benchmark run
    of docs/benchmark/round3-1m recorded for /compare/; yields its base URL."""
    import json

    from buildings.bench import stored_runs
    from buildings.dashboard.bench.server import served
    from buildings.ingest.generator import generate
    from buildings.postgres.connection import connection_url

    measured = json.loads((ROOT / "docs/benchmark/round3-1m/benchmark.json").read_text())
    with django_db_blocker.unblock():
        try:
            generate(20_000, seed=7)
            stored_runs.record("benchmark", measured["machine"], {
                int(n): size["targets"] for n, size in measured["sizes"].items()})
            with served(connection_url()) as base:
                yield base
        finally:
            reset_test_database()


@pytest.fixture(scope="module")
def browser(served_site):
    """Chromium, started after the site (Playwright runs an event loop in this thread,
    in which Django refuses database work) and closed before it."""
    executable = chromium()
    if executable is None:
        pytest.skip(INSTALL)
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()
