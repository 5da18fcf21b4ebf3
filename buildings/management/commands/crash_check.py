import argparse

from django.core.management.base import BaseCommand, CommandError

from buildings.bench import faults
from buildings.management.helpers import positive_int


def kinds(text: str) -> list[str]:
    chosen = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in chosen if k not in faults.KINDS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(unknown) or text!r}: choose from {', '.join(faults.KINDS)}")
    return chosen


class Command(BaseCommand):
    help = ("The fault campaign: each round starts a write (an import of a CSV or a "
            "geodatabase, a generation, a concurrent refresh, a burst of one-row writes), "
            "kills the server with SIGKILL at a random moment in it (or the command, for "
            "client-kill), starts it again and checks that the report is the one before or "
            "after the write, the live summary matches a recount and nothing is left "
            "half-done. Runs in a database of its own on the same server; kills that "
            "server. Exit 1 when any round found a problem.")

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=positive_int, default=20)
        parser.add_argument("--rows", type=positive_int, default=100_000,
                            help="buildings in each data set (default 100,000)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--kinds", type=kinds, default=list(faults.KINDS),
                            help=f"comma-separated, in turn (default {','.join(faults.KINDS)})")
        parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, rounds, rows, seed, kinds, inside, **options):
        try:
            if inside:  # the child, connected to the campaign's own database
                done = faults.campaign(rounds, rows, seed, kinds, self.stdout.write)
                for line in faults.summary_lines(done):
                    self.stdout.write(line)
                clean = not any(r.problems for r in done)
            else:
                clean = faults.check(rounds, rows, seed, kinds, self.stdout.write)
        except faults.CampaignRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not clean:
            raise SystemExit(1)
