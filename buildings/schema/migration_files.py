"""Where a migration's SQL files go: named after the migration, in the sql/ folder of
its app's migrations, written once by makemigrations, each the whole text it installs
after a first line that says what it is a frozen copy of."""

from __future__ import annotations

from pathlib import Path

from django.db.migrations.writer import MigrationWriter

from buildings.schema.installed import MATERIALIZED_VIEWS, SQL_FILES
from buildings.schema.operations import (
    CreateMaterializedView,
    InstallSQL,
    MigrationSQL,
    frozen_file,
)


def source_of(operation, remove: bool = False) -> str:
    """What the code holds that an operation's SQL is a copy of."""
    if isinstance(operation, CreateMaterializedView):
        view = next((v for v in MATERIALIZED_VIEWS if v.name == operation.name), None)
        return f"the view {operation.name}" + (f" ({view.made_from})" if view else "")
    found = next((f for f in SQL_FILES if f.name == operation.name), None)
    if found is None:
        return f"the SQL {operation.name}"
    return found.remove_source if remove else found.source


def header(migration, source: str) -> str:
    number = migration.name.split("_")[0]
    return (f"{source}, as migration {migration.name} installs it (this line is not part "
            f"of it); the whole migration: manage.py sqlmigrate {migration.app_label} {number}")


def pending_sql(migration) -> list[tuple[str, MigrationSQL, str]]:
    """(file name, SQL, source) for each SQL the migration's operations hold and nobody
    wrote."""
    found = []
    for operation in migration.operations:
        if isinstance(operation, CreateMaterializedView):
            held = [(f"{operation.name}_view", operation.query, source_of(operation))]
        elif isinstance(operation, InstallSQL):
            held = [(operation.name, operation.sql, source_of(operation)),
                    (f"{operation.name}_remove", operation.remove,
                     source_of(operation, remove=True))]
        else:
            continue
        found += [(f"{migration.name}_{what}.sql", value, source)
                  for what, value, source in held
                  if isinstance(value, MigrationSQL) and value.name is None]
    return found


def write_pending_sql(migration, dry_run: bool = False) -> list[Path]:
    """Name each pending SQL of the migration after it and, unless a dry run, write it."""
    folder = Path(MigrationWriter(migration).basedir) / "sql"
    written = []
    for name, value, source in pending_sql(migration):
        value.name = name
        if not dry_run:
            folder.mkdir(exist_ok=True)
            (folder / name).write_text(frozen_file(header(migration, source),
                                                   value.text(migration.app_label)))
            written.append(folder / name)
    return written
