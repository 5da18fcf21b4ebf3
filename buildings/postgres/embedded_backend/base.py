"""Django's PostgreSQL backend on the embedded server, started when a connection is first made.

Importing the settings starts nothing: the server is started (or found running)
and configured by the first connection a process opens, and never by a command
that does not touch the database.
"""

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        from buildings.postgres.embedded import connection_settings

        self.settings_dict.update(connection_settings())
        return super().get_connection_params()
