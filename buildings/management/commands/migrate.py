"""Django's migrate; its "changes not yet reflected in a migration" notice sees the SQL too."""

from django.core.management.commands import migrate

from buildings.schema.autodetector import Autodetector


class Command(migrate.Command):
    autodetector = Autodetector
