"""Which PostgreSQL the project talks to: DATABASE_URL when set, else the embedded server.

Nothing here connects or starts a server: the embedded one is started by its
database backend (buildings/postgres/embedded_backend) when the first connection is made.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

import dj_database_url

EMBEDDED = {"ENGINE": "buildings.postgres.embedded_backend", "NAME": "buildings", "CONN_MAX_AGE": 0}


class BadDatabaseURL(ValueError):
    pass


def database_settings(url: str | None = None) -> dict:
    """Django's settings of a database: of `url`, else of DATABASE_URL, else the embedded
    server's."""
    url = url or os.environ.get("DATABASE_URL")
    if not url:
        return dict(EMBEDDED)
    try:
        settings = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj-database-url raises several kinds for a malformed URL
        raise BadDatabaseURL(
            f"DATABASE_URL is not a PostgreSQL URL ({masked(url)!r}): write it as "
            "postgres://USER:PASSWORD@HOST:PORT/NAME, or unset it to use the embedded server"
        ) from exc
    if "postgres" not in settings["ENGINE"]:
        raise BadDatabaseURL(f"DATABASE_URL names a {settings['ENGINE'].rsplit('.', 1)[-1]} "
                             "database; this project needs PostgreSQL (postgres://...)")
    settings["ENGINE"] = "django.db.backends.postgresql"
    # ?host=/socket/dir&port=N: where Django and connection_url() look for them
    for key in ("host", "port"):
        if key in settings.get("OPTIONS", {}):
            settings[key.upper()] = str(settings["OPTIONS"].pop(key))
    return settings


def connection_url(alias: str = "default", name: str | None = None) -> str:
    """The URL of the database a connection uses now (the test database under pytest),
    for child processes that must see the same data; `name`: another database there."""
    from django.db import connections

    s = dict(connections[alias].settings_dict)
    s["NAME"] = name or s["NAME"]
    if s["ENGINE"] == EMBEDDED["ENGINE"]:
        from buildings.postgres.embedded import connection_settings

        s.update(connection_settings())
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(str(s['PASSWORD']), safe='')}" if s.get("PASSWORD") else ""
    host = s["HOST"] or ""
    if host.startswith("/"):  # a Unix socket directory
        netloc = f"{user}{password}@"
        return f"postgresql://{netloc}/{quote(s['NAME'])}?host={quote(host)}" + (
            f"&port={s['PORT']}" if s.get("PORT") else "")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(s['NAME'])}"


def masked(url: str) -> str:
    """The URL with its password replaced by ***, fit to print."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unreadable URL>"
    if password is None:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def unreachable_message(url: str | None, error: Exception) -> str:
    """One line: which server could not be reached (None: the embedded one), why, what to do."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if not url:
        return (f"error: cannot reach the embedded PostgreSQL server ({reason}); "
                "run `make stop-db` and try again, or set DATABASE_URL to use another server")
    return (
        f"error: cannot reach PostgreSQL at {masked(url)} ({reason}); start that server "
        "(docker compose up -d --wait db) or unset DATABASE_URL to use the embedded one"
    )
