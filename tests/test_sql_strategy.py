"""The pushed-down strategy: a fixed number of queries, and only aggregate rows reach Python."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buildings.analysis.strategies import sql
from buildings.core.aggregates import PercentileCont
from buildings.core.models import Building
from buildings.ingest.generator import generate

pytestmark = pytest.mark.django_db


class RowCounter:
    """Counts the rows every query returns to Python."""

    def __init__(self):
        self.rows = 0

    def __call__(self, execute, sql_text, params, many, context):
        result = execute(sql_text, params, many, context)
        cursor = context["cursor"]
        if cursor.description is not None:
            self.rows += max(cursor.rowcount, 0)
        return result


def measured(n: int) -> tuple[int, int]:
    generate(n, seed=1)
    counter = RowCounter()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(counter):
        sql.analyze()
    return len(queries), counter.rows


def test_same_queries_whatever_the_size_and_only_aggregate_rows():
    small_queries, small_rows = measured(1_000)
    large_queries, large_rows = measured(100_000)
    assert small_queries == large_queries <= 3
    assert small_rows == large_rows == 351 + 15


def test_percentile_cont_is_postgres_continuous_percentile():
    generate(2_000, seed=4)
    years = sorted(Building.objects.exclude(year_built=None).values_list("year_built", flat=True))
    n = len(years)
    position = 0.25 * (n - 1)
    low = years[int(position)]
    high = years[min(int(position) + 1, n - 1)]
    expected = low + (high - low) * (position - int(position))
    got = Building.objects.aggregate(q=PercentileCont("year_built", 0.25))["q"]
    assert got == pytest.approx(expected)


def test_percentile_fraction_is_validated():
    with pytest.raises(ValueError):
        PercentileCont("year_built", 1.5)
