from django.core.management.base import BaseCommand, CommandError

from buildings.cluster import health, move, placement, setup, writes
from buildings.cluster.shards import BadShards, configured


class Command(BaseCommand):
    help = ("A cluster of PostgreSQL servers, run on its coordinator (BUILDINGS_SHARDS="
            "\"NAME=URL ...\"): `setup` readies the shards and reads them through "
            "postgres_fdw; `place` puts the towns on the shards; `status` shows each "
            "shard's health and what it holds; `move TOWN SHARD` carries a town's buildings "
            "to another shard; `check` reports two-phase commits left prepared (exit 1); "
            "`resolve` settles them.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "place", "status", "check", "resolve",
                                               "move"])
        parser.add_argument("town", nargs="?", metavar="TOWN",
                            help="move: the town (name or TOWN_ID)")
        parser.add_argument("shard", nargs="?", metavar="SHARD",
                            help="move: the shard it goes to")

    def handle(self, *args, action, town, shard, **options):
        try:
            if not configured():
                raise CommandError("this database is not a cluster's coordinator: set "
                                   "BUILDINGS_SHARDS=\"NAME=URL NAME=URL ...\"")
            if action == "move" and not (town and shard):
                raise CommandError("move takes a town and a shard: cluster move Boston s2")
            if action != "move" and (town or shard):
                raise CommandError(f"{action} takes no town or shard")
            getattr(self, f"_{action}")(town, shard)
        except BadShards as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _setup(self, town, shard):
        setup.setup(self.stdout.write)

    def _place(self, town, shard):
        placement.place(self.stdout.write)

    def _move(self, town, shard):
        move.move(town, shard, self.stdout.write)

    def _resolve(self, town, shard):
        writes.resolve(self.stdout.write)

    def _check(self, town, shard):
        left = writes.prepared()
        for p in left:
            self.stdout.write(f"{p.shard}: {p.gid} prepared {p.prepared_at:%Y-%m-%d %H:%M:%S}, "
                              f"{'decided: commit' if p.decided else 'undecided: roll back'}")
        if left:
            self.stderr.write(f"{len(left)} prepared transactions are left: run `cluster "
                              "resolve`")
            raise SystemExit(1)
        self.stdout.write("no prepared transaction is left on any shard")

    def _status(self, town, shard):
        rows = health.status()
        self.stdout.write(f"{'shard':<10} {'where':<40} {'state':<24} {'placed':>6} "
                          f"{'held':>5} {'buildings':>11} {'prepared':>8} {'stray':>6}")
        for r in rows:
            state = r.detail if r.answers else f"DOWN: {r.detail}"
            self.stdout.write(f"{r.name:<10} {r.where[:40]:<40} {state[:24]:<24} "
                              f"{r.towns_placed:>6} {r.towns_held:>5} {r.buildings:>11,} "
                              f"{r.prepared:>8} {r.stray:>6}")
        if not all(r.healthy for r in rows):
            raise SystemExit(1)
