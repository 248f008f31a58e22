"""Crawl state in the store (tables ``watch_sources`` and ``watch_pages``, migration 6).

Kept in the same database as the articles so one file (or one PostgreSQL database) is the whole
picture: a source's validators make its next check a conditional GET, and a page URL recorded as
stored or permanently failed is not fetched again. Each page's row is written in its own
transaction after the page is handled, so a watch killed at any point resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

#: Page outcomes after which the URL is not fetched again on later passes.
FINAL = frozenset({"stored", "robots", "too_large", "no_text", "unsupported", "gone"})


def now_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass
class KnownPage:
    """A stored page as re-fetching sees it (``watch_pages`` joined with the article it became)."""

    url: str
    article_id: str
    first_fetched_at: str
    fetched_at: str
    refetches: int  # scheduled re-fetches done
    etag: str | None
    last_modified: str | None
    content_hash: str | None  # of the body last compared
    meta: dict[str, Any]


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
        now = now_stamp()
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
                     body: bytes | None = None, warc: tuple[str, str] | None = None, *,
                     etag: str | None = None, last_modified: str | None = None,
                     meta: dict[str, Any] | None = None) -> None:
        """Record a page's first fetch: its outcome, validators (for re-fetching it conditionally)
        and what its listing said of it (kept for building its later versions alike)."""
        warc_file, warc_record = warc or (None, None)
        now = now_stamp()
        with self.repo.transaction():
            self.repo.execute("DELETE FROM watch_pages WHERE url=?", (url,))
            self.repo.execute(
                "INSERT INTO watch_pages(url, source, status, http_status, content_hash, fetched_at, warc_file,"
                " warc_record, first_fetched_at, refetches, etag, last_modified, meta)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (url, source, status, http_status, body_hash(body) if body is not None else None, now,
                 warc_file, warc_record, now, 0, etag, last_modified,
                 json.dumps(meta, ensure_ascii=False) if meta is not None else None))

    def known_pages(self) -> list[KnownPage]:
        """Pages stored as articles (not duplicates of others), not deleted: what re-fetching follows."""
        rows = self.repo.execute(
            "SELECT p.*, s.article_id AS stored_as FROM watch_pages p JOIN sources s ON s.source_path = p.url"
            " AND s.record_key = '' AND s.status = 'stored' WHERE p.status <> 'gone' ORDER BY p.url").fetchall()
        return [KnownPage(r["url"], r["stored_as"], r["first_fetched_at"] or r["fetched_at"], r["fetched_at"],
                          int(r["refetches"] or 0), r["etag"], r["last_modified"], r["content_hash"],
                          json.loads(r["meta"]) if r["meta"] else {}) for r in rows]

    def page_refetched(self, page: KnownPage, *, http_status: int | None, counted: bool = True,
                       body: bytes | None = None, etag: str | None = None, last_modified: str | None = None,
                       gone: bool = False) -> None:
        """Record a re-fetch: ``counted`` advances the schedule; ``body`` (None: unchanged or not
        yet stored) becomes the hash the next re-fetch compares with; ``gone`` ends following it."""
        sets = ["fetched_at=?", "http_status=?", "refetches=?", "etag=?", "last_modified=?"]
        args: list[Any] = [now_stamp(), http_status, page.refetches + int(counted), etag or page.etag,
                           last_modified or page.last_modified]
        if body is not None:
            sets.append("content_hash=?")
            args.append(body_hash(body))
        if gone:
            sets.append("status='gone'")
        with self.repo.transaction():
            self.repo.execute(f"UPDATE watch_pages SET {', '.join(sets)} WHERE url=?", (*args, page.url))

    def page_warc(self, url: str) -> tuple[str, str] | None:
        """The (WARC file, record id) a page's last response was archived as, if it was."""
        row = self.repo.execute("SELECT warc_file, warc_record FROM watch_pages WHERE url=?", (url,)).fetchone()
        return None if row is None or row["warc_file"] is None else (row["warc_file"], row["warc_record"])
