import sys

from django.core.management.base import BaseCommand, CommandError

from buildings.analysis.important import write_csv
from buildings.core.selection import Selection, UnknownName
from buildings.core.whatif import BadCriteria
from buildings.core.whatif import parse as parse_criteria
from buildings.management.helpers import check_writable


class Command(BaseCommand):
    help = "Write the important buildings as CSV, each with the criteria it matches."

    def add_arguments(self, parser):
        parser.add_argument("--town", action="append", metavar="NAME")
        parser.add_argument("--county", metavar="NAME")
        parser.add_argument("--criteria", default="stored", metavar="EXPR",
                            help="which criteria: some stored ones (large,tall) or what-if "
                                 "criteria as analyze takes them, e.g. \"large:40000, "
                                 "civic and tall\" (default: stored)")
        parser.add_argument("--output", metavar="FILE", help="default: stdout")

    def handle(self, *args, town, county, criteria, output, **options):
        if output:
            check_writable(output, "--output")
        try:
            chosen = parse_criteria(criteria).criteria
        except BadCriteria as exc:
            raise CommandError(f"--criteria: {exc}", returncode=2) from exc
        try:
            selection = Selection.resolve(town, county)
        except UnknownName as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if output:
            with open(output, "wb") as out:
                size = write_csv(out, chosen, selection)
            self.stderr.write(f"wrote {size:,} bytes to {output}")
        else:
            write_csv(sys.stdout.buffer, chosen, selection)
            sys.stdout.flush()
