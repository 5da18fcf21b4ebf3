"""Finding a Chromium for the browser tests: $CHROMIUM, else one on PATH."""

from __future__ import annotations

import os
import shutil

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = ("no Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM "
           "to its path; `.ci/run` installs it")


def chromium() -> str | None:
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    return next((path for path in map(shutil.which, NAMES) if path), None)
