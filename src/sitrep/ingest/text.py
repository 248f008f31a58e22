"""Plain-text articles, with metadata from a sidecar file or a front-matter block.

Front matter (``---`` lines around ``key: value`` pairs at the top) is cut from the text, so the
offsets of a ``.txt`` article count from the first character after the closing ``---`` line;
``extra["front_matter_chars"]`` says how many characters were cut, to map back to the file.
When both are present the sidecar wins over the front matter (it is the collector's own record).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..model import IngestError, RawDocument
from .decoding import DecodeError, decode
from .options import MAX_BYTES_PER_CHAR, ReadOptions, limit_name
from .sidecar import MAX_FRONT_CHARS, read_bytes, read_sidecar, split_front_matter


def document_from_meta(source_path: str, record_key: str, text: str, fmt: str, meta: dict[str, Any],
                       **kwargs: Any) -> RawDocument:
    """A ``RawDocument`` from our metadata keys; ``source_id`` is the record's id, else its URL."""
    return RawDocument(
        source_path=source_path,
        record_key=record_key,
        text=text,
        format=fmt,
        source_id=meta.get("id") or meta.get("url"),
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        title=meta.get("title"),
        published=meta.get("published"),
        **kwargs,
    )


def read_text(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """One ``.txt`` file → one document (or one error saying why not)."""
    try:
        data = read_bytes(path, options.max_bytes)
        if len(data) > MAX_BYTES_PER_CHAR * (options.text_limit + MAX_FRONT_CHARS):
            raise DecodeError("too_large", f"file is {len(data):,} bytes, more than any encoding of the "
                              f"{options.text_limit:,}-character limit ({limit_name(options)})")
        decoded = decode(data)
    except DecodeError as exc:
        yield IngestError(str(path), exc.message, kind=exc.kind)
        return
    front, front_other, body, cut = split_front_matter(decoded.text)
    if not body.strip():
        yield IngestError(str(path), "no text after the front matter", kind="empty")
        return
    if decoded.warning:
        yield IngestError(str(path), decoded.warning, kind="encoding")
    side = read_sidecar(path)
    if isinstance(side, IngestError):
        yield side
        side = {}
    meta = {**front, **side}
    extra: dict[str, Any] = {}
    if cut:
        extra["front_matter_chars"] = cut
    if front_other:
        extra["front_matter"] = front_other
    if side.get("_other"):
        extra["sidecar"] = side["_other"]
    yield document_from_meta(str(path), "", body, "txt", meta, encoding=decoded.encoding, extra=extra)
