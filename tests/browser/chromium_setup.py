"""Debian's Chromium for the browser tests: where it is, how it starts, and the skip when absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
# Headless, and no background traffic: this machine's network refuses it.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser():
    """The Playwright sync API, or skip the calling test module with a visible reason."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="browser tests need the 'playwright' package")
