import json

from django.core.management.base import BaseCommand, CommandError

from buildings.analysis import strategies
from buildings.bench import stored_runs
from buildings.bench.benchmark import machine
from buildings.bench.compare import STORED, ComparisonError, compare, preflight, table
from buildings.cluster import shards
from buildings.management.helpers import (
    check_writable,
    positive_int,
    progress_bar,
    whatif_for,
)


def _targets(text: str) -> list[str]:
    from buildings.bench.measure import is_custom

    targets = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in targets if t not in strategies.MODES and not is_custom(t)]
    if unknown or not targets:
        raise CommandError(f"unknown modes {', '.join(unknown) or repr(text)}; choose from "
                           f"{', '.join(strategies.MODES)} (or package.module:function)",
                           returncode=2)
    return targets


RUN_BAR = "{desc} · {n}/{total} runs done · {elapsed} elapsed"


class Command(BaseCommand):
    help = ("Run the strategies side by side, each in fresh processes: time, memory, queries, "
            "rows; fail if their reports differ.")

    def add_arguments(self, parser):
        parser.add_argument("--modes",
                            help="comma-separated (default: all five; on a cluster's "
                                 "coordinator, sql,live)")
        parser.add_argument("--repeat", type=positive_int, default=3,
                            help="runs per strategy; medians are reported (default 3)")
        parser.add_argument("--no-trace", action="store_true",
                            help="skip the extra tracemalloc run per strategy")
        parser.add_argument("--refresh", action="store_true",
                            help="refresh the materialized views first if mview needs it")
        parser.add_argument("--criteria", metavar="EXPR",
                            help="every mode counts these what-if criteria (naive, chunked, "
                                 "sql), beside the sql strategy with the stored ones")
        parser.add_argument("--json", dest="json_path", metavar="FILE",
                            help="write every measurement there")

    def handle(self, *args, modes, repeat, no_trace, refresh, criteria, json_path, **options):
        if json_path:
            check_writable(json_path, "--json")
        default = (strategies.CLUSTER_MODES if shards.configured() else
                   strategies.MODES if criteria is None else ("sql",))
        targets = _targets(modes or ",".join(default))
        what = None if criteria is None else whatif_for(criteria, targets)
        try:
            preflight(targets, refresh, say=self.stderr.write)
        except ComparisonError as exc:
            raise CommandError(str(exc)) from exc
        total = (len(targets) + (criteria is not None)) * (repeat + (0 if no_trace else 1))
        try:
            # no estimate of the time left: runs differ by 1,000× (a naive run against
            # an mview read), so a rate would mislead; the run going on is named instead
            with progress_bar(total, "compare", "runs", bar_format=RUN_BAR) as bar:
                begun = []

                def starting(label):  # a run begins (or, None, all have ended)
                    if begun:
                        bar.update()  # the one before it is done
                    begun.append(label)
                    if label:
                        bar.set_description_str(f"compare: {label}")

                comparison = compare(targets, repeat, trace=not no_trace, progress=starting,
                                     criteria=criteria)
        except ComparisonError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(table(comparison.summaries,
                                baseline="naive" if criteria is None else STORED))
        if criteria is None:  # /compare/ shows the stored criteria's comparison
            stored_runs.record("compare", machine(), {comparison.buildings: {
                s["target"]: s for s in comparison.summaries}})
        if criteria is not None:
            self.stdout.write(f"\nwhat-if criteria: {what.text}; {STORED}: the stored ones")
        self.stdout.write(f"\nall {len(targets)} reports identical" if len(targets) > 1 else "")
        if json_path:
            _write_json(json_path, comparison.as_dict())
            self.stderr.write(f"wrote {json_path}")


def _write_json(path: str, data: dict) -> None:
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
