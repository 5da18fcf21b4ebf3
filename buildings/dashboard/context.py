"""What every page may say: the figures' origin (generated or imported), and the
words that run a management command as this server was started (`runserver` under
`.venv/bin/python manage.py` gives those; gunicorn gives `python manage.py`)."""

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from buildings.core import hints
from buildings.core.provenance import data_origin as read_data_origin


def _description() -> str:
    try:
        return read_data_origin().description
    except DatabaseError:  # an error page while the database is away: say nothing
        return ""


def data_origin(request) -> dict:
    """Read only when a template shows it (a kept page is never rendered again)."""
    return {"data_origin": SimpleLazyObject(_description), "manage": hints.prefix()}
