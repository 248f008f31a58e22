"""WARC files (plain or gzipped), the format web crawls come in: one document per HTML page.

Each ``response`` (or ``resource``) record whose content type is HTML goes through the same
trafilatura extraction as an HTML file. The URL comes from ``WARC-Target-URI``. ``WARC-Date`` is
when the crawler fetched the page, not when it was published, so it is kept only as
``extra["warc_date"]`` — a latest-possible publication date for the date stage, never
``published``. The record id is the ``record_key``.

warcio streams the archive record by record; when it breaks off (a truncated download), the pages
read so far are kept and one error says after how many records reading stopped. That includes a
gzipped archive cut in the last bytes of a member, which warcio itself does not notice.
"""
from __future__ import annotations

import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator

from ..model import IngestError, RawDocument
from .decoding import DecodeError, declared_charset, decode
from .html import document_from_html
from .options import ReadOptions
from .records import open_stream
from .sidecar import GZIP_MAGIC

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_RECORDS = ("response", "resource")


class _QuietArchiveIterator(ArchiveIterator):
    """warcio, adjusted for a reader that must report every loss and print nothing.

    warcio writes a warning straight to stderr when a record's length is off by a few bytes (the
    record itself still reads), so that message is silenced. And when an archive ends in the middle
    of a record's headers or a gzip member, warcio stops as if the archive were complete;
    ``unread_tail`` finds the bytes it left behind, so the loss can be reported.
    """

    INC_RECORD = ""

    def unread_tail(self, fh) -> bool:
        """True when non-blank bytes follow the end of the last whole record."""
        fh.seek(self.offset)
        return bool(fh.read(4096).strip())


def _member_cut_short(fh, offset: int) -> bool:
    """True when the archive is gzipped and its last gzip member (at ``offset``) ends before its
    end-of-stream marker and trailer.

    warcio reads a member cut in its last bytes (the deflate end and the 8-byte trailer) without
    complaint, and the page in it is whole; but every member after it is gone without a trace.
    Inflating the last member once more (one record: bounded by ``max_record_bytes``-sized
    steps) is the only way to see that the archive ends early."""
    fh.seek(0)
    if fh.read(2) != GZIP_MAGIC:
        return False
    fh.seek(offset)
    inflater = zlib.decompressobj(31)
    while not inflater.eof and (chunk := fh.read(1 << 16)):
        inflater.decompress(chunk, 1 << 20)
        while inflater.unconsumed_tail and not inflater.eof:
            inflater.decompress(inflater.unconsumed_tail, 1 << 20)
    return not inflater.eof


def _content_type(record) -> str:
    if record.http_headers is not None:
        return record.http_headers.get_header("Content-Type") or ""
    return record.rec_headers.get_header("Content-Type") or ""


def _head(path: Path) -> bytes | None:
    """The first bytes of the archive's content (inflated), or None when they cannot be read."""
    try:
        with open_stream(path) as fh:
            return fh.read(64)
    except (EOFError, OSError, zlib.error, UnicodeDecodeError):
        return None


def _page(record, source: str, number: int, limit: int, max_chars: int) -> list[RawDocument | IngestError]:
    """The document of one archive record (after an ``encoding`` warning when bytes were
    replaced), an error, or nothing when the record is not an HTML page."""
    if record.rec_type not in _PAGE_RECORDS:
        return []
    ctype = _content_type(record)
    if not any(t in ctype.lower() for t in _HTML_TYPES):
        return []
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    if status and not status.startswith("2"):
        return []  # redirects and error pages are not reports
    rid = record.rec_headers.get_header("WARC-Record-ID") or f"record:{number}"
    url = record.rec_headers.get_header("WARC-Target-URI")
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        return [IngestError(source, f"page {url} is over the {limit:,}-byte limit (max_record_bytes)",
                            record_key=rid, kind="too_large")]
    try:
        decoded = decode(payload, declared=declared_charset(ctype.encode("latin-1", "ignore"))
                         or declared_charset(payload[:4096]))
    except DecodeError as exc:
        return [IngestError(source, f"page {url}: {exc.message}", record_key=rid, kind=exc.kind)]
    extra = {"warc_date": record.rec_headers.get_header("WARC-Date")}
    page = document_from_html(decoded.text, source_path=source, record_key=rid, fmt="warc", meta={"url": url},
                              max_chars=max_chars, encoding=decoded.encoding, extra=extra)
    if decoded.warning:
        return [IngestError(source, f"page {url}: {decoded.warning}", record_key=rid, kind="encoding"), page]
    return [page]


def read_warc(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """Each HTML page in the archive → a document; other records are passed over."""
    source = str(path)
    records = 0
    pages = 0
    head = _head(path)
    if head is not None and not head.strip():
        yield IngestError(source, "archive is empty" if not head else "archive holds only whitespace", kind="empty")
        return
    if head is None or not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        yield IngestError(source, "not a WARC archive: it does not start with a WARC/1.x (or ARC) header",
                          kind="parse")
        return
    truncated = "archive is truncated after {} whole records; the records before the cut are kept"
    try:
        with open(path, "rb") as fh:
            archive = _QuietArchiveIterator(fh)
            last_member = 0
            for record in archive:
                items = _page(record, source, records + 1, options.max_record_bytes, options.max_html_chars)
                archive.read_to_end()
                last_member = archive.get_record_offset()  # after reading: asking first reads the record away
                cut_short = getattr(record.raw_stream, "limit", 0) > 0
                if cut_short or not (record.rec_headers.get_header("Content-Length") or "").strip():
                    # The archive ended inside this record (its body, or its headers before the
                    # mandatory Content-Length): warcio hands back what there was.
                    yield IngestError(source, truncated.format(records), record_key=f"record:{records + 1}",
                                      kind="truncated")
                    return
                records += 1
                if items:
                    pages += 1
                    yield from items
            if archive.unread_tail(fh) or (records and _member_cut_short(fh, last_member)):
                yield IngestError(source, truncated.format(records), record_key=f"record:{records + 1}",
                                  kind="truncated")
                return
        if pages == 0:
            yield IngestError(source, f"archive holds no readable HTML pages ({records} records)", kind="no_text")
    except Exception as exc:  # warcio raises many types on a broken archive; all mean "stop here"
        if records == 0:
            yield IngestError(source, f"not a readable WARC archive: {type(exc).__name__}: {exc}", kind="parse")
        else:
            yield IngestError(source, f"archive is truncated or corrupt after {records} records; the rest is lost "
                              f"({type(exc).__name__}: {exc})", record_key=f"record:{records + 1}", kind="truncated")
