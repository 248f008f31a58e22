"""Turning stored JSON back into model records.

The store keeps each record as its public JSON (``to_json``) plus the few private fields needed
to rebuild it; these functions are the inverse, so corpus-level stages (stories) can work on
articles read back from any backend.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..model import (
    Article,
    Caption,
    Claim,
    Cue,
    DateRange,
    Event,
    Mention,
    OffsetMap,
    Place,
    RemovedSpan,
    SourceHop,
    TimeSpan,
)


def article_to_record(article: Article) -> dict[str, Any]:
    """Everything needed to rebuild the article: its public JSON plus private fields."""
    data = article.to_json()
    data.update(
        original=article.original,
        offsets=article.offsets.to_json(),
        caption_spans=[c.to_json() for c in article.captions],
        record_key=article.record_key,
        content_hash=article.content_hash,
        outlet_basis=article.outlet_basis,
    )
    return data


def article_from_record(d: dict[str, Any]) -> Article:
    return Article(
        id=d["id"],
        source_path=d.get("source_path") or "",
        text=d.get("text") or "",
        original=d.get("original") or d.get("text") or "",
        offsets=OffsetMap.from_json(d.get("offsets")),
        title=d.get("title"),
        outlet=d.get("outlet"),
        outlet_basis=d.get("outlet_basis"),
        url=d.get("url"),
        source_id=d.get("source_id"),
        record_key=d.get("record_key") or "",
        format=d.get("format") or "txt",
        published=DateRange.from_json(d.get("published")),
        captions=[Caption(**c) for c in d.get("caption_spans") or []],
        removed=[RemovedSpan(**r) for r in d.get("removed") or []],
        content_hash=d.get("content_hash") or "",
        reprint_of=d.get("reprint_of"),
    )


def mention_from_row(row: Any) -> Mention:
    return Mention(
        article_id=row["article_id"],
        start=row["span_start"],
        end=row["span_end"],
        text=row["text"],
        type=row["type"],
        entity_id=row["entity_id"],
    )


def claim_from_json(d: dict[str, Any]) -> Claim:
    hops = []
    for h in d.get("chain") or []:
        hops.append(
            SourceHop(
                name=h["name"],
                kind=h["kind"],
                start=h.get("start"),
                end=h.get("end"),
                role=h.get("role"),
                affiliation=h.get("affiliation"),
            )
        )
    cue = d.get("cue")
    return Claim(
        id=d["id"],
        article_id=d["article_id"],
        text=d["text"],
        start=d["start"],
        end=d["end"],
        chain=hops,
        cue=Cue(**cue) if cue else None,
        origin_named=bool(d.get("origin_named")),
        hedged=bool(d.get("hedged")),
        denied=bool(d.get("denied")),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def event_from_json(d: dict[str, Any], article_id: str | None = None) -> Event:
    place = d.get("place")
    time = d.get("time")
    article_ids = d.get("article_ids") or ([article_id] if article_id else [])
    return Event(
        id=d["id"],
        article_id=d.get("article_id") or article_id or (article_ids[0] if article_ids else ""),
        type=d["type"],
        trigger=Cue(**d["trigger"]),
        status=d.get("status") or "asserted",
        actor=d.get("actor"),
        target=d.get("target"),
        equipment=d.get("equipment"),
        place=Place(**place) if place else None,
        time=TimeSpan(
            start=_date(time.get("start")),
            end=_date(time.get("end")),
            precision=time.get("precision") or "unknown",
            text=time.get("text"),
            inferred_publication=bool(time.get("inferred_publication")),
        )
        if time
        else None,
        acled_event_type=d.get("acled_event_type"),
        acled_sub_event_type=d.get("acled_sub_event_type"),
        claim_ids=list(d.get("claim_ids") or []),
        article_ids=list(article_ids),
        confidence=d.get("confidence"),
        confidence_reasons=list(d.get("confidence_reasons") or []),
    )
