import tracemalloc

import pytest
from django.db import connection
from django.db.models import Count

from buildings.core.models import Building, Town
from buildings.ingest import generator

pytestmark = pytest.mark.django_db

NULLABLE = ["loc_id", "year_built", "stories", "bld_area", "res_area", "units", "bldg_val",
            "land_val", "other_val", "total_val", "lot_size", "ls_date", "ls_price",
            "site_addr", "city", "zip", "owner1", "zoning", "style", "fy"]


def checksum() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(b::text, '|' ORDER BY id)) FROM buildings_building b")
        return cursor.fetchone()[0]


def test_generates_exactly_n_buildings_across_the_towns():
    generator.generate(20_000, seed=7)
    assert Building.objects.count() == 20_000
    per_town = dict(Town.objects.annotate(n=Count("buildings")).values_list("name", "n"))
    assert sum(per_town.values()) == 20_000
    assert max(per_town, key=per_town.get) == "Boston"
    assert per_town["Worcester"] > per_town["Amherst"] > per_town["Gosnold"]


def test_same_n_and_seed_give_identical_data():
    generator.generate(5_000, seed=3)
    first = checksum()
    generator.generate(5_000, seed=3)
    assert checksum() == first
    generator.generate(5_000, seed=4)
    assert checksum() != first


def test_realistic_shape():
    generator.generate(40_000, seed=1)
    n = Building.objects.count()
    for field in NULLABLE:
        share = Building.objects.filter(**{f"{field}__isnull": True}).count() / n
        if field in ("res_area", "num_rooms"):
            continue  # also zero or null by use, checked below
        assert 0.03 < share < 0.08, (field, share)
    known = Building.objects.exclude(year_built__isnull=True)
    pre_1900 = known.filter(year_built__lt=1900).count() / known.count()
    pre_1940 = known.filter(year_built__lt=1940).count() / known.count()
    assert 0.07 < pre_1900 < 0.25 and pre_1940 > 0.25
    single_family = Building.objects.filter(use_code="101").count() / n
    assert 0.4 < single_family < 0.7
    assert Building.objects.filter(use_code__startswith="9").count() / n > 0.02
    low_rise = Building.objects.filter(stories__lte=3).count()
    assert low_rise / Building.objects.exclude(stories__isnull=True).count() > 0.9
    assert Building.objects.filter(stories__gte=7, town__name="Boston").exists()
    # values correlate with area: the big buildings are worth more
    big = Building.objects.filter(bld_area__gte=20_000, total_val__isnull=False)
    small = Building.objects.filter(bld_area__lt=2_000, total_val__isnull=False)
    assert _mean(big, "total_val") > 5 * _mean(small, "total_val")


def _mean(qs, field):
    values = list(qs.values_list(field, flat=True))
    return sum(values) / len(values)


def test_prop_id_is_unique_within_each_town():
    generator.generate(30_000, seed=2)
    dupes = Building.objects.values("town", "prop_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not dupes.exists()


def test_indexes_and_constraints_survive_a_generation():
    def definitions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'buildings_building'"
                           " ORDER BY 1")
            indexes = cursor.fetchall()
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = 'buildings_building'::regclass ORDER BY 1")
            return indexes, cursor.fetchall()

    before = definitions()
    generator.generate(1_000, seed=1)
    assert definitions() == before


@pytest.mark.parametrize("bad", [0, -5, 2.5, "100", True])
def test_bad_n_is_refused_and_data_untouched(bad):
    generator.generate(1_000, seed=1)
    before = checksum()
    with pytest.raises(ValueError, match="positive integer"):
        generator.generate(bad, seed=1)
    assert checksum() == before


def test_a_failure_midway_leaves_the_old_data(monkeypatch):
    generator.generate(3_000, seed=5)
    before = checksum()
    monkeypatch.setattr(generator, "BATCH", 1_000)
    made = []

    def progress(k):
        made.append(k)
        if len(made) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generator.generate(10_000, seed=6, progress=progress)
    assert checksum() == before
    assert Building.objects.count() == 3_000


def test_python_memory_does_not_grow_with_n():
    peaks = []
    for n in (1_000, 100_000):
        tracemalloc.start()
        generator.generate(n, seed=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] + 64 * 1024, peaks


def test_every_criterion_occurs():
    generator.generate(50_000, seed=1)
    from buildings.core.criteria import CRITERIA

    for criterion in CRITERIA:  # the thresholds as criteria.py declares them
        assert Building.objects.filter(criterion.q()).exists(), criterion.name
