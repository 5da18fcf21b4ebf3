#!/usr/bin/env python
"""Django's command-line utility, in a checkout (an installed wheel has `ma-buildings`)."""

from buildings.project.launcher import main

if __name__ == "__main__":
    main()
