"""WARC files (plain or gzipped), the format web crawls come in: each HTML response record."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import IngestError, RawDocument
from .decoding import DecodeError, decode
from .html import raw_from_html
from .options import ReadOptions


def read_warc(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    n = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                n += 1
                rid = record.rec_headers.get_header("WARC-Record-ID") or f"record:{n}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read(options.max_record_bytes + 1)
                if len(payload) > options.max_record_bytes:
                    yield IngestError(str(path), f"record {url} is over the {options.max_record_bytes:,}-byte limit",
                                      record_key=rid, kind="too_large")
                    continue
                try:
                    html = decode(payload).text
                except DecodeError as exc:
                    yield IngestError(str(path), f"record {url}: {exc}", record_key=rid, kind=exc.kind)
                    continue
                doc = raw_from_html(html, source_path=str(path), record_key=rid, fmt="warc", url=url)
                if isinstance(doc, RawDocument):
                    doc.extra["warc_date"] = record.rec_headers.get_header("WARC-Date")
                yield doc
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield IngestError(str(path), f"WARC is truncated or corrupt after {n} HTML records: {exc}",
                          record_key=f"record:{n + 1}", kind="truncated")
