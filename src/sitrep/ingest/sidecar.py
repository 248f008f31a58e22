"""Metadata that travels beside or above a text: ``NAME.meta.json`` sidecars, front matter, and
bounded whole-file reads.

Metadata given this way is what the publisher or collector said, so it always wins over anything
later stages infer; we keep it as given (strings), and leave the parsing of dates to them.
"""
from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import Any

from ..model import IngestError
from .decoding import DecodeError

META_KEYS = ("id", "url", "outlet", "title", "published")
# Names other tools write for our keys (Jekyll/Hugo front matter, newspaper exports).
META_ALIASES = {"date": "published", "source": "outlet", "link": "url", "headline": "title"}
GZIP_MAGIC = b"\x1f\x8b"

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_LINE = re.compile(r"^\s*([A-Za-z_][\w.-]*)\s*:\s?(.*)$")
MAX_FRONT_CHARS = 16_384


def read_bytes(path: Path, limit: int) -> bytes:
    """The whole file, or ``DecodeError('too_large')`` without reading when it is over ``limit``.

    A gzip file is inflated up to ``limit`` + 1 bytes, so a small bomb cannot fill memory.
    """
    size = path.stat().st_size
    if size > limit:
        raise DecodeError("too_large", f"file is {size:,} bytes, over the {limit:,}-byte limit (max_bytes)")
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if data[:2] == GZIP_MAGIC:
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(limit + 1)
        except (EOFError, OSError, zlib.error) as exc:
            raise DecodeError("truncated", f"gzip stream is truncated or corrupt: {exc}") from exc
        if len(data) > limit:
            raise DecodeError("too_large", f"inflates to over the {limit:,}-byte limit (max_bytes)")
    return data


def _clean_value(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def split_front_matter(text: str) -> tuple[dict[str, str], dict[str, str], str, int]:
    """Split a ``---`` / ``key: value`` / ``---`` block off the top of ``text``.

    Returns (metadata under our keys, other keys, the text after the block, characters removed).
    A block only counts when every non-blank line in it is ``key: value`` or a ``#`` comment and
    at least one key is ours, so a report that merely opens with a horizontal rule (or a boxed
    "Note: ..." line) keeps its text.
    """
    match = _FRONT.match(text)
    if not match or len(match.group(1)) > MAX_FRONT_CHARS:
        return {}, {}, text, 0
    meta: dict[str, str] = {}
    other: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kv = _FRONT_LINE.match(line)
        if not kv:
            return {}, {}, text, 0
        key = kv.group(1).lower()
        value = kv.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        key = META_ALIASES.get(key, key)
        if not value:
            continue
        if key in META_KEYS:
            meta.setdefault(key, value)
        else:
            other[key] = value
    if not meta:
        return {}, {}, text, 0  # "---\nNote: ...\n---" with none of our keys is part of the report
    return meta, other, text[match.end():], match.end()


def sidecar_paths(path: Path) -> list[Path]:
    """Where a sidecar for ``path`` may live: ``NAME.meta.json`` and ``NAME.ext.meta.json``."""
    stem = path.name[: -len(".gz")] if path.name.lower().endswith(".gz") else path.name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return [path.with_name(stem + ".meta.json"), path.with_name(path.name + ".meta.json")]


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(".meta.json")


def read_sidecar(path: Path) -> dict[str, Any] | IngestError:
    """Metadata from the sidecar beside ``path`` ({} when there is none).

    Our keys come back as strings under ``META_KEYS``; anything else the sidecar holds is kept
    under ``"_other"`` so no information is dropped.
    """
    for side in sidecar_paths(path):
        if side.is_file():
            break
    else:
        return {}
    try:
        data = json.loads(side.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return IngestError(str(side), f"sidecar metadata does not parse: {exc}", record_key="meta", kind="parse")
    if not isinstance(data, dict):
        return IngestError(str(side), "sidecar metadata must be a JSON object", record_key="meta", kind="parse")
    meta: dict[str, Any] = {}
    other: dict[str, Any] = {}
    for key, value in data.items():
        ours = META_ALIASES.get(str(key).lower(), str(key).lower())
        if ours in META_KEYS:
            if _clean_value(value) is not None and ours not in meta:
                meta[ours] = _clean_value(value)
        elif isinstance(value, (str, int, float, bool)) or value is None:
            other[str(key)] = value
    if other:
        meta["_other"] = other
    return meta
