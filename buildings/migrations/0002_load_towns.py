"""Load the 14 counties and 351 towns from migrations/data/0002_towns.csv.

The file belongs to this migration and is never edited: later corrections are
migrations of their own (0007 sets the 2020 census figures).
"""

import csv
from pathlib import Path

from django.db import migrations

TOWNS_CSV = Path(__file__).parent / "data" / "0002_towns.csv"


def load_towns(apps, schema_editor):
    County = apps.get_model("buildings", "County")
    Town = apps.get_model("buildings", "Town")
    with TOWNS_CSV.open(newline="") as f:
        records = list(csv.DictReader(f))
    counties = {
        name: County.objects.create(name=name) for name in sorted({r["county"] for r in records})
    }
    Town.objects.bulk_create(
        Town(town_id=int(r["town_id"]), name=r["name"], county=counties[r["county"]],
             population=int(r["population_2020"]), land_sq_mi=r["land_sq_mi"])
        for r in records
    )


def unload_towns(apps, schema_editor):
    apps.get_model("buildings", "Town").objects.all().delete()
    apps.get_model("buildings", "County").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("buildings", "0001_initial")]
    operations = [migrations.RunPython(load_towns, unload_towns)]
