"""The deterministic random functions the generator's SQL uses (sql/random.sql)."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("buildings", "0002_load_towns")]
    operations = [
        migrations.RunSQL(
            (settings.SQL_DIR / "random.sql").read_text(),
            "DROP FUNCTION IF EXISTS mab_normal(bigint, integer, bigint);"
            "DROP FUNCTION IF EXISTS mab_uniform(bigint, integer, bigint);",
        ),
    ]
