"""Settings for the Massachusetts buildings project."""

import os
from pathlib import Path

from config.database import database_settings, database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "buildings",
]

MIDDLEWARE = []
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

DATABASE_URL = database_url()
DATABASES = {"default": database_settings(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MIGRATION_MODULES = {"buildings": "migrations"}

SQL_DIR = BASE_DIR / "sql"

USE_TZ = True
TIME_ZONE = "America/New_York"
LANGUAGE_CODE = "en-us"
