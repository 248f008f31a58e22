"""What changed since the page was drawn, and how the watched sources are doing.

``/api/updates?after=SEQ`` answers "how many reports arrived after the newest one I showed?"
(articles are numbered in the order they were stored). A page polls it (``static/live.js``);
polling rather than a held-open event stream, because the response cache keys it by URL and
drops it only when the store's revision moves: while nothing arrives, every poll is a cache hit
or a 304, and no server process is tied up per open tab. ``/api/sources`` is the source health
table (``sitrep.watch.health``).
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from typing_extensions import TypedDict

from ..watch.health import source_health
from .routes import get_repo, json_response

router = APIRouter(prefix="/api")


class UpdatesJSON(TypedDict):
    latest: int  # the newest article's number (articles are numbered in the order stored)
    new_articles: int  # stored after ``after``


class SourceHealthJSON(TypedDict):
    """``sitrep.watch.health.SourceHealth.to_json``."""

    url: str
    state: str  # ok, failing, never
    last_checked: Optional[str]
    last_success: Optional[str]
    failures: int
    last_error: Optional[str]
    items: int
    failed_pages: int
    items_recent: int
    items_per_day: float


def updates(repo: Any, after: int | None) -> dict[str, int]:
    """The newest article's number, and how many were stored after ``after`` (none when not given:
    the caller is taking its baseline). ``repo`` is a SQL repository (its ``execute``): the two
    counts are index lookups on ``articles.seq``."""
    latest = int(repo.execute("SELECT max(seq) AS n FROM articles").fetchone()["n"] or 0)
    new = 0
    if after is not None and after < latest:
        new = int(repo.execute("SELECT count(*) AS n FROM articles WHERE seq > ?", (after,)).fetchone()["n"])
    return {"latest": latest, "new_articles": new}


@router.get("/updates", tags=["live"], summary="The newest article number, and how many arrived after `after`",
            response_model=UpdatesJSON)
def get_updates(
    after: int | None = Query(None, ge=0, le=2**62, description="The `latest` of an earlier answer."),
    repo: Any = Depends(get_repo),
) -> Response:
    return json_response(updates(repo, after))


@router.get("/sources", tags=["live"], summary="Watched sources: last success, last error, failures, items per day",
            response_model=list[SourceHealthJSON])
def list_sources(repo: Any = Depends(get_repo)) -> Response:
    return json_response([s.to_json() for s in source_health(repo)])
