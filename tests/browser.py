"""Finding a Chromium for the browser tests: $CHROMIUM, else one on PATH."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = ("no Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM "
           "to its path; `.ci/run` installs it")


def chromium() -> str | None:
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    return next((path for path in map(shutil.which, NAMES) if path), None)


@contextmanager
def open_page(browser, base_url: str, width: int, height: int):
    """A page of a new browser context at a viewport size, whose console errors and
    uncaught exceptions are collected in .errors."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
