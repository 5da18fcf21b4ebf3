"""The one loader of the SQL files in sql/."""

from functools import cache

from django.conf import settings


@cache
def load(name: str) -> str:
    """The text of sql/<name>."""
    return (settings.SQL_DIR / name).read_text()
