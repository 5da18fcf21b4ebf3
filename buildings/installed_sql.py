"""The functions and triggers the migrations install from sql/, one entry a file.

Editing one of these files is a schema change like editing a model:
`makemigrations` writes a migration that holds the file's new text
(buildings/autodetector.py), and `migrate` installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psycopg import sql

from buildings import sqlfiles


@dataclass(frozen=True)
class SQLFile:
    name: str
    file: str  # under sql/: CREATE OR REPLACE statements, safe to run over an older version
    remove: str  # under sql/remove/: what undoes the first installation
    statement: Callable[[], sql.Composable] | None = None  # when the file takes fragments

    def text(self) -> str:
        if self.statement is None:
            return sqlfiles.load(self.file)
        return sqlfiles.text(self.statement())

    def remove_text(self) -> str:
        return sqlfiles.load(f"remove/{self.remove}")


def _summary_triggers() -> sql.Composable:
    from buildings.summary import triggers_statement

    return triggers_statement()


SQL_FILES: tuple[SQLFile, ...] = (
    SQLFile("random", "random.sql", "random.sql"),
    SQLFile("staleness", "views/staleness.sql", "staleness.sql"),
    SQLFile("parsers", "import/parse.sql", "parsers.sql"),
    SQLFile("summary", "summary/triggers.sql", "summary.sql", _summary_triggers),
)
# A change to these files (or to the criteria they are built from) recounts the live
# summary in the migration that installs it.
REBUILDS_SUMMARY = {"summary"}
