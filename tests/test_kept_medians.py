"""The live summary's medians are kept, not recomputed: a town's two middle positions
move by a walk at each settle, a county's and the state's are walked from an anchor
at each read. Whatever sequence of changes arrives, every median equals one computed
from scratch in Python, from the buildings themselves."""

import random
import statistics
from collections import Counter

import pytest
from django.db import connection, transaction

from buildings.core.models import Building, SummaryArea, SummaryAreaSlot, SummaryTown, Town
from buildings.derived import live_summary
from buildings.derived.live_summary import drift

YEARS = [1700, 1701, 1702, 1710, 1711, 1750, 1800, 1801, 1900, 2020]


def scratch_medians() -> dict[tuple, float | None]:
    """Every area's median year built, from the buildings, by Python's statistics."""
    county_of = dict(Town.objects.values_list("town_id", "county__name"))
    years: dict[tuple, list[int]] = {}
    for town_id, year in Building.objects.values_list("town_id", "year_built"):
        years.setdefault((0, town_id, None), [])
        if year is not None:
            for area in ((0, town_id, None), (1, None, county_of[town_id]), (2, None, None)):
                years.setdefault(area, []).append(year)
    return {area: statistics.median(ys) if ys else None for area, ys in years.items()}


def live_medians() -> dict[tuple, float | None]:
    with connection.cursor() as cursor:
        live_summary.settle(cursor)  # this test's transaction's own writes
        cursor.execute(live_summary.medians_statement())
        return {(level, town, county): median for level, town, county, median in cursor}


def assert_positions_are_exact() -> None:
    """Each town's kept positions: the year holding the ((k - 1) / 2)-th and the
    (k / 2)-th known year, and how many known years lie below each."""
    live_medians()
    for town in SummaryTown.objects.all():
        ys = sorted(Building.objects.filter(town_id=town.town_id, year_built__isnull=False)
                    .values_list("year_built", flat=True))
        assert town.known == len(ys)
        if not ys:
            assert (town.low_year, town.high_year, town.median_year_built) == (None,) * 3
            continue
        low, high = ys[(len(ys) - 1) // 2], ys[len(ys) // 2]
        assert (town.low_year, town.low_below) == (low, sum(y < low for y in ys))
        assert (town.high_year, town.high_below) == (high, sum(y < high for y in ys))


@pytest.mark.django_db
def test_a_random_sequence_of_deltas_keeps_every_median_equal_to_a_recount():
    rng = random.Random(20261207)
    by_county: dict[str, list[int]] = {}
    for town_id, county in Town.objects.order_by("town_id").values_list("town_id",
                                                                         "county__name"):
        by_county.setdefault(county, []).append(town_id)
    a, b = sorted(by_county)[:2]
    towns = by_county[a][:3] + by_county[b][:1]  # two counties, one with three towns
    counter = iter(range(10**6))

    def insert(town, year, k):
        Building.objects.bulk_create(Building(town_id=town, prop_id=f"K-{next(counter)}",
                                              use_code="101", year_built=year)
                                     for _ in range(k))

    def of(town, year, k):
        found = Building.objects.filter(town_id=town, year_built=year)
        return list(found.values_list("id", flat=True)[:k])

    def plus_k():
        insert(rng.choice(towns), rng.choice(YEARS + [None]), rng.randint(1, 4))

    def minus_k():
        town = rng.choice(towns)
        Building.objects.filter(id__in=of(town, rng.choice(YEARS), rng.randint(1, 5))).delete()

    def move_k():  # -k at one year, +k at another, in one statement
        town = rng.choice(towns)
        Building.objects.filter(id__in=of(town, rng.choice(YEARS + [None]),
                                          rng.randint(1, 5))).update(
            year_built=rng.choice(YEARS + [None]))

    def a_year_emptied():  # the median's own year row goes: the walk crosses to another
        town = rng.choice(towns)
        held = SummaryTown.objects.filter(town_id=town).values_list("low_year", flat=True)
        if held and held[0] is not None:
            Building.objects.filter(town_id=town, year_built=held[0]).delete()

    def many_in_one_transaction():
        with transaction.atomic():
            for _ in range(rng.randint(2, 5)):
                rng.choice([plus_k, minus_k, move_k])()

    def rolled_back():
        before = live_medians()
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            plus_k()
            move_k()
            1 / 0  # noqa: B018
        assert live_medians() == before

    for town in towns:
        insert(town, 1750, 3)
    steps = [plus_k, plus_k, minus_k, move_k, a_year_emptied, many_in_one_transaction,
             rolled_back]
    for step in range(120):
        write = rng.choice(steps)
        write()
        expected = scratch_medians()
        got = {area: m for area, m in live_medians().items() if area in expected}
        assert got == expected, f"step {step}, {write.__name__}"
    assert_positions_are_exact()
    assert drift() == []


@pytest.mark.django_db
def test_a_town_whose_known_years_all_go_and_come_back():
    town = Town.objects.order_by("town_id").first().town_id
    Building.objects.bulk_create(Building(town_id=town, prop_id=f"E-{i}", use_code="101",
                                          year_built=1900 + i) for i in range(4))
    assert live_medians()[(0, town, None)] == 1901.5
    Building.objects.filter(town_id=town).update(year_built=None)  # all unknown: no median
    assert live_medians()[(0, town, None)] is None
    kept = SummaryTown.objects.get(town_id=town)
    assert (kept.known, kept.low_year, kept.buildings) == (0, None, 4)
    Building.objects.filter(prop_id="E-3").update(year_built=1650)
    assert live_medians()[(0, town, None)] == 1650.0
    assert live_medians()[(2, None, None)] == 1650.0
    Building.objects.filter(town_id=town).delete()  # the town's row goes
    assert (0, town, None) not in live_medians()
    assert not SummaryTown.objects.filter(town_id=town).exists()
    assert drift() == []


@pytest.mark.django_db
def test_counts_of_the_counties_and_state_are_kept_per_writer_slot_around_an_anchor():
    """A recount anchors each county and the state at its median of then; later writes
    add to their own slot's counts, and the read walks from the anchor."""
    from buildings.ingest.generator import generate

    generate(2_000, seed=7)
    state = SummaryArea.objects.get(level=2)
    years = Counter(Building.objects.exclude(year_built=None)
                    .values_list("year_built", flat=True))
    ordered = sorted(years.elements())
    assert state.anchor_year == ordered[(len(ordered) - 1) // 2]
    assert list(SummaryAreaSlot.objects.filter(level=2).values_list(
        "slot", "known", "below_anchor")) == [
        (0, len(ordered), sum(n for y, n in years.items() if y < state.anchor_year))]
    town = Town.objects.order_by("town_id").first().town_id
    Building.objects.bulk_create(Building(town_id=town, prop_id=f"A-{i}", use_code="101",
                                          year_built=1650) for i in range(3_000))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() % 64")
        (slot,) = cursor.fetchone()
    recounted = (len(ordered), sum(n for y, n in years.items() if y < state.anchor_year))
    mine = SummaryAreaSlot.objects.get(level=2, slot=slot)
    assert (mine.known, mine.below_anchor) == ((3_000, 3_000) if slot else
                                               (recounted[0] + 3_000, recounted[1] + 3_000))
    assert SummaryArea.objects.get(level=2).anchor_year == state.anchor_year  # unmoved
    assert live_medians()[(2, None, None)] == statistics.median(ordered + [1650] * 3_000)
    assert drift() == []


@pytest.mark.django_db
def test_a_summary_written_behind_its_back_refuses_no_write():
    """A town's count of known years written behind the triggers' back, so that its
    median's walk runs past its last year: the next write to the town still commits
    (a warning, the median unknown rather than a wrong year), the check names the
    drift and a rebuild repairs it."""
    from django.db.models import F

    from buildings.derived.live_summary import rebuild
    from buildings.ingest.generator import generate

    generate(1_000, seed=8)
    town = (Building.objects.exclude(year_built=None).values_list("town_id", flat=True)
            .order_by("town_id").first())
    SummaryTown.objects.filter(town_id=town).update(known=F("known") + 10**6)
    Building.objects.create(town_id=town, prop_id="D-1", use_code="101", year_built=1990)
    assert live_medians()[(0, town, None)] is None
    assert {"buildings_summary_town", "medians"} <= {d.table for d in drift()}
    rebuild()
    assert drift() == []
    assert live_medians()[(0, town, None)] == scratch_medians()[(0, town, None)]
