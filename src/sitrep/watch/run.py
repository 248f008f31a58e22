"""One pass of ``sitrep watch`` over its sources; the CLI repeats it ``--every`` so often.

Local paths go to the readers as ``ingest`` would read them (a folder's new files are new because
the store has not seen them). URLs (feeds, sitemaps, OPML lists, front pages) are fetched politely; what they list is expanded (an OPML list
or a sitemap index to its sources, at most ``MAX_DEPTH`` levels), and each listed page that the
store has not got is fetched and turned into a record exactly as the HTML reader does
(``document_from_html``), then all records flow through ``Pipeline.ingest_records`` as a lazy
stream, so pages are stored batch by batch while later ones are still being fetched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..ingest import ReadOptions, iter_documents
from ..ingest.decoding import DecodeError, declared_charset, decode
from ..ingest.html import document_from_html
from ..model import IngestError, RawDocument
from .archive import WarcArchive
from .fetch import Fetched, PoliteClient
from .sources import Item, read_listing
from .refetch import RefetchPolicy, refetch_due
from .state import CrawlState, now_stamp
from .urls import canonical

#: How deep OPML lists and sitemap indexes are followed (a list of lists of feeds is the most seen).
MAX_DEPTH = 3
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
#: Fetch failures after which a page is given up for good (others are retried next pass).
_FINAL_ERRORS = {"robots": "robots", "too_large": "too_large"}


@dataclass
class WatchReport:
    """What one pass did, beside the ``IngestReport`` of the records it produced."""

    sources_checked: int = 0
    not_modified: int = 0
    pages_fetched: int = 0
    pages_known: int = 0  # listed, but already stored or given up
    pages_refetched: int = 0  # stored pages fetched again (``refetch``)
    revisions: int = 0  # of those, new versions found
    deleted: int = 0  # of those, gone (404/410)
    source_errors: list[str] = field(default_factory=list)
    ingest: Any = None
    revised: list[Any] = field(default_factory=list)  # alerts.ArticleRevised of known pages that changed
    alerts: Any = None  # what the after-pass hook (the alerter) reported

    def to_json(self) -> dict[str, Any]:
        out = {"sources_checked": self.sources_checked, "not_modified": self.not_modified,
               "pages_fetched": self.pages_fetched, "pages_known": self.pages_known,
               "pages_refetched": self.pages_refetched, "revisions": self.revisions, "deleted": self.deleted,
               "source_errors": list(self.source_errors)}
        if self.ingest is not None:
            out["ingest"] = self.ingest.to_json()
        if self.alerts is not None:
            out["alerts"] = self.alerts.to_json()
        return out


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def page_record(url: str, got: Fetched, item: Item, options: ReadOptions) -> RawDocument | IngestError:
    """A fetched page → the record the HTML reader would make of the same bytes saved as a file."""
    mime = got.content_type.split(";", 1)[0].strip().lower()
    if mime not in _HTML_TYPES:
        return IngestError(url, f"page is {mime}, not HTML", kind="unsupported")
    try:
        decoded = decode(got.body, declared=declared_charset(got.content_type.encode("latin-1", "replace"))
                         or declared_charset(got.body[:4096]))
    except DecodeError as exc:
        return IngestError(url, exc.message, kind=exc.kind)
    meta = {"url": url, "title": item.title, "published": item.published, "outlet": item.outlet}
    return document_from_html(decoded.text, source_path=url, record_key="", fmt="html", meta=meta,
                              max_chars=options.max_html_chars, encoding=decoded.encoding)


class Watcher:
    """Holds what outlives one pass: the pipeline, the polite client and the crawl state."""

    def __init__(self, pipeline: Any, client: PoliteClient, options: ReadOptions | None = None,
                 archive: WarcArchive | None = None, refetch: RefetchPolicy | None = None,
                 after_pass: Callable[[WatchReport], Any] | None = None) -> None:
        self.pipeline = pipeline
        self.after_pass = after_pass  # e.g. the alerter: runs on what the pass stored and revised
        self.client = client
        self.options = options or ReadOptions()
        self.archive = archive
        self.refetch = refetch or RefetchPolicy()
        self.state = CrawlState(pipeline.repo)

    def run_once(self, sources: list[str]) -> WatchReport:
        report = WatchReport()
        report.ingest = self.pipeline.ingest_records(self._records(sources, report))
        if self.after_pass is not None:
            report.alerts = self.after_pass(report)
        return report

    def _records(self, sources: list[str], report: WatchReport) -> Iterator[RawDocument | IngestError]:
        local = [s for s in sources if not is_url(s) and not _is_opml_file(s)]
        if local:
            yield from iter_documents(local, self.options)
        seen: set[str] = set()
        for source in sources:
            if is_url(source):
                yield from self._source(source, report, seen, 0)
            elif _is_opml_file(source):
                listing = read_listing(Path(source).read_bytes())
                if listing.error:
                    report.source_errors.append(f"{source}: {listing.error}")
                    yield IngestError(source, listing.error, kind="parse")
                for child in listing.sources:
                    yield from self._source(child, report, seen, 1)
        yield from refetch_due(self, report)

    def _source(self, url: str, report: WatchReport, seen: set[str], depth: int) -> Iterator[RawDocument | IngestError]:
        key = canonical(url)
        if key is None or key in seen or depth > MAX_DEPTH:
            return
        seen.add(key)
        report.sources_checked += 1
        known = self.state.source(key)
        got = self.client.get(key, etag=known.etag, last_modified=known.last_modified)
        if got.not_modified:
            report.not_modified += 1
            self.state.source_checked(key)
            return
        listing = read_listing(got.body, got.url) if got.ok else None
        error = (f"{got.error}: {got.detail}" if got.error else None) or (listing.error if listing else None)
        if error or listing is None:
            error = error or "no answer"
            report.source_errors.append(f"{key}: {error}")
            self.state.source_checked(key, error=error)
            yield IngestError(key, f"source not read: {error}", kind="fetch")
            return
        # Validators are saved only after the items are handled: a pass killed midway re-reads
        # the source instead of taking a 304 for "nothing new".
        for child in listing.sources:
            yield from self._source(child, report, seen, depth + 1)
        for item in listing.items:
            yield from self._page(item, key, report)
        self.state.source_checked(key, etag=got.etag, last_modified=got.last_modified)

    def _page(self, item: Item, source: str, report: WatchReport) -> Iterator[RawDocument | IngestError]:
        url = item.url
        if self.state.page_done(url) or self.pipeline.repo.has_source(url, ""):
            report.pages_known += 1
            return
        got = self.client.get(url)
        report.pages_fetched += 1
        if got.error:
            status = _FINAL_ERRORS.get(got.error, "failed")
            if got.status in (404, 410):
                status = "gone"
            self.state.page_fetched(url, source, status, got.status or None)
            kind = "too_large" if got.error == "too_large" else "fetch"
            yield IngestError(url, f"page not fetched: {got.error}: {got.detail}", kind=kind)
            return
        warc = self.archive.write(got) if self.archive is not None else None
        record = page_record(url, got, item, self.options)
        status = "fetched" if isinstance(record, RawDocument) else record.kind
        if warc is not None and isinstance(record, RawDocument):
            record.extra["warc_file"], record.extra["warc_record"] = warc
        if isinstance(record, RawDocument):  # its first version (``refetch`` finds later ones)
            record.extra["watch"] = {"fetched_at": now_stamp(), "page_title": record.extra.get("page_title"),
                                     "warc_file": warc[0] if warc else None, "warc_record": warc[1] if warc else None}
        meta = {"title": item.title, "published": item.published, "outlet": item.outlet}
        self.state.page_fetched(url, source, status, got.status, got.body, warc, etag=got.etag,
                                last_modified=got.last_modified, meta=meta)
        yield record


def _is_opml_file(source: str) -> bool:
    path = Path(source)
    if path.suffix.lower() == ".opml":
        return path.is_file()
    if not path.is_file():
        return False
    with open(path, "rb") as fh:
        head = fh.read(512).lower()
    return b"<opml" in head
