"""Readers: input paths in, ``RawDocument`` (or ``IngestError``) records out, one at a time.

A small registry picks a reader by file name and, where the name says nothing, by sniffing the
first bytes. Every reader streams, and every failure is a record, never an exception, so one
bad file or line never stops the others.
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..model import IngestError, RawDocument
from .feeds import read_feed
from .html import read_html
from .options import ReadOptions
from .records import read_json, read_jsonl
from .text import read_text
from .warc import read_warc

Reader = Callable[[Path, ReadOptions], Iterator["RawDocument | IngestError"]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".ndjson.gz": read_jsonl,
    ".json": read_json,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".arc.gz": read_warc,
}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return ""


def sniff(path: Path) -> Reader | None:
    """Choose a reader from the first bytes, for files whose names say nothing."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as fh:
                head = fh.read(2048)
            if head.startswith(b"WARC/"):
                return read_warc
            return read_jsonl if head.lstrip()[:1] == b"{" else None
    except (OSError, EOFError):
        return None
    s = head.lstrip().lower()
    if s.startswith(b"warc/"):
        return read_warc
    if s[:1] in (b"{", b"["):
        return read_json
    if s.startswith(b"<?xml") or s.startswith(b"<rss") or s.startswith(b"<feed"):
        return read_feed if (b"<rss" in s or b"<feed" in s or b"<rdf" in s) else read_html
    if s.startswith(b"<!doctype html") or s.startswith(b"<html"):
        return read_html
    return None


def reader_for(path: Path) -> Reader | None:
    reader = READERS.get(_suffix(path))
    if reader is read_feed and path.suffix.lower() == ".xml":
        return sniff(path) or read_feed
    return reader or sniff(path)


def _is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(".meta.json")


def iter_files(paths: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Path | IngestError]:
    options = options or ReadOptions()
    for p in paths:
        path = Path(p)
        if path.is_symlink() and not options.follow_symlinks:
            yield IngestError(str(path), "is a symbolic link (use --follow-symlinks to read it)", kind="symlink")
            continue
        if not path.exists():
            yield IngestError(str(path), "path does not exist", kind="missing")
            continue
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not _is_sidecar(child) and not child.name.startswith("."):
                    if child.is_symlink() and not options.follow_symlinks:
                        continue
                    yield child
        else:
            yield path


def count_inputs(paths: Iterable[str | Path], options: ReadOptions | None = None) -> int:
    return sum(1 for item in iter_files(paths, options) if isinstance(item, Path))


def iter_documents(paths: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[RawDocument | IngestError]:
    options = options or ReadOptions()
    for item in iter_files(paths, options):
        if isinstance(item, IngestError):
            yield item
            continue
        reader = reader_for(item)
        if reader is None:
            yield IngestError(str(item), "unsupported file type (expected txt, html, json, jsonl[.gz], rss, atom, warc)",
                              kind="unsupported")
            continue
        try:
            yield from reader(item, options)
        except Exception as exc:  # a reader bug must not stop the run; it is recorded like bad input
            yield IngestError(str(item), f"reader failed: {type(exc).__name__}: {exc}", kind="reader")


__all__ = ["ReadOptions", "iter_documents", "iter_files", "count_inputs", "reader_for", "READERS"]
