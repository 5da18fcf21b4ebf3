"""`python -m buildings COMMAND`: manage.py, for an installed wheel as for a checkout."""

from buildings.project.launcher import main

main(prog="python -m buildings")
