"""gunicorn reads this file when started in a checkout; the settings are in the package,
so an installed wheel has them too: buildings/project/gunicorn.py."""

from buildings.project.gunicorn import *  # noqa: F403
