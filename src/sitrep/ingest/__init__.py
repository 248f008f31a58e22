"""Readers: input paths in, ``RawDocument`` (or ``IngestError``) records out, one at a time.

``iter_documents`` is the whole public surface the pipeline needs. A small registry
(``registry.py``) picks a reader per file by name and, where the name says nothing or misleads, by
sniffing the first bytes. Readers stream, and every failure is a record, never an exception, so one
bad file or line never stops the others.

Offsets: ``RawDocument.text`` is the text exactly as decoded (no Unicode or line-end
normalisation), except that a ``.txt`` front-matter block is cut off (its length is in
``extra["front_matter_chars"]``) and HTML is replaced by its extracted main text.

``record_key`` says where a record sits in its file: ``""`` for a whole file, ``line:N`` (JSON
Lines), ``item:N`` (JSON array, from 0), the entry id or ``entry:N`` (feeds), the WARC-Record-ID.

File names that are not valid UTF-8 are escaped (``pathnames.path_text``) in every record's
``source_path`` and in error messages, here at the edge, so no later stage (the store, the CLI,
JSON output) ever sees the lone surrogates Python uses for such bytes.

``IngestError.kind`` is one of: ``missing``, ``symlink``, ``unreadable``, ``unsupported`` (no
reader fits), ``empty``, ``binary``, ``encoding`` (no codec fits; or, just before the record it
concerns, a warning that bytes were read as U+FFFD), ``too_large``, ``parse`` (does not parse),
``truncated`` (a stream ends early; what came before is kept), ``no_text`` (a record or page with
no text), ``error`` (a reader bug, caught so the run goes on).

Size limits (``ReadOptions``) keep every record's cost bounded: a file read whole over
``max_bytes``, a streamed record over ``max_record_bytes``, HTML markup over ``max_html_chars``
and a record's text over ``max_text_chars`` (checked in ``read_path`` for every reader) are
``too_large`` errors, and the other records of the file still load.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..model import IngestError, RawDocument
from .decoding import DecodeError, decode, decode_bytes
from .options import FIELD_NAMES, ReadOptions
from .pathnames import path_bytes, path_text
from .paths import expand_paths
from .registry import EXTENSIONS, READERS, choose_reader, read_path, sniff


def iter_documents(paths: Iterable[str | Path] | str | Path,
                   options: ReadOptions | None = None) -> Iterator[RawDocument | IngestError]:
    """Every record in ``paths`` (files or folders, folders recursively in sorted order)."""
    options = options or ReadOptions()
    for item in expand_paths(paths, options):
        if isinstance(item, IngestError):
            yield _printable_names(item)
        else:
            for record in read_path(item, options):
                yield _printable_names(record)


def _printable_names(item: RawDocument | IngestError) -> RawDocument | IngestError:
    """The record with its file name (and an error's message, which may quote it) escaped."""
    item.source_path = path_text(item.source_path)
    if isinstance(item, IngestError):
        item.message = path_text(item.message)
    return item


def count_inputs(paths: Iterable[str | Path] | str | Path, options: ReadOptions | None = None) -> int:
    """How many files ``iter_documents`` will open (cheap: walks names, reads nothing)."""
    return sum(1 for item in expand_paths(paths, options) if isinstance(item, Path))


__all__ = [
    "DecodeError",
    "EXTENSIONS",
    "FIELD_NAMES",
    "READERS",
    "ReadOptions",
    "choose_reader",
    "count_inputs",
    "decode",
    "decode_bytes",
    "expand_paths",
    "iter_documents",
    "path_bytes",
    "path_text",
    "sniff",
]
