"""The live summary keeps its medians instead of recomputing them: each town's two middle
positions in its row, moved by a walk at each settle; each county's and the state's
anchor, and its counts of known years per writer slot, walked from at each read."""

import buildings.schema.operations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('buildings', '0014_town_median_by_index'),
    ]

    operations = [
        migrations.RunSQL(
            sql='',
            reverse_sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
        ),
        migrations.AddField(
            model_name='summarytown',
            name='high_below',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='summarytown',
            name='high_year',
            field=models.SmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='summarytown',
            name='known',
            field=models.BigIntegerField(db_default=0),
        ),
        migrations.AddField(
            model_name='summarytown',
            name='low_below',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='summarytown',
            name='low_year',
            field=models.SmallIntegerField(null=True),
        ),
        migrations.CreateModel(
            name='SummaryArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.SmallIntegerField()),
                ('county', models.CharField(max_length=20, null=True)),
                ('anchor_year', models.SmallIntegerField()),
            ],
            options={
                'db_table': 'buildings_summary_area',
                'constraints': [models.UniqueConstraint(fields=('level', 'county'), name='summary_area_key', nulls_distinct=False)],
            },
        ),
        migrations.CreateModel(
            name='SummaryAreaSlot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slot', models.SmallIntegerField()),
                ('level', models.SmallIntegerField()),
                ('county', models.CharField(max_length=20, null=True)),
                ('known', models.BigIntegerField(default=0)),
                ('below_anchor', models.BigIntegerField(default=0)),
            ],
            options={
                'db_table': 'buildings_summary_area_slot',
                'constraints': [models.UniqueConstraint(fields=('slot', 'level', 'county'), name='summary_area_slot_key', nulls_distinct=False)],
            },
        ),
        buildings.schema.operations.InstallSQL(
            name='summary',
            sql=buildings.schema.operations.MigrationSQL('0015_medians_kept_summary.sql', '612ad961fd9e9a0273d62aec96431d04a469c68252baef85781e65eeec44c020'),
            remove=buildings.schema.operations.MigrationSQL('0015_medians_kept_summary_remove.sql', 'e2769530d51b68f28795fe1f655e2e638b92b9181571aec44dbeacb81f8e9aba'),
        ),
        migrations.RunSQL(
            sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
            reverse_sql='',
        ),
    ]
