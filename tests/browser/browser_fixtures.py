"""Fixtures the browser tests share: a server over the hand-built seed-like store, one Chromium,
and a page that records every dialog, console error and failed response (a test asserts none).
Each is named ``base_url``, ``browser``, ``context`` or ``page``; the functions carry a suffix so
a test module imports them without its test arguments shadowing the import."""
from __future__ import annotations

import pytest

from chromium_setup import ARGS, CHROMIUM, require_browser
from seedlike import build_seedlike_db


@pytest.fixture(scope="module", name="base_url")
def base_url_fixture(tmp_path_factory):
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("browser") / "store.sqlite"
    build_seedlike_db(db).close()
    with background_server(str(db)) as url:
        yield url


@pytest.fixture(scope="module", name="browser")
def browser_fixture():
    sync_api = require_browser()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module", name="context")
def context_fixture(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture(name="page")
def page_fixture(context):
    p = context.new_page()
    p.dialogs = []
    p.console_errors = []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.on("console", lambda m: m.type == "error" and p.console_errors.append(m.text))
    p.on("pageerror", lambda e: p.console_errors.append(str(e)))
    p.on("response", lambda r: r.status >= 400 and p.console_errors.append(f"{r.status} {r.url}"))
    yield p
    p.close()
