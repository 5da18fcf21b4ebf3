"""Writers side by side: the data version becomes the sum of 64 slots (one per
backend, modulo 64) instead of one row every writer locked; the live summary's
statement triggers append each statement's net change to an unlogged pending table,
and one deferred trigger adds a transaction's changes to the summary at commit, in
one lock order (sql/live/triggers.sql)."""

import buildings.schema.operations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('buildings', '0011_provenance'),
    ]

    operations = [
        migrations.RunSQL(
            sql='',
            reverse_sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
        ),
        migrations.CreateModel(
            name='WriteSlot',
            fields=[
                ('slot', models.SmallIntegerField(primary_key=True, serialize=False)),
                ('data_version', models.BigIntegerField(default=0)),
                ('changed_at', models.DateTimeField(null=True)),
            ],
        ),
        buildings.schema.operations.InstallSQL(
            name='staleness',
            sql=buildings.schema.operations.MigrationSQL('0012_writers_side_by_side_staleness.sql', 'd0d807d81c3aed1fedce792d1d32e2a390b1edc39dcf757e50d7f3e26739c130'),
            remove=buildings.schema.operations.MigrationSQL('0012_writers_side_by_side_staleness_remove.sql', 'ceaa55028577cfa0756cd935c76bebbee1d6aee52feb4ab31205d02bb780be50'),
        ),
        # the data version carries on from the one row to slot 0 (views refreshed at it
        # stay fresh), and back
        migrations.RunSQL(
            sql='UPDATE buildings_writeslot SET data_version = '
                '(SELECT data_version FROM buildings_viewstate WHERE id = 1) WHERE slot = 0;',
            reverse_sql='UPDATE buildings_viewstate SET data_version = '
                        '(SELECT sum(data_version) FROM buildings_writeslot), changed_at = '
                        '(SELECT max(changed_at) FROM buildings_writeslot) WHERE id = 1;',
        ),
        migrations.RemoveField(
            model_name='viewstate',
            name='changed_at',
        ),
        migrations.RemoveField(
            model_name='viewstate',
            name='data_version',
        ),
        migrations.CreateModel(
            name='SummaryDue',
            fields=[
                ('xact', models.BigIntegerField(primary_key=True, serialize=False)),
            ],
            options={
                'db_table': 'buildings_summary_due',
            },
        ),
        migrations.CreateModel(
            name='SummaryPending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('buildings', models.BigIntegerField(default=0)),
                ('important', models.BigIntegerField(default=0)),
                ('important_floor_area', models.BigIntegerField(default=0)),
                ('important_value_sum', models.DecimalField(decimal_places=0, default=0, max_digits=30)),
                ('important_value_n', models.BigIntegerField(default=0)),
                ('xact', models.BigIntegerField(help_text='pg_current_xact_id() of the writer')),
                ('town_id', models.SmallIntegerField()),
                ('year_built', models.SmallIntegerField(null=True)),
                ('large', models.BigIntegerField(default=0)),
                ('tall', models.BigIntegerField(default=0)),
                ('historic', models.BigIntegerField(default=0)),
                ('civic', models.BigIntegerField(default=0)),
                ('landmark_value', models.BigIntegerField(default=0)),
            ],
            options={
                'db_table': 'buildings_summary_pending',
                'indexes': [models.Index(fields=['xact'], name='summary_pending_xact')],
            },
        ),
        # rows that live from a write to its commit: no WAL, and vacuumed often
        migrations.RunSQL(
            sql='ALTER TABLE buildings_summary_pending SET UNLOGGED;\n'
                'ALTER TABLE buildings_summary_due SET UNLOGGED;\n'
                'ALTER TABLE buildings_summary_pending SET (autovacuum_vacuum_scale_factor = 0, '
                'autovacuum_vacuum_threshold = 10000);\n'
                'ALTER TABLE buildings_summary_due SET (autovacuum_vacuum_scale_factor = 0, '
                'autovacuum_vacuum_threshold = 10000);',
            reverse_sql='',
        ),
        # the buildings vacuumed after 0.2% of them changed (PostgreSQL's default: 20%),
        # so the visibility map stays current under the writes the live mode invites
        # and the sql strategy's index-only scans stay index-only
        migrations.RunSQL(
            sql='ALTER TABLE buildings_building SET (autovacuum_vacuum_scale_factor = 0.002, '
                'autovacuum_vacuum_insert_scale_factor = 0.002);',
            reverse_sql='ALTER TABLE buildings_building RESET (autovacuum_vacuum_scale_factor, '
                        'autovacuum_vacuum_insert_scale_factor);',
        ),
        # half of each page free: a summary row's new versions stay on its page (HOT),
        # beside the rest of its town's years
        migrations.RunSQL(
            sql='ALTER TABLE buildings_summary SET (fillfactor = 50);',
            reverse_sql='ALTER TABLE buildings_summary RESET (fillfactor);',
        ),
        buildings.schema.operations.InstallSQL(
            name='summary',
            sql=buildings.schema.operations.MigrationSQL('0012_writers_side_by_side_summary.sql', '65939cc4e1b4d9133af8dae4fd43d6370b4b94d68d0620c44bed28d6bf226933'),
            remove=buildings.schema.operations.MigrationSQL('0012_writers_side_by_side_summary_remove.sql', '9e669bce7e689dcf68bf04f4f7b42668e0279ab45fb3e6da3a55cd8426d211c6'),
        ),
        migrations.RunSQL(
            sql='-- Recount the live summary (the function sql/live/triggers.sql installs).\nSELECT buildings_summary_rebuild();\n',
            reverse_sql='',
        ),
    ]
