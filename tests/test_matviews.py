"""Materialized views: refresh, staleness, concurrency, and the system check."""

import threading

import pytest
from django.core import checks
from django.db import connection, connections, transaction

from buildings.analysis import strategies
from buildings.core.models import Building, Town
from buildings.derived.report_view import VIEWS, NotRefreshed, refresh, with_dependents
from buildings.derived.staleness import staleness
from buildings.ingest.generator import generate


@pytest.mark.django_db
def test_never_refreshed_views_give_a_clear_message():
    generate(1_000, seed=1)
    with pytest.raises(NotRefreshed, match="refresh_views"):
        strategies.get("mview")()


@pytest.mark.django_db
def test_staleness_flips_on_every_kind_of_write_and_clears_on_refresh():
    generate(2_000, seed=1)
    assert staleness().stale
    refresh()
    assert not staleness().stale
    writes = [
        lambda: Building.objects.filter(pk=1).update(stories=4),
        lambda: Building.objects.create(town=Town.objects.get(pk=1), prop_id="X", use_code="101"),
        lambda: Building.objects.filter(prop_id="X").delete(),
        lambda: connection.cursor().execute(
            "SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE buildings_building"),
    ]
    for write in writes:
        refresh(concurrently=True)
        assert not staleness().stale
        write()
        assert staleness().stale


@pytest.mark.django_db
def test_the_trigger_is_per_statement_not_per_row():
    generate(2_000, seed=1)
    before = staleness().data_version
    Building.objects.update(stories=2)  # 2,000 rows, one statement
    assert staleness().data_version == before + 1


@pytest.mark.django_db
def test_refresh_reports_each_view_in_dependency_order():
    generate(2_000, seed=1)
    results = refresh()
    assert [r.view for r in results] == [v.table for v in VIEWS] == ["buildings_report_mv"]
    assert results[0].rows == 351 + 14 + 1


def test_dependents_follow_their_dependencies():
    assert [v.name for v in with_dependents(["report"])] == [v.name for v in VIEWS]
    assert with_dependents(["a_view_since_removed"]) == []


@pytest.mark.django_db
def test_the_report_view_stores_the_sql_strategy_statement():
    from buildings.core.sqlfiles import text
    from buildings.core.statement import computed, report_statement

    report_view = VIEWS[0]
    assert report_view.query() == text(report_statement(computed()))


def _stored_towns() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT buildings FROM buildings_report_mv WHERE level = 0")
        return [row[0] for row in cursor.fetchall()]


def test_refresh_concurrently_while_another_connection_reads(committed_db):
    generate(5_000, seed=1)
    refresh()
    reading, done = threading.Event(), threading.Event()
    seen = []

    def reader():
        try:
            with transaction.atomic():
                seen.append(len(_stored_towns()))  # holds its lock on the view
                reading.set()
                done.wait(30)
                seen.append(len(_stored_towns()))
        finally:
            connections.close_all()

    thread = threading.Thread(target=reader)
    thread.start()
    assert reading.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a plain refresh would time out here
        generate(6_000, seed=2)
        refresh(concurrently=True)
    finally:
        done.set()
        thread.join(30)
    assert seen == [351, 351]
    assert sum(_stored_towns()) == 6_000


@pytest.mark.django_db
def test_check_reports_an_outdated_or_missing_view_as_an_error():
    from buildings.schema.checks import sql_matches_the_code

    assert sql_matches_the_code(databases=["default"]) == []
    assert sql_matches_the_code() == []  # a database check: nothing without databases
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON MATERIALIZED VIEW buildings_report_mv IS 'old sql'")
    problems = sql_matches_the_code(databases=["default"])
    assert [p.id for p in problems] == ["buildings.E004"]
    assert "buildings_report_mv" in problems[0].msg and "makemigrations" in problems[0].hint
    assert isinstance(problems[0], checks.Error)
    with connection.cursor() as cursor:
        cursor.execute("DROP MATERIALIZED VIEW buildings_report_mv")
    assert [p.id for p in sql_matches_the_code(databases=["default"])] == ["buildings.E003"]


def test_the_check_refuses_postgresql_older_than_15():
    from buildings.schema.checks import version_problem

    assert version_problem(150000) is None and version_problem(180001) is None
    assert "PostgreSQL 14 is not supported" in version_problem(140012)
