"""JSON Lines (plain or gzipped) and JSON files of article records.

JSON Lines stream one line at a time, so a 5 GB file costs one record of memory; a line longer
than ``max_record_bytes`` is skipped without being held. A JSON file holding an array is decoded
item by item from a sliding buffer for the same reason. Blank lines cost nothing (a gzip bomb
of newlines is also stopped by the inflate bounds of ``streams.py``), and a stream that opens
with a UTF-16 or UTF-32 byte-order mark is decoded as a whole before it is split into lines.
A line or item that does not parse is reported with its number, and the others still load.
When a gzip stream ends early, the records before the break are kept and one error names the
line where reading stopped.

A record has ``text`` or ``html`` plus metadata (``id``, ``url``, ``outlet``, ``title``,
``published`` by default; ``ReadOptions.fields`` renames them). Other scalar fields are kept in
``extra["fields"]``.
"""
from __future__ import annotations

import io
import json
import zlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Iterator

from ..model import IngestError, RawDocument
from .decoding import DecodeError, Decoded, decode, looks_binary
from .html import document_from_html
from .options import FIELD_NAMES, ReadOptions
from .sidecar import read_bytes
from .streams import InflateLimit, LineReader
from .streams import open_stream as _open_bounded
from .text import document_from_meta

_CHUNK = 1 << 16
_STREAM_ERRORS = (EOFError, OSError, zlib.error)


def open_stream(path: Path, options: ReadOptions | None = None) -> io.BufferedReader:
    """A binary stream of the file's content: inflated under ``options``' bounds when it starts
    with the gzip magic (whatever its name says), UTF-8 when it opens with a UTF-16/32 BOM."""
    options = options or ReadOptions()
    return _open_bounded(path, options.max_inflated_bytes, options.max_inflate_ratio)


def lookup(obj: dict[str, Any], name: str) -> Any:
    """``obj[name]``, or a nested value for a dotted name (``"meta.published"``)."""
    if name in obj:
        return obj[name]
    value: Any = obj
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _published(value: Any) -> str | None:
    """A record's publication time as given; a Unix timestamp (seconds or milliseconds, as many
    exports write it) becomes an ISO 8601 UTC date-time so later stages see one shape."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        if 0 < seconds < 4e9:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    return _as_str(value)


@lru_cache(maxsize=32)
def _field_names(mapping: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], frozenset[str]]:
    """Our names → the input's names, and the input's top-level keys they use (worked out once
    per mapping, not per record)."""
    given = dict(mapping)
    names = {name: given.get(name, name) for name in FIELD_NAMES}
    return names, frozenset(n.split(".")[0] for n in names.values())


def record_to_document(obj: Any, *, source_path: str, record_key: str, line: int | None, fmt: str,
                       options: ReadOptions) -> RawDocument | IngestError:
    """One decoded JSON value → a document, honouring the field-name mapping."""
    if not isinstance(obj, dict):
        return IngestError(source_path, f"record is a JSON {type(obj).__name__}, not an object",
                           record_key=record_key, line=line, kind="parse")
    names, used = _field_names(tuple(sorted(options.fields.items())))
    meta = {name: _as_str(lookup(obj, names[name])) for name in ("id", "url", "outlet", "title")}
    meta["published"] = _published(lookup(obj, names["published"]))
    others = {k: v for k, v in obj.items() if k not in used and isinstance(v, (str, int, float, bool))}
    extra = {"fields": others} if others else {}
    text = lookup(obj, names["text"])
    html = lookup(obj, names["html"])
    f = options.field
    if isinstance(text, str) and text.strip():
        return document_from_meta(source_path, record_key, text, fmt, meta, extra=extra)
    if isinstance(html, str) and html.strip():
        return document_from_html(html, source_path=source_path, record_key=record_key, fmt=fmt, meta=meta,
                                  line=line, max_chars=options.max_html_chars, extra=extra)
    return IngestError(source_path, f"record has no text: neither '{f('text')}' nor '{f('html')}' holds any",
                       record_key=record_key, line=line, kind="no_text")


def _decode_line(raw: bytes, first: bool) -> Decoded:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return decode(raw)  # legacy encodings happen in hand-made exports


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """One document per line; bad lines become errors with their line number."""
    source = str(path)
    lines: LineReader | None = None
    seen_any = False
    limit = options.max_record_bytes
    try:
        with open_stream(path, options) as fh:
            if looks_binary(fh.peek(8192)[:8192]):
                yield IngestError(source, "binary content (NUL or control bytes), not JSON Lines", kind="binary")
                return
            lines = LineReader(fh, limit)
            while (got := lines.next_line()) is not None:
                lineno, raw = got
                key = f"line:{lineno}"
                seen_any = True
                if len(raw) > limit and not raw.endswith(b"\n"):
                    yield IngestError(source, f"record is over the {limit:,}-byte limit (max_record_bytes)",
                                      record_key=key, line=lineno, kind="too_large")
                    continue
                try:
                    decoded = _decode_line(raw, lineno == 1)
                    obj = json.loads(decoded.text)
                except DecodeError as exc:
                    yield IngestError(source, exc.message, record_key=key, line=lineno, kind=exc.kind)
                    continue
                except json.JSONDecodeError as exc:
                    yield IngestError(source, f"line is not valid JSON: {exc.msg} (column {exc.colno})",
                                      record_key=key, line=lineno, kind="parse")
                    continue
                except RecursionError:
                    yield IngestError(source, "line is not valid JSON: nested too deeply", record_key=key,
                                      line=lineno, kind="parse")
                    continue
                if decoded.warning:
                    yield IngestError(source, decoded.warning, record_key=key, line=lineno, kind="encoding")
                yield record_to_document(obj, source_path=source, record_key=key, line=lineno, fmt="jsonl",
                                         options=options)
    except InflateLimit as exc:
        yield _stopped(source, lines, "too_large", "{exc}; reading stopped after line {lineno}", exc=exc)
        return
    except UnicodeDecodeError as exc:
        yield _stopped(source, lines, "encoding", "byte-order mark says {exc.encoding} but the bytes after line "
                       "{lineno} do not decode ({exc.reason}); the rest of the file is lost", exc=exc)
        return
    except _STREAM_ERRORS as exc:
        yield _stopped(source, lines, "truncated", "stream is truncated or corrupt after line {lineno}; the rest "
                       "of the file is lost ({name}: {exc})", exc=exc, name=type(exc).__name__)
        return
    if not seen_any:
        lineno = lines.lineno if lines else 0
        yield IngestError(source, "file is empty" if lineno == 0 else "file holds only blank lines", kind="empty")



def _stopped(source: str, lines: LineReader | None, kind: str, message: str, **fields: Any) -> IngestError:
    """The error of a stream that stopped mid-file: it names the first line not read, so the
    records before it (already yielded) stay in and the message says where the rest was lost."""
    lineno = lines.lineno if lines else 0
    return IngestError(source, message.format(lineno=lineno, **fields), record_key=f"line:{lineno + 1}",
                       line=lineno + 1, kind=kind)


class _ArrayError(ValueError):
    def __init__(self, message: str, kind: str = "parse") -> None:
        super().__init__(message)
        self.kind = kind


def iter_json_array(fh: IO[str], max_item_chars: int, chunk: int = _CHUNK) -> Iterator[Any]:
    """Decode the items of a top-level JSON array one at a time, holding at most one item plus
    one chunk of text. Raises ``_ArrayError`` at the first item that does not parse."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    eof = False

    def fill(size: int = chunk) -> bool:
        nonlocal buf, pos, eof
        more = fh.read(size)
        if not more:
            eof = True
            return False
        buf = buf[pos:] + more
        pos = 0
        return True

    def skip(chars: str) -> str:
        """Skip whitespace and ``chars``; return the next character ('' at the end of input)."""
        nonlocal pos
        while True:
            while pos < len(buf) and (buf[pos].isspace() or buf[pos] in chars):
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not fill():
                return ""

    if skip("") != "[":
        raise _ArrayError("expected a JSON array")
    pos += 1
    index = 0
    while True:
        nxt = skip(",")
        if nxt == "":
            raise _ArrayError(f"array is not closed after item {index} (file truncated?)", kind="truncated")
        if nxt == "]":
            return
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if len(buf) - pos > max_item_chars:
                    raise _ArrayError(f"item {index} is over the record size limit", kind="too_large") from exc
                # Read as much again as the item so far, so a big item is re-parsed O(log n) times.
                if eof or not fill(max(chunk, len(buf) - pos)):
                    raise _ArrayError(f"item {index} is not valid JSON: {exc.msg}") from exc
                continue
            if end == len(buf) and not eof and fill():
                continue  # a number or literal may go on in the next chunk
            break
        pos = end
        yield obj
        index += 1


def _records_in_object(obj: dict[str, Any], options: ReadOptions) -> list[Any] | None:
    """The record list of a wrapper object (``{"articles": [...]}``) that is not itself a record."""
    if lookup(obj, options.field("text")) is not None or lookup(obj, options.field("html")) is not None:
        return None
    lists = [v for v in obj.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
    return lists[0] if len(lists) == 1 else None


def _first_line_is_record(head: bytes) -> bool:
    """True for JSON Lines saved as ``.json``: the first line alone is a whole object and more follows."""
    first, _, rest = head.lstrip().partition(b"\n")
    if not rest.strip():
        return False
    try:
        return isinstance(json.loads(first.decode("utf-8-sig", "replace")), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def read_json(path: Path, options: ReadOptions) -> Iterator[RawDocument | IngestError]:
    """A JSON object (one record, or a wrapper around a list of records) or an array of records."""
    source = str(path)
    try:
        with open_stream(path, options) as fh:
            head = fh.read(_CHUNK)
    except (InflateLimit, UnicodeDecodeError) as exc:
        yield IngestError(source, f"cannot read: {exc}", kind="too_large" if isinstance(exc, InflateLimit)
                          else "encoding")
        return
    except _STREAM_ERRORS as exc:
        yield IngestError(source, f"cannot read: {exc}", kind="truncated")
        return
    start = head.lstrip().lstrip(b"\xef\xbb\xbf").lstrip()
    if not start:
        yield IngestError(source, "file is empty", kind="empty")
        return
    if looks_binary(head):
        yield IngestError(source, "binary content (NUL or control bytes), not JSON", kind="binary")
        return
    if start[:1] == b"[":
        count = 0
        try:
            with open_stream(path, options) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")
                for obj in iter_json_array(text, options.max_record_bytes):
                    yield record_to_document(obj, source_path=source, record_key=f"item:{count}", line=None,
                                             fmt="json", options=options)
                    count += 1
        except _ArrayError as exc:
            yield IngestError(source, str(exc), record_key=f"item:{count}", kind=exc.kind)
        except UnicodeDecodeError as exc:
            yield IngestError(source, f"JSON array is not UTF-8: {exc}", kind="encoding")
        except InflateLimit as exc:
            yield IngestError(source, f"{exc}; reading stopped after item {count}", record_key=f"item:{count}",
                              kind="too_large")
        except RecursionError:
            yield IngestError(source, "JSON array nests too deeply", kind="parse")
        except _STREAM_ERRORS as exc:
            yield IngestError(source, f"stream is truncated or corrupt in the array: {exc}", kind="truncated")
        return
    if _first_line_is_record(head):
        yield from read_jsonl(path, options)  # JSON Lines under a .json name; streams any size
        return
    try:
        decoded = decode(read_bytes(path, options.max_bytes))
        obj = json.loads(decoded.text)
    except DecodeError as exc:
        yield IngestError(source, exc.message, kind=exc.kind)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            yield from read_jsonl(path, options)  # several objects, one per (long) line
            return
        yield IngestError(source, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          line=exc.lineno, kind="parse")
        return
    except RecursionError:
        yield IngestError(source, "not valid JSON: nested too deeply", kind="parse")
        return
    if decoded.warning:
        yield IngestError(source, decoded.warning, kind="encoding")
    items = _records_in_object(obj, options) if isinstance(obj, dict) else None
    if items is not None:
        for index, item in enumerate(items):
            yield record_to_document(item, source_path=source, record_key=f"item:{index}", line=None, fmt="json",
                                     options=options)
        return
    yield record_to_document(obj, source_path=source, record_key="", line=None, fmt="json", options=options)
