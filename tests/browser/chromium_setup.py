"""Debian's Chromium for the browser tests: where it is, how it starts, what happens without it."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import import_or_unavailable, unavailable

CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
# Headless, and no background traffic: this machine's network refuses it.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser():
    """The Playwright sync API. Without Chromium or Playwright the calling test is
    ``unavailable``: skipped with a visible reason, or failed under SITREP_REQUIRE_ALL=1. Call it
    from the fixture that launches the browser, not at module level, so that in CI a missing
    browser fails those tests and stops no other module from being collected."""
    if not Path(CHROMIUM).exists():
        unavailable(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return import_or_unavailable("playwright.sync_api", "browser tests need the 'playwright' package")
