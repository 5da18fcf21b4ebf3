"""Settings for the Massachusetts buildings project."""

import os
from pathlib import Path

from config.database import database_settings

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

DATABASES = {"default": database_settings()}  # connects nothing: see config/database.py
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MIGRATION_MODULES = {"buildings": "migrations"}

USE_TZ = True
TIME_ZONE = "America/New_York"
LANGUAGE_CODE = "en-us"
