"""The live summary: after any write, through the ORM or raw SQL, the live report is the
sql report byte for byte, and the summary equals a recount."""

import io
import json
import random
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from buildings.analysis import strategies
from buildings.core.criteria import CRITERIA
from buildings.core.models import Building, Summary, SummaryTown, Town
from buildings.derived.live_summary import drift
from buildings.ingest.generator import generate


def report(mode: str) -> str:
    return strategies.get(mode)().to_json(with_meta=False)


def assert_live_is_sql(what: str) -> None:
    live, computed = report("live"), report("sql")
    if live != computed:
        a, b = json.loads(live), json.loads(computed)
        first = next((x, y) for x, y in zip(a["towns"], b["towns"], strict=True) if x != y) \
            if a["towns"] != b["towns"] else (a["state"], b["state"])
        raise AssertionError(f"after {what}: live {first[0]} != sql {first[1]}")


THRESHOLD = {c.name: c.value for c in CRITERIA}  # each criterion's, as criteria.py says
AREA, STORIES, YEAR, VALUE = (THRESHOLD[n] for n in ("large", "tall", "historic",
                                                      "landmark_value"))


def random_building(rng: random.Random, town_ids: list[int], n: int) -> Building:
    """Values on both sides of every threshold."""
    return Building(
        town_id=rng.choice(town_ids), prop_id=f"R-{n}",
        use_code=rng.choice(["101", "102", "903", "930", "340"]),
        year_built=rng.choice([None, YEAR - 50, YEAR - 1, YEAR, YEAR + 50, 2001]),
        stories=rng.choice([None, 1, STORIES - 1, STORIES, STORIES + 5]),
        bld_area=rng.choice([None, 900, AREA - 1, AREA, AREA + 30_000]),
        total_val=rng.choice([None, 200_000, VALUE - 1, VALUE, 3 * VALUE]),
        site_addr=f"{n} Test St")


@pytest.mark.django_db
def test_live_equals_sql_after_every_kind_of_write():
    rng = random.Random(20261125)
    generate(3_000, seed=5)  # a bulk load: the summary rebuilt in one pass
    assert_live_is_sql("the generator")
    town_ids = [1, 35, 49, 166, 281]
    counter = iter(range(1, 10**6))

    def some_ids(k):
        return list(Building.objects.order_by("?").values_list("id", flat=True)[:k])

    def orm_insert():
        Building.objects.bulk_create(random_building(rng, town_ids, next(counter))
                                     for _ in range(rng.randint(1, 20)))

    def orm_create_one():
        random_building(rng, town_ids, next(counter)).save()

    def orm_update_each_field():
        field, values = rng.choice([
            ("stories", [None, 2, STORIES - 0.01, STORIES, 15]),
            ("bld_area", [None, 100, AREA - 1, AREA]),
            ("year_built", [None, YEAR - 1, YEAR, 2020]), ("use_code", ["101", "903", "9"]),
            ("total_val", [None, VALUE - 1, VALUE]), ("town_id", town_ids)])
        extra = {}
        if field == "town_id":  # a PROP_ID of its own, unique in any town
            extra["prop_id"] = Concat(Value("M-"), Cast("id", CharField()))
        Building.objects.filter(id__in=some_ids(rng.randint(1, 30))).update(
            **{field: rng.choice(values)}, **extra)

    def orm_save_one():
        building = Building.objects.get(id=some_ids(1)[0])
        building.town_id = rng.choice(town_ids)  # moves it to another town
        building.prop_id = f"S-{building.id}"
        building.year_built = rng.choice([None, 1700, 1990])
        building.save()

    def orm_delete():
        Building.objects.filter(id__in=some_ids(rng.randint(1, 15))).delete()

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE buildings_building SET stories = stories + 1, "
                           "bld_area = bld_area * 2 WHERE town_id = %s",
                           [rng.choice(town_ids)])

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM buildings_building WHERE year_built < %s",
                           [rng.choice([1800, 1880, 1950])])

    def copy_in():
        rows = io.StringIO()
        for _ in range(rng.randint(1, 10)):
            n = next(counter)
            rows.write(f"C-{n},{rng.choice(town_ids)},{rng.choice(['101', '903'])},"
                       f"{rng.choice(['', '1850', '1990'])},{rng.choice(['', '60000'])}\n")
        with connection.cursor() as cursor, cursor.copy(
                "COPY buildings_building (prop_id, town_id, use_code, year_built, bld_area) "
                "FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(rows.getvalue())

    def rolled_back():
        before = list(SummaryTown.objects.order_by("town_id").values_list())
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            orm_insert()
            raw_update()
            1 / 0  # noqa: B018
        assert list(SummaryTown.objects.order_by("town_id").values_list()) == before

    def multi_statement():
        with transaction.atomic():
            orm_insert()
            orm_update_each_field()
            orm_delete()
            copy_in()

    def truncate():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE buildings_building")
        assert not Summary.objects.exists() and not SummaryTown.objects.exists()
        orm_insert()

    writes = [orm_insert, orm_create_one, orm_update_each_field, orm_save_one, orm_delete,
              raw_update, raw_delete, copy_in, rolled_back, multi_statement]
    for step in range(80):
        write = truncate if step == 60 else rng.choice(writes)
        write()
        assert_live_is_sql(f"step {step}, {write.__name__}")
    assert drift() == []


@pytest.mark.django_db
def test_the_drift_check_finds_a_tampered_summary_and_rebuild_repairs_it():
    from buildings.derived.live_summary import rebuild

    generate(2_000, seed=3)
    assert drift() == []
    SummaryTown.objects.filter(town_id=35).update(buildings=1)
    Summary.objects.filter(town_id=49).delete()
    assert {d.table for d in drift()} == {"buildings_summary", "buildings_summary_town"}
    rebuild()
    assert drift() == []
    assert_live_is_sql("a rebuild")


@pytest.mark.django_db
def test_the_summary_over_another_relation_counts_what_the_queryset_counts():
    """The one place compiled ORM SQL is patched (the transition tables' summary,
    summary_of): over a copy of the buildings it gives exactly the queryset's rows. A
    Django whose compiler writes the FROM another way fails here, and summary_of says
    so in one line."""
    from buildings.derived.live_summary import summary_of, summary_queryset

    generate(1_500, seed=6)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE other_buildings AS SELECT * FROM buildings_building")
        statement = summary_of("other_buildings")
        assert 'FROM other_buildings AS "buildings_building"' in statement.as_string(cursor)
        cursor.execute(statement)
        patched = sorted(cursor.fetchall(), key=repr)
    from_orm = sorted((tuple(row.values()) for row in summary_queryset()), key=repr)
    assert patched == from_orm and len(patched) > 351


@pytest.mark.slow
def test_two_sessions_writing_the_same_towns_at_once(committed_db):
    generate(6_000, seed=2)
    towns = [35, 49, 281]
    errors = []

    def writer(seed: int):
        rng = random.Random(seed)
        try:
            for _ in range(40):
                with transaction.atomic():
                    for town in sorted(rng.sample(towns, 2)):  # the same towns, one order
                        Building.objects.filter(town_id=town, id__in=list(
                            Building.objects.filter(town_id=town)
                            .values_list("id", flat=True)[:rng.randint(1, 50)])).update(
                            year_built=rng.choice([None, 1890, 1960, 2010]),
                            stories=rng.choice([1, 8]))
                    Building.objects.create(town_id=rng.choice(towns), prop_id=f"S{seed}-"
                                            f"{rng.random()}", use_code="903")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    assert drift() == []
    assert_live_is_sql("two concurrent writers")
    assert Town.objects.count() == 351


@pytest.mark.django_db
def test_an_import_keeps_the_live_summary_right(tmp_path):
    from buildings.ingest.importer import import_files
    from tests.assessor_files import row, write_csv

    generate(2_000, seed=4)
    rows = [row(f"I{i}", town_id=str([35, 49, 400][i % 3]), year_built=str(1850 + i),
                stories=str(i % 9), bld_area=str(40_000 + 1000 * i)) for i in range(30)]
    summary = import_files([write_csv(tmp_path / "a.csv", rows)], replace=True)
    assert summary.rejected == 10  # TOWN_ID 400
    assert_live_is_sql("an import with --replace")
    assert drift() == []


def test_the_live_summary_command_checks_and_rebuilds(manage, committed_db):
    generate(1_500, seed=6)
    ok = manage("live_summary", "check")
    assert ok.returncode == 0 and "matches a recount" in ok.stdout
    with connection.cursor() as cursor:  # written behind the triggers' back
        cursor.execute("UPDATE buildings_summary_town SET important = important + 1 "
                       "WHERE town_id = 35")
    drifted = manage("live_summary", "check")
    assert drifted.returncode == 1
    assert "buildings_summary_town: 1 rows missing or different, 1 rows extra" in drifted.stdout
    assert "live_summary rebuild" in drifted.stderr
    assert manage("live_summary", "rebuild").returncode == 0
    assert manage("live_summary", "check").returncode == 0
