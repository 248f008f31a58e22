"""Source health: for each watched source, is it answering, and how much does it bring?

An analyst following hundreds of outlets needs to see the ones that went quiet or broke before a
gap in the picture is taken for a quiet day. Everything comes from the crawl state
(``watch_sources`` for checks and errors, ``watch_pages`` for the pages each source listed
first), so the page costs one query per table and nothing is tracked twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

#: Page statuses that are an item brought in (fetched and handed on, or stored); the others
#: (failed, gone, robots, too_large, ...) are the source's pages that could not be read.
ITEMS = ("fetched", "stored")
#: Items per day is averaged over at most this many recent days: long enough to smooth a
#: weekend, short enough that a source that went quiet this week shows it.
WINDOW_DAYS = 7
_STAMP = "%Y-%m-%dT%H:%M:%SZ"  # how ``watch.state`` writes times


@dataclass
class SourceHealth:
    url: str
    last_checked: str | None
    last_success: str | None
    failures: int  # consecutive failed checks
    last_error: str | None
    items: int  # pages brought in, ever
    failed_pages: int  # pages it listed that could not be read
    items_recent: int  # pages brought in during the window
    items_per_day: float

    @property
    def state(self) -> str:
        """ok, failing (the last check failed), or never (no check has succeeded yet)."""
        if self.failures:
            return "failing"
        return "ok" if self.last_success else "never"

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "state": self.state, "last_checked": self.last_checked,
                "last_success": self.last_success, "failures": self.failures, "last_error": self.last_error,
                "items": self.items, "failed_pages": self.failed_pages, "items_recent": self.items_recent,
                "items_per_day": self.items_per_day}


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def items_per_day(count: int, first: str | None, now: datetime, window_days: int = WINDOW_DAYS) -> float:
    """``count`` items seen since ``first`` (within the window) as a daily rate: over the time the
    source has been watched in the window, at least a day, so an hour-old watch's first items do
    not read as thousands a day."""
    since = _parse(first)
    if not count or since is None:
        return 0.0
    days = (now - since).total_seconds() / 86_400
    return round(count / min(float(window_days), max(1.0, days)), 1)


def source_health(repo: Any, now: datetime | None = None) -> list[SourceHealth]:
    """Every source in the crawl state, failing ones first, then by URL."""
    now = now or datetime.now(timezone.utc)
    window_start = (now - timedelta(days=WINDOW_DAYS)).strftime(_STAMP)
    marks = ",".join("?" * len(ITEMS))
    counts = {
        r["source"]: r for r in repo.execute(
            f"SELECT source, SUM(CASE WHEN status IN ({marks}) THEN 1 ELSE 0 END) AS items,"
            f" SUM(CASE WHEN status IN ({marks}) THEN 0 ELSE 1 END) AS failed,"
            f" SUM(CASE WHEN status IN ({marks}) AND fetched_at >= ? THEN 1 ELSE 0 END) AS recent,"
            f" MIN(CASE WHEN status IN ({marks}) AND fetched_at >= ? THEN fetched_at END) AS first_recent"
            " FROM watch_pages GROUP BY source",
            (*ITEMS, *ITEMS, *ITEMS, window_start, *ITEMS, window_start)).fetchall()
    }
    out = []
    for r in repo.execute("SELECT url, last_checked, last_success, failures, last_error FROM watch_sources").fetchall():
        c = counts.get(r["url"])
        recent = int(c["recent"] or 0) if c else 0
        out.append(SourceHealth(
            url=r["url"], last_checked=r["last_checked"], last_success=r["last_success"],
            failures=int(r["failures"] or 0), last_error=r["last_error"],
            items=int(c["items"] or 0) if c else 0, failed_pages=int(c["failed"] or 0) if c else 0,
            items_recent=recent, items_per_day=items_per_day(recent, c["first_recent"] if c else None, now)))
    out.sort(key=lambda s: (s.state != "failing", s.url))
    return out
