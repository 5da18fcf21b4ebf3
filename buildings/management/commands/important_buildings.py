import sys

from django.core.management.base import BaseCommand, CommandError

from buildings.analysis.important import write_csv
from buildings.core import criteria
from buildings.core.selection import Selection, UnknownName
from buildings.management.helpers import check_writable


def _criteria(text: str):
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in criteria.CRITERION_NAMES]
    if unknown or not names:
        raise CommandError(f"unknown criteria {', '.join(unknown) or repr(text)}; choose from "
                           f"{', '.join(criteria.CRITERION_NAMES)}", returncode=2)
    return tuple(criteria.get(n) for n in names)


class Command(BaseCommand):
    help = "Write the important buildings as CSV, each with the criteria it matches."

    def add_arguments(self, parser):
        parser.add_argument("--town", action="append", metavar="NAME")
        parser.add_argument("--county", metavar="NAME")
        parser.add_argument("--criteria", default=",".join(criteria.CRITERION_NAMES),
                            help="comma-separated subset (default: all)")
        parser.add_argument("--output", metavar="FILE", help="default: stdout")

    def handle(self, *args, town, county, criteria, output, **options):
        if output:
            check_writable(output, "--output")
        chosen = _criteria(criteria)
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
