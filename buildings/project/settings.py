"""Settings for the Massachusetts buildings project, from the environment.

- DJANGO_DEBUG=1 turns debug on (tracebacks in pages); off by default.
- DJANGO_SECRET_KEY: required to serve pages with debug off (buildings/project/serving.py says so
  in one line); the commands never sign anything and run without it.
- DJANGO_ALLOWED_HOSTS: comma-separated host names to serve (default localhost).
- DJANGO_HTTPS=1: served behind TLS (a proxy that sets X-Forwarded-Proto): HSTS, a
  redirect to https, cookies sent only over https. `check --deploy` is then clean.
- DATABASE_URL: another PostgreSQL than the embedded one (buildings/postgres/connection.py).
"""

import os
import re
import warnings
from importlib.util import find_spec
from pathlib import Path

from buildings.postgres.connection import database_settings

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("dev-only-not-secret" if DEBUG else "")
ALLOWED_HOSTS = [h.strip() for h in
                 os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
                 if h.strip()]

INSTALLED_APPS = [
    "buildings",  # before staticfiles: its runserver refuses to serve without a secret key
    "buildings.dashboard",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "buildings.dashboard.middleware.ClusterUnavailable",
]
# the `web` extra: static files served by the app itself, under any WSGI server
if find_spec("whitenoise") is not None:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    WHITENOISE_USE_FINDERS = True  # straight from the apps' static/, no collectstatic needed

# Behind TLS: the proxy terminates https and says so in X-Forwarded-Proto (set it there,
# and only there). HSTS for a year, subdomains included, eligible for browsers' preload
# lists (a list holds a domain only once its owner submits it).
if os.environ.get("DJANGO_HTTPS", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

ROOT_URLCONF = "buildings.project.urls"
WSGI_APPLICATION = "buildings.project.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["buildings.dashboard.context.data_origin"]},
}]
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "staticfiles")).resolve()  # collectstatic
# WhiteNoise reads the apps' static/ directly, so STATIC_ROOT exists only once
# collectstatic has run: its absence is no cause for a warning
warnings.filterwarnings("ignore", message=re.escape(f"No directory at: {STATIC_ROOT}"))

DATABASES = {"default": database_settings()}  # connects nothing: see buildings/postgres/
# The shards when this database is a cluster's coordinator: "NAME=URL NAME=URL ..."
# (buildings/cluster/); unset, it is a single server. Each shard is also a database
# alias, "shard_NAME", from which a town page reads its town's buildings (a malformed
# entry is left to `cluster` and `analyze` to report, in one line).
BUILDINGS_SHARDS = os.environ.get("BUILDINGS_SHARDS", "")
for _word in BUILDINGS_SHARDS.split():
    _name, _, _url = _word.partition("=")
    if _url.startswith(("postgres://", "postgresql://")):
        DATABASES[f"shard_{_name}"] = database_settings(_url)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "America/New_York"
LANGUAGE_CODE = "en-us"
