"""Settings for the Massachusetts buildings project, from the environment.

- DJANGO_DEBUG=1 turns debug on (tracebacks in pages); off by default.
- DJANGO_SECRET_KEY: required to serve pages with debug off (buildings/project/serving.py says so
  in one line); the commands never sign anything and run without it.
- DJANGO_ALLOWED_HOSTS: comma-separated host names to serve (default localhost).
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# the `web` extra: static files served by the app itself, under any WSGI server
if find_spec("whitenoise") is not None:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    WHITENOISE_USE_FINDERS = True  # straight from the apps' static/, no collectstatic needed

ROOT_URLCONF = "buildings.project.urls"
WSGI_APPLICATION = "buildings.project.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": []},
}]
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "staticfiles")).resolve()  # collectstatic
# WhiteNoise reads the apps' static/ directly, so STATIC_ROOT exists only once
# collectstatic has run: its absence is no cause for a warning
warnings.filterwarnings("ignore", message=re.escape(f"No directory at: {STATIC_ROOT}"))

DATABASES = {"default": database_settings()}  # connects nothing: see buildings/postgres/
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "America/New_York"
LANGUAGE_CODE = "en-us"
