"""Where a migration's SQL files go: named after the migration, in the sql/ folder of
its app's migrations, written once by makemigrations, each the whole text it installs."""

from __future__ import annotations

from pathlib import Path

from django.db.migrations.writer import MigrationWriter

from buildings.schema.operations import CreateMaterializedView, InstallSQL, MigrationSQL


def pending_sql(migration) -> list[tuple[str, MigrationSQL]]:
    """(file name, SQL) for each SQL the migration's operations hold and nobody wrote."""
    found = []
    for operation in migration.operations:
        if isinstance(operation, CreateMaterializedView):
            held = [(f"{operation.name}_view", operation.query)]
        elif isinstance(operation, InstallSQL):
            held = [(operation.name, operation.sql), (f"{operation.name}_remove",
                                                       operation.remove)]
        else:
            continue
        found += [(f"{migration.name}_{what}.sql", value)
                  for what, value in held
                  if isinstance(value, MigrationSQL) and value.name is None]
    return found


def write_pending_sql(migration, dry_run: bool = False) -> list[Path]:
    """Name each pending SQL of the migration after it and, unless a dry run, write it."""
    folder = Path(MigrationWriter(migration).basedir) / "sql"
    written = []
    for name, value in pending_sql(migration):
        value.name = name
        if not dry_run:
            folder.mkdir(exist_ok=True)
            (folder / name).write_text(value.text(migration.app_label))
            written.append(folder / name)
    return written
