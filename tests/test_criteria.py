"""The criteria registry: the ORM filter, the Python predicate and the pandas mask agree
row by row, on every criterion, including at each threshold."""

import pandas as pd
import pytest

from buildings.core.criteria import CRITERIA, FIELDS, LOOKUPS, Criterion
from buildings.core.models import Building
from buildings.ingest.generator import generate


@pytest.mark.django_db
def test_filter_predicate_and_mask_agree_on_every_building():
    generate(5_000, seed=4)
    rows = list(Building.objects.values("id", *FIELDS))
    frame = pd.DataFrame(rows)
    for criterion in CRITERIA:
        by_orm = set(Building.objects.filter(criterion.q()).values_list("id", flat=True))
        by_python = {r["id"] for r in rows if criterion.matches(r[criterion.field])}
        by_pandas = set(frame.loc[criterion.mask(frame), "id"])
        assert by_orm == by_python == by_pandas, criterion.name
        assert by_orm, f"{criterion.name} matches nothing in the generated data"


@pytest.mark.parametrize(("lookup", "value", "expected"), [
    ("gte", 10, [False, True, True, False]),
    ("gt", 10, [False, False, True, False]),
    ("lte", 10, [True, True, False, False]),
    ("lt", 10, [True, False, False, False]),
])
def test_every_numeric_lookup_at_its_threshold(lookup, value, expected):
    criterion = Criterion("c", "test", "stories", lookup, value)
    values = [9, 10, 11, None]
    assert [criterion.matches(v) for v in values] == expected
    frame = pd.DataFrame({"stories": values})
    assert list(criterion.mask(frame)) == expected


def test_startswith_never_matches_null():
    criterion = Criterion("c", "test", "use_code", "startswith", "9")
    values = ["901", "190", None]
    assert list(criterion.mask(pd.DataFrame({"use_code": values}))) == [True, False, False]
    assert [criterion.matches(v) for v in values] == [True, False, False]


def test_an_unknown_lookup_is_refused_where_it_is_declared():
    with pytest.raises(ValueError, match="lookup 'contains' is not one of"):
        Criterion("c", "test", "use_code", "contains", "9")
    assert set(LOOKUPS) == {"gte", "gt", "lte", "lt", "startswith"}
