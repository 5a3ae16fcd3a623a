"""The real browser of the kit: Playwright driving the system's chromium (Debian's ``chromium``).

Playwright's own browser download is never used: ``executable_path`` points at the system's
chromium, found as ``JSG_PRIVACY_KIT["chromium"]``, ``chromium`` or ``chromium-browser`` on the
``PATH``. When it or Playwright is missing, :func:`find` says why and the rules that need a browser
are skipped with that reason (the HTTP client does what it can). jsg_privacy's own browser tests use
the same launch options.

Playwright's sync API runs an event loop in the calling thread; Django refuses ORM calls from a
thread with a running loop unless told it is deliberate, which :func:`launch` does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NAMES = ("chromium", "chromium-browser")


class Unavailable(Exception):
    """No browser: the message says what is missing and how to get it."""


def chromium_path(configured: str = "") -> str:
    """The chromium to drive, or :class:`Unavailable`."""
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise Unavailable(f"the configured chromium {configured!r} is not an executable file")
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise Unavailable("chromium is not installed (Debian: apt-get install chromium)")


@contextmanager
def launch(configured: str = "") -> Iterator[Any]:
    """A running chromium (a Playwright ``Browser``); raises :class:`Unavailable` before starting
    when chromium or Playwright is missing, or when chromium does not start."""
    path = chromium_path(configured)
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        raise Unavailable(
            'Playwright is not installed (pip install "jsg-privacy[testing]")'
        ) from error
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Error as error:
            raise Unavailable(f"chromium at {path} did not start: {error.message[:200]}") from error
        try:
            yield browser
        finally:
            browser.close()
