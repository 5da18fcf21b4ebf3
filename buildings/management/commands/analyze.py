import difflib
import sys

from django.core.management.base import BaseCommand, CommandError

from buildings.analysis import run as analysis
from buildings.analysis import strategies
from buildings.analysis.formatters import FORMATTERS, as_wide_table
from buildings.analysis.memory_trace import MemoryTrace
from buildings.core import hints
from buildings.core.selection import Selection, UnknownName
from buildings.derived.report_view import NotRefreshed
from buildings.derived.staleness import staleness
from buildings.management.helpers import check_writable, progress_bar, whatif_for

LOOPS = ("naive", "chunked")  # the strategies that visit the towns one by one


def _choice(value: str, choices, what: str) -> str:
    if value in choices:
        return value
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise CommandError(f"unknown {what} {value!r} (choose from {', '.join(choices)}){hint}",
                       returncode=2)


class Command(BaseCommand):
    help = "Analyse the important buildings of every town, county and the state."

    def add_arguments(self, parser):
        parser.add_argument("--mode", default="sql",
                            help=f"strategy: {', '.join(strategies.MODES)} (default sql)")
        parser.add_argument("--format", default="table",
                            help="table (default: every town), summary (the state, the "
                                 "counties, the top towns), json or csv")
        parser.add_argument("--wide", action="store_true",
                            help="the table with every column (default: fits 120 columns)")
        parser.add_argument("--output", metavar="FILE", help="write there instead of stdout")
        parser.add_argument("--town", action="append", metavar="NAME",
                            help="show only this town (repeatable, any case)")
        parser.add_argument("--county", metavar="NAME", help="show only this county")
        parser.add_argument("--criteria", metavar="EXPR",
                            help="what-if criteria for this report instead of the stored "
                                 "ones, e.g. \"large:40000, tall\" or \"stored, "
                                 "historic:1850\" (modes naive, chunked, sql; docs/report.md)")
        parser.add_argument("--fail-if-stale", action="store_true",
                            help="with --mode mview: exit 1 when the views are stale")
        parser.add_argument("--trace-memory", action="store_true",
                            help="print RSS and the traced Python heap after each town (stderr)")

    def handle(self, *args, mode, format, wide, output, town, county, criteria,
               fail_if_stale, trace_memory, **options):
        if output:
            check_writable(output, "--output")
        mode = _choice(mode, strategies.MODES, "mode")
        formatter = FORMATTERS[_choice(format, list(FORMATTERS), "format")]
        if wide and format != "table":
            raise CommandError(f"--wide widens the table; --format {format} already holds "
                               "every column: leave out --wide", returncode=2)
        if wide:
            formatter = as_wide_table
        try:
            selection = Selection.resolve(town, county)
        except UnknownName as exc:
            raise CommandError(str(exc), returncode=2) from exc
        whatif = whatif_for(criteria, [mode])
        if mode == "mview":
            self._check_staleness(fail_if_stale)
        try:
            if trace_memory:
                trace = MemoryTrace(self.stderr.write)
                report = analysis.run(mode, selection, trace.town, whatif)
                trace.finish(mode)
            else:
                report = self._run(mode, selection, whatif)
        except (analysis.NoData, NotRefreshed) as exc:
            raise CommandError(str(exc)) from exc
        text = formatter(report)
        if output:
            with open(output, "w", newline="") as f:
                f.write(text)
            self.stderr.write(f"wrote {output}")
        else:
            sys.stdout.write(text)

    def _run(self, mode: str, selection, whatif):
        """A progress bar for the modes that visit the towns one by one; the others
        answer in one statement, with nothing to count."""
        if mode not in LOOPS:
            return analysis.run(mode, selection, whatif=whatif)
        with progress_bar(351, f"analyze --mode {mode}", "towns") as bar:
            return analysis.run(mode, selection, lambda _town: bar.update(), whatif)

    def _check_staleness(self, fail_if_stale: bool) -> None:
        state = staleness()
        if not state.refreshed or not state.stale:
            return
        message = ("the materialized views are stale: the buildings changed after the last "
                   f"refresh; run `{hints.command('refresh_views --concurrently')}`")
        if fail_if_stale:
            raise CommandError(message)
        self.stderr.write(f"warning: {message}")
