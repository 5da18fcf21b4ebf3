from django.contrib.staticfiles.management.commands.runserver import Command as RunServer
from django.core.management.base import CommandError

from buildings.project.serving import problem


class Command(RunServer):
    """Django's runserver, refusing in one line to serve without a secret key."""

    def handle(self, *args, **options):
        if message := problem():
            raise CommandError(message, returncode=2)
        super().handle(*args, **options)
