"""The live summary's settle recomputes a moved town's median by reading its year rows
in order up to the middle (buildings_town_median), not by a window over all of them."""
import buildings.schema.operations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('buildings', '0013_cluster'),
    ]

    operations = [
        migrations.RunSQL(
            sql='',
            reverse_sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
        ),
        buildings.schema.operations.InstallSQL(
            name='summary',
            sql=buildings.schema.operations.MigrationSQL('0014_town_median_by_index_summary.sql', 'd6564d29854f09854d3dd0561ed67ca082d2afe66dcf4953d61720b81944cde6'),
            remove=buildings.schema.operations.MigrationSQL('0014_town_median_by_index_summary_remove.sql', '175c28721bf7c26528063446b0fb2f943bc10785bad17b16c6c467198aa89580'),
        ),
        migrations.RunSQL(
            sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
            reverse_sql='',
        ),
    ]
