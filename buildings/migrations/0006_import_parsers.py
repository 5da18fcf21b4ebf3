"""The lenient parsers the assessor import normalises with (buildings/ingest/sql/import/parsers.sql)."""

from django.db import migrations

import buildings.schema.operations


class Migration(migrations.Migration):
    dependencies = [("buildings", "0005_analysis_indexes")]
    operations = [
        buildings.schema.operations.InstallSQL(
            name='parsers',
            sql=buildings.schema.operations.MigrationSQL('0006_parsers.sql', 'c905574fd075fa17cfee6b9d2d3444e740faf49df2c5ef566a841062bb237da3'),
            remove=buildings.schema.operations.MigrationSQL('0006_parsers_remove.sql', '2ea1c1f7ba8626fd8750928523a401e6e52391b41de6b4edc54e43c028dfdb9c'),
        ),
    ]
