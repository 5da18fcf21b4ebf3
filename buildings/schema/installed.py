"""What the migrations must hold of the code's SQL: the materialized views, and the
files of functions and triggers they install, one entry a file.

Editing one of these files (or a view's statement, or the criteria they are built
from) is a schema change like editing a model: `makemigrations` writes a migration
that holds the new text (buildings/schema/autodetector.py), and `migrate` installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from buildings.cluster import report as cluster_report
from buildings.derived import live_summary, staleness
from buildings.derived.report_view import VIEWS, MaterializedView
from buildings.ingest import generator, importer


@dataclass(frozen=True)
class InstalledFile:
    name: str
    text: Callable[[], str]  # CREATE OR REPLACE statements, safe to run over an older version
    remove_text: Callable[[], str]  # what undoes the first installation
    recounts_summary: bool = False  # a change recounts the live summary in its migration
    source: str = ""  # where its text comes from, for the first line of a frozen copy
    remove_source: str = ""


SQL_FILES: tuple[InstalledFile, ...] = (
    InstalledFile("random", generator.random_sql, generator.random_remove_sql,
                  source="buildings/ingest/sql/generate/random.sql",
                  remove_source="buildings/ingest/sql/generate/random_remove.sql"),
    InstalledFile("staleness", staleness.trigger_sql, staleness.trigger_remove_sql,
                  source="buildings/derived/sql/staleness/trigger.sql",
                  remove_source="buildings/derived/sql/staleness/trigger_remove.sql"),
    InstalledFile("parsers", importer.parsers_sql, importer.parsers_remove_sql,
                  source="buildings/ingest/sql/import/parsers.sql",
                  remove_source="buildings/ingest/sql/import/parsers_remove.sql"),
    InstalledFile("summary", live_summary.triggers_sql, live_summary.triggers_remove_sql,
                  recounts_summary=True,
                  source="buildings/derived/sql/live/triggers.sql (composed by "
                         "buildings/derived/live_summary.py)",
                  remove_source="buildings/derived/sql/live/triggers_remove.sql"),
    InstalledFile("shard_report", cluster_report.shard_sql, cluster_report.shard_remove_sql,
                  source="buildings/cluster/sql/shard_report.sql (composed by "
                         "buildings/cluster/report.py)",
                  remove_source="buildings/cluster/sql/shard_report_remove.sql"),
)
MATERIALIZED_VIEWS: tuple[MaterializedView, ...] = VIEWS
