"""RSS and Atom feeds: one document per entry, through feedparser.

The entry's full content (``content:encoded``, Atom ``content``) is preferred over its summary.
Feed title → outlet, entry link → url, entry id → source_id, entry published date → published
(ISO 8601, UTC, as feedparser normalised it). An entry's ``updated`` date is not its publication
date, so it is only kept in ``extra["updated"]`` for the date stage to weigh.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterator

import feedparser

from ..model import IngestError, RawDocument
from .decoding import DecodeError
from .html import document_from_html
from .options import ReadOptions
from .sidecar import read_bytes
from .text import document_from_meta


def _entry_content(entry: Any) -> tuple[str | None, bool]:
    """(content, is_html) of an entry: full content first, then the summary."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if value and value.strip():
            return value, "html" in (content.get("type") or "text/html")
    summary = entry.get("summary") or entry.get("description")
    if summary and summary.strip():
        detail = entry.get("summary_detail") or {}
        return summary, "html" in (detail.get("type") or "text/html")
    return None, False


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def feed_outlet(parsed: Any) -> str | None:
    """The feed's own title, which names its outlet."""
    return (parsed.feed.get("title") or "").strip() or None


def entry_meta(entry: Any, outlet: str | None) -> dict[str, Any]:
    """An entry's metadata as the readers take it (``id``, ``url``, ``outlet``, ``title``,
    ``published``): shared by the feed reader and ``sitrep watch``, so both date and title
    entries alike."""
    return {
        "id": (entry.get("id") or "").strip() or None,
        "url": entry.get("link"),
        "outlet": outlet,
        "title": (entry.get("title") or "").strip() or None,
        "published": _iso(entry.get("published_parsed")) or (entry.get("published") or None),
    }


def feed_format(parsed: Any) -> str:
    """``atom`` or ``rss``, from feedparser's version string (``atom10``, ``rss20``, ``rss10``)."""
    return "atom" if str(parsed.get("version") or "").startswith("atom") else "rss"


def read_feed(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """Each entry with content → a document; a feed that does not parse → one ``parse`` error."""
    source = str(path)
    try:
        data = read_bytes(path, options.max_bytes)
    except DecodeError as exc:
        yield IngestError(source, exc.message, kind=exc.kind)
        return
    if not data.strip():
        yield IngestError(source, "file is empty", kind="empty")
        return
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser's encoding fallbacks can raise on mangled bytes
        yield IngestError(source, f"feed does not parse: {type(exc).__name__}: {exc}", kind="parse")
        return
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            yield IngestError(source, f"feed does not parse: {reason}", kind="parse")
        else:
            yield IngestError(source, "feed has no entries", kind="empty")
        return
    fmt = feed_format(parsed)
    outlet = feed_outlet(parsed)
    for n, entry in enumerate(parsed.entries):
        meta = entry_meta(entry, outlet)
        key = meta["id"] or f"entry:{n}"
        extra: dict[str, Any] = {}
        # dict.get: feedparser's own get() maps a missing "updated" onto "published".
        if dict.get(entry, "updated"):
            extra["updated"] = _iso(dict.get(entry, "updated_parsed")) or dict.get(entry, "updated")
        if entry.get("author"):
            extra["author"] = entry.get("author")
        content, is_html = _entry_content(entry)
        if content is None:
            yield IngestError(source, "entry has no content or summary", record_key=key, kind="no_text")
            continue
        if is_html:
            yield document_from_html(content, source_path=source, record_key=key, fmt=fmt, meta=meta,
                                     max_chars=options.max_html_chars, extra=extra)
        else:
            yield document_from_meta(source, key, content, fmt, meta, extra=extra)
