"""What serving pages needs that the commands do not: a secret key when debug is off.

Django signs nothing these pages use, but a key left at a known value would sign
whatever someone adds later (sessions, messages, a login); so serving refuses to
start without one, in one line, through runserver (dashboard's override) and
gunicorn (gunicorn.conf.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set: set it to a long random string, e.g. "
    "DJANGO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or set DJANGO_DEBUG=1 for a development server (`make serve` makes a local key for you)")


def problem() -> str | None:
    """Why pages must not be served with these settings, or None."""
    if settings.DEBUG:
        return None
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    return None if key else NO_SECRET_KEY
