"""The lenient parsers the assessor import normalises with (sql/import/parse.sql)."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("buildings", "0005_analysis_indexes")]
    operations = [
        migrations.RunSQL(
            (settings.SQL_DIR / "import" / "parse.sql").read_text(),
            "DROP FUNCTION IF EXISTS mab_parse_date(text);"
            "DROP FUNCTION IF EXISTS mab_parse_stories(text);"
            "DROP FUNCTION IF EXISTS mab_parse_numeric(text);"
            "DROP FUNCTION IF EXISTS mab_parse_money(text);"
            "DROP FUNCTION IF EXISTS mab_parse_int(text);",
        ),
    ]
