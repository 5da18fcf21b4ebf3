"""Django's makemigrations, which also writes the SQL of changed views and functions."""

from django.core.management.commands import makemigrations

from buildings.autodetector import Autodetector


class Command(makemigrations.Command):
    autodetector = Autodetector
