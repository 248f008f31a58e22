"""WARC files (plain or gzipped), the format web crawls come in: one document per HTML page.

Each ``response`` (or ``resource``) record whose content type is HTML goes through the same
trafilatura extraction as an HTML file. The URL comes from ``WARC-Target-URI``. ``WARC-Date`` is
when the crawler fetched the page, not when it was published, so it is kept only as
``extra["warc_date"]`` — a latest-possible publication date for the date stage, never
``published``. The record id is the ``record_key``.

warcio streams the archive record by record; when it breaks off (a truncated download), the pages
read so far are kept and one error says after how many records reading stopped.
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

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_RECORDS = ("response", "resource")


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a warning straight to stderr when a record's length is off by a few bytes;
    a reader must not write to the console, and the record itself still reads."""

    INC_RECORD = ""


def _content_type(record) -> str:
    if record.http_headers is not None:
        return record.http_headers.get_header("Content-Type") or ""
    return record.rec_headers.get_header("Content-Type") or ""


def _head(path: Path) -> bytes:
    try:
        with open_stream(path) as fh:
            return fh.read(64)
    except (EOFError, OSError, zlib.error):
        return b""


def read_warc(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """Each HTML page in the archive → a document; other records are passed over."""
    source = str(path)
    records = 0
    pages = 0
    limit = options.max_record_bytes
    head = _head(path)
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        yield IngestError(source, "not a WARC archive: it does not start with a WARC/1.x (or ARC) header",
                          kind="parse")
        return
    try:
        with open(path, "rb") as fh:
            for record in _QuietArchiveIterator(fh):
                records += 1
                if record.rec_type not in _PAGE_RECORDS:
                    continue
                ctype = _content_type(record)
                if not any(t in ctype.lower() for t in _HTML_TYPES):
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers is not None else None
                if status and not status.startswith("2"):
                    continue  # redirects and error pages are not reports
                pages += 1
                rid = record.rec_headers.get_header("WARC-Record-ID") or f"record:{records}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read(limit + 1)
                if len(payload) > limit:
                    yield IngestError(source, f"page {url} is over the {limit:,}-byte limit (max_record_bytes)",
                                      record_key=rid, kind="too_large")
                    continue
                if getattr(record.raw_stream, "limit", 0) > 0:
                    # The archive ended inside this record: warcio hands back what there was.
                    yield IngestError(source, f"archive is truncated inside record {records} ({url}); "
                                      "the records before it are kept", record_key=rid, kind="truncated")
                    return
                try:
                    decoded = decode(payload, declared=declared_charset(ctype.encode("latin-1", "ignore"))
                                     or declared_charset(payload[:4096]))
                except DecodeError as exc:
                    yield IngestError(source, f"page {url}: {exc.message}", record_key=rid, kind=exc.kind)
                    continue
                extra = {"warc_date": record.rec_headers.get_header("WARC-Date")}
                yield document_from_html(decoded.text, source_path=source, record_key=rid, fmt="warc",
                                         meta={"url": url}, encoding=decoded.encoding, extra=extra)
        if pages == 0:
            yield IngestError(source, f"archive holds no readable HTML pages ({records} records)", kind="no_text")
    except Exception as exc:  # warcio raises many types on a broken archive; all mean "stop here"
        if records == 0:
            yield IngestError(source, f"not a readable WARC archive: {type(exc).__name__}: {exc}", kind="parse")
        else:
            yield IngestError(source, f"archive is truncated or corrupt after {records} records; the rest is lost "
                              f"({type(exc).__name__}: {exc})", record_key=f"record:{records + 1}", kind="truncated")
