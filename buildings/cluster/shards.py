"""Which shards: BUILDINGS_SHARDS="NAME=URL NAME=URL ...", from the environment.

A URL is a libpq one (postgresql://USER@HOST:PORT/DB, or ?host=/socket/dir); a
password goes in the environment or ~/.pgpass, never in a file of the project.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from psycopg.conninfo import conninfo_to_dict

NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


class ClusterError(RuntimeError):
    """What a cluster cannot do as asked (not set up, a shard down, a town not placed);
    the message says what to do. Commands print it in one line, pages as a 503."""


class BadShards(ValueError):
    """BUILDINGS_SHARDS cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Shard:
    name: str
    url: str

    @property
    def schema(self) -> str:
        """The coordinator's schema of this shard's foreign tables."""
        return f"shard_{self.name}"

    @property
    def server(self) -> str:
        """The coordinator's postgres_fdw server of this shard."""
        return f"buildings_shard_{self.name}"

    def conninfo(self) -> dict[str, str]:
        return {k: str(v) for k, v in conninfo_to_dict(self.url).items()}

    def env(self) -> dict[str, str]:
        """The environment of a command run against this shard as a plain database."""
        return {**os.environ, "DATABASE_URL": self.url, "BUILDINGS_SHARDS": ""}

    def towns_args(self, towns: dict[str, list[int]], gid: str) -> list[str]:
        """How a coordinator's command restricts itself to this shard's towns and
        ends prepared under `gid` (the options generate_buildings and import_assessor
        hide from --help)."""
        return ["--towns", ",".join(map(str, towns.get(self.name, []))) or "0",
                "--prepare", gid]

    def where(self) -> str:
        """Where it is, for a message (no password)."""
        info = self.conninfo()
        host, port = info.get("host", "localhost"), info.get("port", "5432")
        return f"{host}:{port}/{info.get('dbname', '')}"


def parse(text: str) -> tuple[Shard, ...]:
    shards = []
    for word in text.split():
        name, _, url = word.partition("=")
        if not url or not NAME.match(name):
            raise BadShards(f"BUILDINGS_SHARDS: {word!r} is not NAME=URL (a name of lower-case "
                            "letters, digits and _; a postgresql:// URL)")
        try:
            conninfo_to_dict(url)
        except Exception as exc:  # psycopg raises ProgrammingError for a bad URL
            raise BadShards(f"BUILDINGS_SHARDS: the URL of {name} cannot be read ({exc})") from exc
        shards.append(Shard(name, url))
    names = [s.name for s in shards]
    if len(set(names)) != len(names):
        raise BadShards("BUILDINGS_SHARDS names a shard twice")
    return tuple(shards)


@cache
def _parsed(text: str) -> tuple[Shard, ...]:
    return parse(text)


def shards() -> tuple[Shard, ...]:
    """The shards of this coordinator; () for a single server."""
    return _parsed(settings.BUILDINGS_SHARDS)


def configured() -> bool:
    return bool(shards())


def by_name(name: str) -> Shard:
    for shard in shards():
        if shard.name == name:
            return shard
    known = ", ".join(s.name for s in shards())
    raise BadShards(f"no shard {name!r}: BUILDINGS_SHARDS names {known}")
