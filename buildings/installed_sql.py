"""The functions and triggers the migrations install from sql/, one entry a file.

Editing one of these files is a schema change like editing a model:
`makemigrations` writes a migration that holds the file's new text
(buildings/autodetector.py), and `migrate` installs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildings import sqlfiles


@dataclass(frozen=True)
class SQLFile:
    name: str
    file: str  # under sql/: CREATE OR REPLACE statements, safe to run over an older version
    remove: str  # under sql/remove/: what undoes the first installation

    def text(self) -> str:
        return sqlfiles.load(self.file)

    def remove_text(self) -> str:
        return sqlfiles.load(f"remove/{self.remove}")


SQL_FILES: tuple[SQLFile, ...] = (
    SQLFile("random", "random.sql", "random.sql"),
    SQLFile("staleness", "views/staleness.sql", "staleness.sql"),
    SQLFile("parsers", "import/parse.sql", "parsers.sql"),
)
