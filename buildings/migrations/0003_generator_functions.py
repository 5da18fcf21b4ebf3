"""The deterministic random functions the generator's SQL uses (buildings/ingest/sql/generate/random.sql)."""

from django.db import migrations

import buildings.schema.operations


class Migration(migrations.Migration):
    dependencies = [("buildings", "0002_load_towns")]
    operations = [
        buildings.schema.operations.InstallSQL(
            name='random',
            sql=buildings.schema.operations.MigrationSQL('0003_random.sql', '3205e4217ab8644b8b7d9532fd9a31fc0c76dc647dc9ad5a00a8bfdde317e226'),
            remove=buildings.schema.operations.MigrationSQL('0003_random_remove.sql', '569a877d85953090c996e46d7ed68b924fa12bc0bf63e797e146a26245eff490'),
        ),
    ]
