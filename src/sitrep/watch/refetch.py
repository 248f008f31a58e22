"""Re-fetching stored pages on a schedule, to catch the reports outlets edit or delete afterwards.

Most stealth edits happen within hours of publication and few after three days, so each stored
page is fetched again at ``DEFAULT_SCHEDULE`` after its first fetch (1 h, 6 h, 24 h, 72 h) and then
left alone; ``--refetch-after DURATION`` replaces the schedule by "whenever this long has passed
since the last fetch" (``0``: every known page on every pass). Each re-fetch is a conditional GET
with the validators the page last sent, so an unchanged page usually costs a 304.

A 200 whose body is byte-identical to the last one is unchanged. Otherwise the page is read and
cleaned as ingest would, and compared with the stored version re-cleaned with the same outlet
statistics (``sitrep.revisions.is_revision``): only a changed clean text or page title is a new
revision, so furniture that differs on every fetch (stamps, counters, related links, adverts) does
not make one. A revision goes through the pipeline like any page (``RawDocument.extra["watch"]``
names the article it revises), which updates the article in place and records the version. A
404 or 410 marks the article ``deleted`` (it is kept) and ends following the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterator

from ..clean import clean_document
from ..model import IngestError, RawDocument
from ..alerts.notices import ArticleRevised
from ..revisions import is_revision
from .sources import Item
from .state import KnownPage, body_hash, now_stamp

if TYPE_CHECKING:
    from .run import Watcher, WatchReport

#: Seconds after the first fetch at which a stored page is fetched again.
DEFAULT_SCHEDULE: tuple[float, ...] = (3600.0, 6 * 3600.0, 24 * 3600.0, 72 * 3600.0)
GONE = (404, 410)


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@dataclass
class RefetchPolicy:
    """When a stored page is due again: on ``schedule`` (seconds after its first fetch), or, with
    ``after`` set, once ``after`` seconds have passed since its last fetch."""

    schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    after: float | None = None

    def due(self, page: KnownPage, now: float) -> bool:
        if self.after is not None:
            return now - _seconds(page.fetched_at) >= self.after
        if page.refetches >= len(self.schedule):
            return False
        return now - _seconds(page.first_fetched_at) >= self.schedule[page.refetches]


def _old_version(new: RawDocument, original: str) -> RawDocument:
    """The stored version's text as a record like ``new``, to be cleaned with today's statistics."""
    return RawDocument(new.source_path, new.record_key, original, new.format, url=new.url, outlet=new.outlet,
                       title=new.title, published=new.published, site_name=new.site_name)


def refetch_due(watcher: "Watcher", report: "WatchReport", now: float | None = None) -> Iterator[RawDocument | IngestError]:
    """Re-fetch every stored page that is due; yield the new versions (and fetch errors)."""
    now = datetime.now(timezone.utc).timestamp() if now is None else now
    for page in watcher.state.known_pages():
        if watcher.refetch.due(page, now):
            yield from _refetch(watcher, page, report)


def _refetch(watcher: "Watcher", page: KnownPage, report: "WatchReport") -> Iterator[RawDocument | IngestError]:
    repo, state = watcher.pipeline.repo, watcher.state
    got = watcher.client.get(page.url, etag=page.etag, last_modified=page.last_modified)
    report.pages_refetched += 1
    if got.not_modified:
        state.page_refetched(page, http_status=304)
        return
    if got.status in GONE:
        with repo.transaction():
            repo.set_article_status(page.article_id, "deleted", now_stamp())
        state.page_refetched(page, http_status=got.status, gone=True)
        report.deleted += 1
        return
    if got.error:  # tried again next pass: the schedule does not advance
        state.page_refetched(page, http_status=got.status or None, counted=False)
        yield IngestError(page.url, f"page not re-fetched: {got.error}: {got.detail}", kind="fetch")
        return
    if page.content_hash == body_hash(got.body):
        state.page_refetched(page, http_status=got.status, etag=got.etag, last_modified=got.last_modified)
        return
    warc = watcher.archive.write(got) if watcher.archive is not None else None
    from .run import page_record  # here: run imports this module

    meta: dict[str, Any] = page.meta
    record = page_record(page.url, got, Item(page.url, None, meta.get("published"), meta.get("outlet")),
                         watcher.options)
    if isinstance(record, IngestError):
        state.page_refetched(page, http_status=got.status, body=got.body, etag=got.etag,
                             last_modified=got.last_modified)
        yield record
        return
    stored = repo.get_article(page.article_id)
    if stored is None:
        return
    history = repo.revisions_of(page.article_id)
    page_title = record.extra.get("page_title")
    # the page's own title as last seen; unknown for pages stored before revisions were kept (the
    # article's title may be a feed's), which then count as unchanged in title until they change
    last_page_title = (history[-1]["data"].get("page_title") if history else None) or page_title
    line_stats, registry = watcher.pipeline.line_stats, watcher.pipeline.registry
    new_clean = clean_document(record, line_stats, registry)
    old_clean = clean_document(_old_version(record, stored.original), line_stats, registry)
    if not is_revision(last_page_title, old_clean.text, page_title, new_clean.text):
        state.page_refetched(page, http_status=got.status, body=got.body, etag=got.etag,
                             last_modified=got.last_modified)
        return
    number = max([stored.revisions] + [r["number"] for r in history]) + 1
    # the listing's title stays the article's title unless the page's own title changed
    title_changed = is_revision(last_page_title, "", page_title, "")
    record.title = page_title if title_changed else stored.title
    record.record_key = f"revision:{number}"
    fetched_at = now_stamp()
    record.extra["watch"] = {"revision_of": page.article_id, "number": number, "fetched_at": fetched_at,
                             "page_title": page_title, "warc_file": warc[0] if warc else None,
                             "warc_record": warc[1] if warc else None}
    # the body hash is left as it was until the version is stored: a pass killed before that
    # compares again next time and finds the same revision
    state.page_refetched(page, http_status=got.status, etag=got.etag, last_modified=got.last_modified)
    report.revisions += 1
    text_changed = old_clean.text != new_clean.text
    summary = " and ".join(w for w, changed in (("title", title_changed), ("text", text_changed)) if changed)
    # the alerter's "article revised" rules read these once the pass has stored the new version
    report.revised.append(ArticleRevised(page.article_id, number, fetched_at, f"{summary or 'page'} changed"))
    yield record
