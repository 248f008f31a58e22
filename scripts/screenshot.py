#!/usr/bin/env python3
"""Screenshot a story's dossier page with the system Chromium (no browser download).

    .venv/bin/python scripts/screenshot.py --db sitrep.sqlite --story STORY_ID --out docs/dossier.png

Serves the store on a free loopback port in a background thread, opens the dossier, waits for the
map and timeline to be drawn, and writes a PNG of the first screen (``--full-page`` for all of it). ``--page`` shoots another path instead
(e.g. ``/articles/ID?hl=10-40``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="sitrep store (SQLite file)")
    parser.add_argument("--story", help="story id whose dossier to shoot")
    parser.add_argument("--page", help="any other path to shoot, e.g. /articles/ID")
    parser.add_argument("--out", default="docs/dossier.png", help="PNG to write")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true", help="shoot the whole page, not just the first screen")
    args = parser.parse_args(argv)

    if not Path(args.db).exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    if not Path(args.chromium).exists():
        print(f"error: Chromium not found at {args.chromium} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    if not args.story and not args.page:
        print("error: give --story ID or --page PATH", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("error: the 'playwright' package is not installed (pip install playwright)", file=sys.stderr)
        return 2
    from sitrep.api.server import background_server

    path = args.page or f"/stories/{quote(args.story, safe='')}"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with background_server(args.db) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        response = page.goto(base + path)
        if response is None or response.status != 200:
            print(f"error: {path} answered {response.status if response else 'nothing'}", file=sys.stderr)
            browser.close()
            return 1
        if path.startswith("/stories/"):
            page.wait_for_selector("#timeline[data-ready]", timeout=15000)
            page.wait_for_selector("#map[data-markers]", timeout=15000)
            page.wait_for_timeout(500)  # let the borders layer and the fitted view settle
        page.screenshot(path=str(out), full_page=args.full_page)
        browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
