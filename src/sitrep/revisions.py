"""Revisions of a report: when a re-fetched page counts as changed, and what changed.

An outlet that quietly rewrites a report changes sentences, claims, events or the title; a page
whose only difference is its furniture (a "Last updated 3 minutes ago" line, a view counter,
related links, an advert) has not been revised. The comparison therefore runs on the *clean*
text (after extraction and sitrep's cleaning have removed what they recognise as boilerplate),
normalised (Unicode NFKC, case-folded, whitespace collapsed), with the short lines that are
page furniture by their form (time stamps, relative times, counters) left out: ``text_key``.

``what_changed`` is a pure function of two ``Snapshot``s (a revision's title, text, claims and
events): the sentences added and removed, the claims and events that appeared or vanished, and
a title change. Claims and events are compared by what they say, not by id or offset, since an
inserted paragraph moves every offset after it.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .model import Article, Claim, Event
from .shapes import RevisionChangesJSON, TitleChangeJSON

#: A line is only ever taken for furniture when it is this short (in words): a real sentence that
#: happens to mention "3 hours ago" is longer. Stamps and counters seen on news pages are 2–9 words.
FURNITURE_MAX_WORDS = 12

_STAMP = re.compile(
    r"^\W*(?:(?:last\s+)?(?:updated|modified|edited|published|posted|refreshed)\b|"
    r"(?:just\s+now|moments?\s+ago)\b)", re.I)
_RELATIVE = re.compile(r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|m|days?)\s+ago\b", re.I)
_COUNTER = re.compile(r"^\W*[\d.,]+\s*[km]?\s+(?:views?|reads?|comments?|shares?|likes?|readers?|reactions?)\W*$",
                      re.I)
_CLOCK = re.compile(r"^[\W\d]*(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{4}-\d{2}-\d{2})[\W\d]*"
                    r"(?:[A-Z]{2,4}|utc|gmt)?\W*$", re.I)

# Sentence ends: . ! ? (with closing quotes/brackets) before a space and an upper-case letter,
# digit or opening quote. A regex rather than the parser: both revisions' texts must split the
# same way, cheaply, and an abbreviation split wrongly in both cancels out in the diff.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def is_furniture(line: str) -> bool:
    """Whether a clean-text line is page furniture by its form (an update stamp, a relative time,
    a counter, a bare clock time or date), which changes between fetches without any edit."""
    words = line.split()
    if not words or len(words) > FURNITURE_MAX_WORDS:
        return False
    return bool(_STAMP.search(line) or _RELATIVE.search(line) or _COUNTER.match(line) or _CLOCK.match(line))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


# Furniture phrases an extractor glued onto a paragraph ("Updated 9 minutes ago 3,109 views WeWork
# is reportedly…", seen on the Zyte pages when trafilatura falls back to the whole page): left out
# of the comparison key wherever they stand. Only the key: the stored text keeps them.
_GLUED = re.compile(
    r"\b(?:(?:last\s+)?(?:updated|modified|edited|posted)\s*:?\s*)?\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|"
    r"days?)\s+ago\b|\b[\d.,]+\s*[km]?\s+(?:views|reads|comments|shares|likes)\b", re.I)


def comparable_lines(text: str) -> list[str]:
    """The clean text's lines that count for a revision: normalised, furniture lines, glued
    furniture phrases and blanks left out."""
    return [n for line in text.splitlines()
            if not is_furniture(line) and (n := _normal(_GLUED.sub(" ", line)))]


def text_key(text: str) -> str:
    """sha256 of ``comparable_lines``: equal keys mean no revision."""
    return hashlib.sha256("\n".join(comparable_lines(text)).encode("utf-8")).hexdigest()


def sentences(text: str) -> list[str]:
    """The clean text's sentences, furniture lines left out, each with its whitespace collapsed."""
    out = []
    for line in text.splitlines():
        if not line.strip() or is_furniture(line):
            continue
        out += [s for part in _SENTENCE_END.split(line) if (s := re.sub(r"\s+", " ", part).strip())]
    return out


def claim_key(claim: Claim | dict[str, Any]) -> str:
    """A claim as a reader would tell it apart: who (the origin of its chain) said what."""
    d = claim.to_json() if isinstance(claim, Claim) else claim
    chain = d.get("chain") or []
    origin = chain[-1]["name"] if chain else ""
    return f"{origin}: {d.get('text', '')}" if origin else str(d.get("text", ""))


def event_key(event: Event | dict[str, Any]) -> str:
    """An event as a reader would tell it apart: type, actor, target, place and trigger."""
    d = event.to_json() if isinstance(event, Event) else event
    place = (d.get("place") or {}).get("name")
    parts = [d.get("type") or "", d.get("actor") or "?", "→", d.get("target") or "?"]
    if place:
        parts += ["at", place]
    trigger = (d.get("trigger") or {}).get("text")
    return " ".join(parts) + (f" ({trigger!s})" if trigger else "")


@dataclass
class Snapshot:
    """What one revision says: enough to compare it with another."""

    title: str | None
    text: str
    claims: list[str] = field(default_factory=list)  # claim_key of each claim
    events: list[str] = field(default_factory=list)  # event_key of each event

    @classmethod
    def of(cls, article: Article) -> "Snapshot":
        """The snapshot of an article with its derived records loaded."""
        return cls(article.title, article.text, [claim_key(c) for c in article.claims],
                   [event_key(e) for e in article.events])

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "text": self.text, "claims": self.claims, "events": self.events}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Snapshot":
        return cls(d.get("title"), d.get("text") or "", list(d.get("claims") or []), list(d.get("events") or []))


def _gone_and_new(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Items of ``old`` missing from ``new`` and of ``new`` missing from ``old`` (as multisets),
    each in its list's order."""
    left = {k: old.count(k) - new.count(k) for k in set(old)}
    right = {k: new.count(k) - old.count(k) for k in set(new)}
    gone, added = [], []
    for k in old:
        if left.get(k, 0) > 0:
            gone.append(k)
            left[k] -= 1
    for k in new:
        if right.get(k, 0) > 0:
            added.append(k)
            right[k] -= 1
    return gone, added


def what_changed(old: Snapshot, new: Snapshot) -> RevisionChangesJSON:
    """What ``new`` changed from ``old``: sentences (in text order, by a sequence diff over
    normalised sentences, so a moved sentence counts as removed and added), claims and events
    that vanished or appeared, and the title when it changed."""
    a, b = sentences(old.text), sentences(new.text)
    matcher = difflib.SequenceMatcher(None, [_normal(s) for s in a], [_normal(s) for s in b], autojunk=False)
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            removed += a[i1:i2]
        if op in ("insert", "replace"):
            added += b[j1:j2]
    claims_vanished, claims_appeared = _gone_and_new(old.claims, new.claims)
    events_vanished, events_appeared = _gone_and_new(old.events, new.events)
    title: TitleChangeJSON | None = None
    if _normal(old.title or "") != _normal(new.title or ""):
        title = {"from": old.title, "to": new.title}
    return {
        "title": title,
        "sentences_added": added,
        "sentences_removed": removed,
        "claims_appeared": claims_appeared,
        "claims_vanished": claims_vanished,
        "events_appeared": events_appeared,
        "events_vanished": events_vanished,
    }


def is_revision(old_title: str | None, old_text: str, new_title: str | None, new_text: str) -> bool:
    """Whether a re-fetched page is a new revision: its clean text or its title changed."""
    return text_key(old_text) != text_key(new_text) or _normal(old_title or "") != _normal(new_title or "")
