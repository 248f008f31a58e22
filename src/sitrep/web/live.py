"""The source health page (``/sources``): the crawl state of ``sitrep watch`` as a table.

Source URLs and error messages come from the network and are hostile; the template escapes every
one and links only safe http(s) URLs, as the other pages do.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..watch.health import WINDOW_DAYS, source_health
from .pages import _page, _repo

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    return _page(request, "sources.html", sources=source_health(_repo(request)), window_days=WINDOW_DAYS)
