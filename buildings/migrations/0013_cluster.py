"""A cluster's coordinator and shards: the placement of the towns and the decisions
of two-phase commits (used on a coordinator only), and on every database the
aggregates a coordinator reads from its shards (buildings/cluster/sql/shard_report.sql)."""
import buildings.schema.operations
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('buildings', '0012_writers_side_by_side'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClusterDecision',
            fields=[
                ('gid', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('what', models.TextField()),
                ('decided_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'buildings_cluster_decision',
            },
        ),
        migrations.CreateModel(
            name='Placement',
            fields=[
                ('town', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='placement', serialize=False, to='buildings.town')),
                ('shard', models.CharField(max_length=31)),
            ],
            options={
                'db_table': 'buildings_placement',
            },
        ),
        buildings.schema.operations.InstallSQL(
            name='shard_report',
            sql=buildings.schema.operations.MigrationSQL('0013_cluster_shard_report.sql', '2f8f93596275cf8f708c5b38d2e5e88a27bd8750d71c1b85ad77c68437bac04f'),
            remove=buildings.schema.operations.MigrationSQL('0013_cluster_shard_report_remove.sql', '8d6fda2e002fc3504c25a6e38cf9fb48012efaeffb82caa71943a2ee7a5a838b'),
        ),
    ]
