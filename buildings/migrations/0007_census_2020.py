"""Every town's population and land area from MassGIS's 2020 census table.

Population is POP2020 exactly; land area is ALAND20 in square miles
(÷ 2,589,988.11 m², 2 decimals, halves up). The towns keep their display names
(MassGIS writes MANCHESTER for Manchester-by-the-Sea). Reversing restores the
figures of 0002.
"""

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / "data"
SQUARE_METRES_PER_SQUARE_MILE = Decimal("2589988.11")


def census_figures() -> dict[int, tuple[int, Decimal]]:
    with (DATA / "0007_massgis_census2020_towns.csv").open(newline="") as f:
        return {
            int(r["TOWN_ID"]): (
                int(r["POP2020"]),
                (Decimal(r["ALAND20"]) / SQUARE_METRES_PER_SQUARE_MILE).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP),
            )
            for r in csv.DictReader(f)
        }


def first_figures() -> dict[int, tuple[int, Decimal]]:
    with (DATA / "0002_towns.csv").open(newline="") as f:
        return {int(r["town_id"]): (int(r["population_2020"]), Decimal(r["land_sq_mi"]))
                for r in csv.DictReader(f)}


def set_figures(apps, figures) -> None:
    Town = apps.get_model("buildings", "Town")
    towns = list(Town.objects.all())
    if {t.town_id for t in towns} != set(figures):
        raise ValueError("the towns table does not hold the 351 MassGIS TOWN_IDs")
    for town in towns:
        town.population, town.land_sq_mi = figures[town.town_id]
    Town.objects.bulk_update(towns, ["population", "land_sq_mi"])


def to_census(apps, schema_editor):
    set_figures(apps, census_figures())


def to_first(apps, schema_editor):
    set_figures(apps, first_figures())


class Migration(migrations.Migration):
    dependencies = [("buildings", "0006_import_parsers")]
    operations = [migrations.RunPython(to_census, to_first)]
