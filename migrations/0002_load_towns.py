"""Load the 14 counties and 351 towns from buildings/data/towns.csv."""

from django.db import migrations

from buildings.towns import read_towns


def load_towns(apps, schema_editor):
    County = apps.get_model("buildings", "County")
    Town = apps.get_model("buildings", "Town")
    records = read_towns()
    counties = {
        name: County.objects.create(name=name) for name in sorted({r.county for r in records})
    }
    Town.objects.bulk_create(
        Town(town_id=r.town_id, name=r.name, county=counties[r.county], population=r.population,
             land_sq_mi=r.land_sq_mi)
        for r in records
    )


def unload_towns(apps, schema_editor):
    apps.get_model("buildings", "Town").objects.all().delete()
    apps.get_model("buildings", "County").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("buildings", "0001_initial")]
    operations = [migrations.RunPython(load_towns, unload_towns)]
