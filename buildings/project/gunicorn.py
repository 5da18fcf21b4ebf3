"""gunicorn's settings for serving the dashboard to others (the `web` extra):

    DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=buildings.example.org \
        gunicorn -c python:buildings.project.gunicorn buildings.project.wsgi

(in a checkout, gunicorn.conf.py names this module, so `gunicorn buildings.project.wsgi`).

Binds to the loopback by default: put a reverse proxy (TLS) in front, or bind with
--bind 0.0.0.0:8000 on a trusted network. Static files are served by WhiteNoise.
"""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = 2
worker_class = "gthread"
accesslog = "-"


def on_starting(server):
    """Refuse to start, in one line, with settings that must not serve pages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildings.project.settings")
    import django

    django.setup()
    from buildings.project.serving import problem

    if message := problem():
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)
