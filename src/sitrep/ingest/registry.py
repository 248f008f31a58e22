"""Which reader reads a file: by name first, by its first bytes where the name is silent or lies.

Collections are messy: crawls saved as ``.txt``, feeds saved as ``.html``, JSON Lines named
``.json``, gzip without ``.gz``. A few strong signatures in the first bytes (gzip magic, ``WARC/1.``,
an XML prolog with an ``<rss>``/``<feed>`` root, an ``<html>`` root, ``{``/``[``) override or fill in
for the extension; weak evidence never overrides it (a ``.txt`` report that opens with ``{`` stays
text). A file no reader claims is an ``unsupported`` error, not a guess.
"""
from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..model import IngestError, RawDocument
from .decoding import looks_binary
from .feeds import read_feed
from .html import read_html
from .options import ReadOptions, limit_name
from .records import read_json, read_jsonl
from .sidecar import GZIP_MAGIC
from .text import read_text
from .warc import read_warc

ReadFn = Callable[[Path, ReadOptions], Iterator["RawDocument | IngestError"]]


@dataclass(frozen=True)
class Reader:
    name: str  # txt, html, json, jsonl, feed, warc
    read: ReadFn


READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        Reader("txt", read_text),
        Reader("html", read_html),
        Reader("json", read_json),
        Reader("jsonl", read_jsonl),
        Reader("feed", read_feed),
        Reader("warc", read_warc),
    )
}

#: File-name endings → reader name. ``xml`` is decided by content (a feed, or unsupported).
EXTENSIONS: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".json": "json",
    ".rss": "feed", ".atom": "feed", ".xml": "xml",
    ".warc": "warc", ".arc": "warc",
}
_HEAD_BYTES = 4096
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!(?!doctype)[^>]*>", re.S | re.I)
_FIRST_TAG = re.compile(rb"<(!doctype\s+html|[a-z][\w:.-]*)", re.I)
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf"}


def name_format(path: Path) -> str | None:
    """The reader name a file's extension suggests (``.gz`` looked through), or None."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    return EXTENSIONS.get(suffix)


def read_head(path: Path, size: int = _HEAD_BYTES) -> tuple[bytes, bool]:
    """The first bytes of the file's content (inflated when gzipped) and whether it was gzipped."""
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head[:2] != GZIP_MAGIC:
        return head, False
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(size), True
    except (EOFError, OSError, zlib.error):
        return b"", True


def sniff(head: bytes) -> str | None:
    """The format strong signatures in ``head`` announce: warc, feed, html, json — or None."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"WARC/"):
        return "warc"
    if text[:1] in (b"{", b"["):
        return "json"
    if text[:1] != b"<":
        return None
    match = _FIRST_TAG.search(_PROLOG.sub(b"", text[:_HEAD_BYTES]))
    if not match:
        return None
    tag = match.group(1).lower()
    if tag in _FEED_ROOTS:
        return "feed"
    if tag.startswith(b"!doctype") or tag in (b"html", b"head", b"body"):
        return "html"
    return None


def choose_reader(path: Path) -> Reader | str:
    """The reader for ``path``, or a one-line reason why none fits."""
    by_name = name_format(path)
    head, gzipped = read_head(path)
    sniffed = sniff(head)
    if sniffed == "warc" or by_name == "warc":
        return READERS["warc"]
    if sniffed in ("feed", "html") and by_name != "feed":
        return READERS[sniffed]  # markup wins over a .txt/.json name or no name
    if by_name == "xml":
        return READERS["feed"] if sniffed == "feed" else "XML file that is not an RSS or Atom feed"
    if by_name is not None:
        return READERS[by_name]
    if sniffed == "json":
        return READERS["json"]
    what = "binary content" if looks_binary(head) else "no known signature in its first bytes"
    kind = "gzip file" if gzipped else f"'{path.suffix or path.name}' file"
    return f"unsupported {kind}: {what} (expected txt, html, json, jsonl, rss, atom, warc)"


def too_long(doc: RawDocument, limit: int, which: str = "max_text_chars") -> IngestError:
    """The ``too_large`` record for a document whose text is over ``limit`` characters.

    Checked here, once for every reader, so no format can hand the cleaning stage a text it
    would spend minutes on; the record's place (``line:N``) is kept so it can be found.
    """
    line = int(doc.record_key[5:]) if doc.record_key.startswith("line:") and doc.record_key[5:].isdigit() else None
    return IngestError(doc.source_path, f"text is {len(doc.text):,} characters, over the {limit:,}-character "
                       f"limit ({which})", record_key=doc.record_key, line=line, kind="too_large")


def read_path(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """Every record of one file; any failure, even a reader bug, becomes an ``IngestError``."""
    source = str(path)
    try:
        reader = choose_reader(path)
    except OSError as exc:
        yield IngestError(source, f"cannot open: {exc.strerror or exc}", kind="unreadable")
        return
    if isinstance(reader, str):
        yield IngestError(source, reader, kind="unsupported")
        return
    try:
        for item in reader.read(path, options):
            if isinstance(item, IngestError) and ("\n" in item.message or "\r" in item.message):
                item.message = " ".join(item.message.split())  # library messages can span lines
            elif isinstance(item, RawDocument) and len(item.text) > options.text_limit:
                item = too_long(item, options.text_limit, limit_name(options))
            yield item
    except PermissionError as exc:
        yield IngestError(source, f"cannot open: {exc.strerror or exc}", kind="unreadable")
    except Exception as exc:  # one bad file must not stop a run; it is recorded like bad input
        yield IngestError(source, f"{reader.name} reader failed: {type(exc).__name__}: {exc}", kind="error")
