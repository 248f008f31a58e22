"""Learning an outlet's own boilerplate from the lines that recur across its documents.

Patterns catch the generic furniture of web pages; every site also has its own footer, slogan
or promo line that no pattern can foresee. Such lines repeat verbatim in most of one outlet's
reports while article text does not, so counting, per outlet, in how many documents each line
appears finds them. Counting is pure and in memory; the store persists it whole (``to_json``) or,
after each batch, only the counts that batch changed (``state_header``/``dirty_items``).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from sitrep.clean.normalise import normalise

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# Longer lines are article paragraphs, not furniture: they are neither counted nor removed, so
# several copies of one wire story under one outlet never erase each other's paragraphs.
MAX_WORDS = 40


def line_key(line: str) -> str:
    """Comparison key of a line: case-folded, whitespace collapsed, digit runs wildcarded (so
    "© 2019 X" and "© 2020 X", or "Updated 12:05" and "Updated 14:30", are one line)."""
    s = _SPACE.sub(" ", line).strip().casefold()
    return _DIGITS.sub("#", s)


class LineStats:
    """Per outlet: documents seen, and in how many of them each distinct line occurred.

    A corpus stage (``sitrep.stages.CorpusStage``) of the cleaning: it counts the raw records
    before there is an article, so it reads and fills no article attribute."""

    name = "line_stats"  # also the key of its saved state
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __init__(self, min_docs: int = 3, min_share: float = 0.5, window: int = 500) -> None:
        self.min_docs = min_docs
        self.min_share = min_share
        self.window = window  # counts are halved each time an outlet reaches 2 * window docs
        self.docs: Counter[str] = Counter()
        self.lines: dict[str, Counter[str]] = {}
        # Fingerprints of documents already counted: a report ingested twice must not make its
        # own paragraphs look like furniture.
        self.seen: set[str] = set()
        # What changed since the store last saved the counts (``mark_saved``).
        self._dirty_outlets: set[str] = set()
        self._dirty_lines: dict[str, set[str]] = {}  # outlet → line keys counted or dropped
        self._new_seen: set[str] = set()

    def observe(self, outlet_key: str, raw_text: str) -> None:
        """Count one document of ``outlet_key``: each distinct line once; an exact repeat of
        a document already counted is ignored."""
        text, _ = normalise(raw_text)
        fingerprint = hashlib.sha1(
            (outlet_key + "\0" + _SPACE.sub(" ", text).strip().casefold()).encode("utf-8")
        ).hexdigest()[:16]
        if fingerprint in self.seen:
            return
        self.seen.add(fingerprint)
        self._new_seen.add(fingerprint)
        keys = {line_key(x) for x in text.split("\n") if x.strip() and len(x.split()) <= MAX_WORDS}
        keys.discard("")
        self.docs[outlet_key] += 1
        counts = self.lines.setdefault(outlet_key, Counter())
        counts.update(keys)
        self._dirty_outlets.add(outlet_key)
        self._dirty_lines.setdefault(outlet_key, set()).update(keys)
        if self.docs[outlet_key] >= 2 * self.window:
            self._halve(outlet_key)

    def _halve(self, outlet_key: str) -> None:
        """Halve an outlet's counts: memory stays bounded, one-off lines drop out, and a
        site's new footer can reach ``min_share`` of its recent documents after a redesign."""
        self.docs[outlet_key] //= 2
        counts = self.lines[outlet_key]
        self.lines[outlet_key] = Counter({k: v // 2 for k, v in counts.items() if v >= 2})
        self._dirty_lines.setdefault(outlet_key, set()).update(counts)  # every count changed or went

    def doc_count(self, outlet_key: str, line: str | None = None) -> int:
        """Documents of the outlet seen, or those among them that contain ``line``."""
        if line is None:
            return self.docs.get(outlet_key, 0)
        return self.lines.get(outlet_key, Counter()).get(line_key(line), 0)

    def is_recurring(self, outlet_key: str, line: str) -> bool:
        """True when the line appears in at least ``min_docs`` documents of the outlet and in
        at least ``min_share`` of all of them."""
        total = self.docs.get(outlet_key, 0)
        if total == 0 or len(line.split()) > MAX_WORDS:
            return False
        seen = self.doc_count(outlet_key, line)
        return seen >= self.min_docs and seen / total >= self.min_share

    # ---------------------------------------------------------------- persistence
    def state_header(self) -> dict[str, Any]:
        """The settings: what the state holds besides its items."""
        return {"min_docs": self.min_docs, "min_share": self.min_share, "window": self.window}

    def to_json(self) -> dict[str, Any]:
        return {
            **self.state_header(),
            "outlets": {
                k: {"docs": self.docs[k], "lines": dict(self.lines.get(k, {}))} for k in self.docs
            },
            "seen": sorted(self.seen),
        }

    def dirty_items(self) -> dict[str, Any]:
        """Items changed since ``mark_saved``: an outlet's document count (``o:``), one line's count
        in one outlet (``l:``, None once the line was dropped) and a new fingerprint (``s:``). Per
        line, not per outlet: a batch touches a few hundred lines of an outlet that holds thousands."""
        items: dict[str, Any] = {_OUTLET + k: self.docs[k] for k in self._dirty_outlets}
        for outlet, keys in self._dirty_lines.items():
            counts: Counter[str] | dict[str, int] = self.lines.get(outlet, {})
            items.update((_line_item(outlet, k), counts.get(k)) for k in keys)
        items.update((_SEEN + f, 1) for f in self._new_seen)
        return items

    def mark_saved(self) -> None:
        """The store now holds every item: nothing is dirty."""
        self._dirty_outlets, self._dirty_lines, self._new_seen = set(), {}, set()

    def _mark_all_dirty(self) -> None:
        """Counts read from elsewhere (a whole saved state) are not yet saved as items."""
        self._dirty_outlets = set(self.docs)
        self._dirty_lines = {k: set(v) for k, v in self.lines.items()}
        self._new_seen = set(self.seen)

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> "LineStats":
        d = d or {}
        stats = cls(
            min_docs=int(d.get("min_docs", 3)),
            min_share=float(d.get("min_share", 0.5)),
            window=int(d.get("window", 500)),
        )
        for k, v in (d.get("outlets") or {}).items():
            stats.docs[k] = int(v.get("docs", 0))
            stats.lines[k] = Counter({a: int(b) for a, b in (v.get("lines") or {}).items()})
        stats.seen = set(d.get("seen") or [])
        stats._mark_all_dirty()
        return stats

    @classmethod
    def from_state(cls, header: dict[str, Any], items: dict[str, Any]) -> "LineStats":
        """Rebuild from ``state_header`` and every item ``dirty_items`` ever gave (latest wins)."""
        outlets: dict[str, dict[str, Any]] = {}
        seen = []
        for key, value in items.items():
            if key.startswith(_OUTLET):
                outlets.setdefault(key[len(_OUTLET):], {"lines": {}})["docs"] = value
            elif key.startswith(_LINE):
                outlet, line = json.loads(key[len(_LINE):])
                outlets.setdefault(outlet, {"lines": {}})["lines"][line] = value
            elif key.startswith(_SEEN):
                seen.append(key[len(_SEEN):])
        stats = cls.from_json({**header, "outlets": outlets, "seen": seen})
        stats.mark_saved()
        return stats


# Item key prefixes of ``dirty_items``.
_OUTLET, _LINE, _SEEN = "o:", "l:", "s:"


def _line_item(outlet: str, line: str) -> str:
    """Key of one line's count in one outlet (JSON, so no character of either can be ambiguous)."""
    return _LINE + json.dumps([outlet, line], ensure_ascii=False)
