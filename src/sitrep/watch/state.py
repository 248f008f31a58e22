"""Crawl state in the store (tables ``watch_sources`` and ``watch_pages``, migration 6).

Kept in the same database as the articles so one file (or one PostgreSQL database) is the whole
picture: a source's validators make its next check a conditional GET, and a page URL recorded as
stored or permanently failed is not fetched again. Each page's row is written in its own
transaction after the page is handled, so a watch killed at any point resumes where it stopped.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

#: Page outcomes after which the URL is not fetched again on later passes.
FINAL = frozenset({"stored", "robots", "too_large", "no_text", "unsupported", "gone"})


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass
class SourceState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None
    failures: int = 0
    last_error: str | None = None


class CrawlState:
    """Reads and writes the crawl tables through the repository's connection."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo

    def source(self, url: str) -> SourceState:
        row = self.repo.execute("SELECT * FROM watch_sources WHERE url=?", (url,)).fetchone()
        if row is None:
            return SourceState(url)
        return SourceState(url, row["etag"], row["last_modified"], row["last_success"], int(row["failures"]),
                           row["last_error"])

    def sources(self) -> list[SourceState]:
        rows = self.repo.execute("SELECT url FROM watch_sources ORDER BY url").fetchall()
        return [self.source(r["url"]) for r in rows]

    def source_checked(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                       error: str | None = None) -> None:
        """Record one check of a source: validators on success, a failure count on error."""
        old = self.source(url)
        now = _now()
        if error is None:
            new = SourceState(url, etag or old.etag, last_modified or old.last_modified, now, 0, None)
        else:
            new = SourceState(url, old.etag, old.last_modified, old.last_success, old.failures + 1, error)
        with self.repo.transaction():
            self.repo.execute("DELETE FROM watch_sources WHERE url=?", (url,))
            self.repo.execute(
                "INSERT INTO watch_sources(url, etag, last_modified, last_checked, last_success, failures, last_error)"
                " VALUES (?,?,?,?,?,?,?)",
                (url, new.etag, new.last_modified, now, new.last_success, new.failures, new.last_error))

    def page_status(self, url: str) -> str | None:
        row = self.repo.execute("SELECT status FROM watch_pages WHERE url=?", (url,)).fetchone()
        return None if row is None else str(row["status"])

    def page_done(self, url: str) -> bool:
        """Whether ``url`` needs no fetch: handled for good (stored, refused by robots, …)."""
        return self.page_status(url) in FINAL

    def page_fetched(self, url: str, source: str, status: str, http_status: int | None = None,
                     body: bytes | None = None, warc: tuple[str, str] | None = None) -> None:
        warc_file, warc_record = warc or (None, None)
        with self.repo.transaction():
            self.repo.execute("DELETE FROM watch_pages WHERE url=?", (url,))
            self.repo.execute(
                "INSERT INTO watch_pages(url, source, status, http_status, content_hash, fetched_at, warc_file,"
                " warc_record) VALUES (?,?,?,?,?,?,?,?)",
                (url, source, status, http_status, body_hash(body) if body is not None else None, _now(),
                 warc_file, warc_record))

    def page_warc(self, url: str) -> tuple[str, str] | None:
        """The (WARC file, record id) a page's last response was archived as, if it was."""
        row = self.repo.execute("SELECT warc_file, warc_record FROM watch_pages WHERE url=?", (url,)).fetchone()
        return None if row is None or row["warc_file"] is None else (row["warc_file"], row["warc_record"])
