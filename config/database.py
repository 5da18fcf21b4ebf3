"""Which PostgreSQL the project talks to: DATABASE_URL when set, else the embedded server."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from config.embedded import database_url as embedded_url

    return embedded_url()


def current_database_url() -> str:
    """The URL of the database this process uses now (the test database under pytest),
    for child processes that must see the same data."""
    from django.conf import settings
    from django.db import connection

    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def database_settings(url: str) -> dict:
    settings = dj_database_url.parse(url, conn_max_age=0)
    settings["ENGINE"] = "django.db.backends.postgresql"
    return settings


def masked(url: str) -> str:
    """The URL with its password replaced by ***, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def unreachable_message(url: str, error: Exception) -> str:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (
        f"error: cannot reach PostgreSQL at {masked(url)} ({reason}); start that server "
        "(docker compose up -d db) or unset DATABASE_URL to use the embedded one"
    )
