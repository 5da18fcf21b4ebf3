"""Django's makemigrations, which also writes the SQL of changed views and functions:
each migration's new SQL goes to a .sql file beside it (the migrations' sql/ folder),
which the migration pins by its sha256."""

from django.core.management.commands import makemigrations

from buildings.schema.autodetector import Autodetector
from buildings.schema.migration_files import write_pending_sql


class Command(makemigrations.Command):
    autodetector = Autodetector

    def write_migration_files(self, changes, update_previous_migration_paths=None):
        for migrations in changes.values():
            for migration in migrations:
                write_pending_sql(migration, dry_run=self.dry_run)
        super().write_migration_files(changes, update_previous_migration_paths)
