"""The largest important building of each town read from its index alone: the partial
index the report probes once a town holds the address and PROP_ID it shows, so each of
the 351 probes is an index-only scan instead of a visit to the table's page."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('buildings', '0015_medians_kept'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='building',
            name='building_important_area_idx',
        ),
        migrations.AddIndex(
            model_name='building',
            index=models.Index(condition=models.Q(('bld_area__isnull', False), ('is_important', True)), fields=['town', '-bld_area', 'id'], include=('prop_id', 'site_addr'), name='building_important_area_idx'),
        ),
    ]
