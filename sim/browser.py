"""Debian's chromium, headless, driven through Playwright: the browser the browser tests, the dashboard's speed
benchmark and ``scripts/screenshots.py`` (the pictures in docs/img) all use, found and started in one way.

Neither is a dependency of the model: chromium comes from the system (``apt-get install chromium``), Playwright with
the test extra (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_CHROMIUM = "Debian chromium is not installed (apt-get install chromium)"
NO_PLAYWRIGHT = "playwright is not installed (pip install -e '.[test]')"


def chromium() -> str | None:
    """The chromium on PATH, else Debian's; None if there is neither."""
    return shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)


def playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def missing() -> str | None:
    """Why no browser can be driven here (Playwright or chromium missing), or None."""
    if not playwright_installed():
        return NO_PLAYWRIGHT
    if chromium() is None:
        return NO_CHROMIUM
    return None


@contextmanager
def headless(executable: str | None = None) -> Iterator:
    """A headless chromium (Playwright's ``Browser``) for the duration of the block; check ``missing()`` first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable or chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
