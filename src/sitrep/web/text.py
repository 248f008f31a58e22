"""Cutting an article's original text into segments for display, without losing a character.

The page shows the text as it was read (``original``), with what cleaning removed struck through
and captions set apart, and lets a claim, event or mention be highlighted. Their spans index the
clean ``text``; the article's offset map carries them into the original. Every boundary becomes a
segment edge, so a highlight is a set of whole segments and the browser only toggles classes.
Segments are data: the template escapes their text, nothing is ever inserted as HTML.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..model import OffsetMap


@dataclass
class Segment:
    text: str
    start: int  # original offsets
    end: int
    kind: str = "body"  # body, removed, caption
    reason: str | None = None  # why cleaning removed it
    highlighted: bool = False
    entity_id: str | None = None
    mention: bool = False


@dataclass
class ArticleView:
    segments: list[Segment]
    captions: list[str] = field(default_factory=list)
    highlight: tuple[int, int] | None = None  # original offsets


def to_original_span(offsets: OffsetMap, start: int, end: int, original_len: int) -> tuple[int, int]:
    """Clean-text span → original-text span, clamped to the original."""
    s = max(0, min(original_len, offsets.to_original(start)))
    e = max(s, min(original_len, offsets.to_original(end)))
    return s, e


def record_offsets(record: dict[str, Any]) -> OffsetMap:
    """The record's offset map; identity (no runs) when the text was kept as read."""
    return OffsetMap.from_json(record.get("offsets"))


def original_of(record: dict[str, Any]) -> str:
    return record.get("original") or record.get("text") or ""


def segment_article(
    record: dict[str, Any],
    mentions: Iterable[Mapping[str, Any]] = (),
    spans: Iterable[tuple[int, int]] = (),
    highlight: tuple[int, int] | None = None,
) -> ArticleView:
    """Segments of the original text with removed/caption kinds, mention links and the highlight.

    ``spans`` (clean offsets) are extra edges, so claims and events can be highlighted in the
    browser later; ``highlight`` (clean offsets) is marked now."""
    original = original_of(record)
    n = len(original)
    offsets = record_offsets(record)
    edges = {0, n}
    kinds: list[tuple[int, int, str, str | None]] = []
    for r in record.get("removed") or []:
        s, e = max(0, min(n, int(r["start"]))), max(0, min(n, int(r["end"])))
        if s < e:
            kind = "caption" if r.get("reason") == "caption" else "removed"
            kinds.append((s, e, kind, r.get("reason")))
            edges.update((s, e))
    caption_spans = record.get("caption_spans") or []
    for c in caption_spans:
        s, e = max(0, min(n, int(c["start"]))), max(0, min(n, int(c["end"])))
        if s < e:
            kinds.append((s, e, "caption", "caption"))
            edges.update((s, e))
    mention_spans = []
    for m in mentions:
        s, e = to_original_span(offsets, int(m["start"]), int(m["end"]), n)
        if s < e:
            mention_spans.append((s, e, m.get("entity_id")))
            edges.update((s, e))
    for a, b in spans:
        s, e = to_original_span(offsets, int(a), int(b), n)
        edges.update((s, e))
    hl = None
    if highlight is not None:
        s, e = to_original_span(offsets, highlight[0], highlight[1], n)
        if s < e:
            hl = (s, e)
            edges.update(hl)
    cuts = sorted(edges)
    rank = {"body": 0, "removed": 1, "caption": 2}
    segments = []
    for s, e in zip(cuts, cuts[1:]):
        kind, reason = "body", None
        for ks, ke, k, why in kinds:
            if ks <= s and e <= ke and rank[k] > rank[kind]:
                kind, reason = k, why
        seg = Segment(original[s:e], s, e, kind, reason)
        seg.highlighted = bool(hl and hl[0] <= s and e <= hl[1])
        for ms, me, eid in mention_spans:
            if ms <= s and e <= me:
                seg.mention = True
                seg.entity_id = seg.entity_id or eid
        segments.append(seg)
    captions = [c.get("text", "") for c in caption_spans] or list(record.get("captions") or [])
    return ArticleView(segments=segments, captions=captions, highlight=hl)
