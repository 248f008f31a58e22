"""Does this rule fire for this record? Pure functions over the model's records.

The store is read elsewhere (``scan``); here a rule meets one article, event, story claim group or
revision notice and either yields an ``Alert`` saying what matched and why, or nothing. Each alert
carries the keys it is deduplicated by: an article, an event or a revision is one object; a
claim group is its claims, because its id is a hash of its members and changes as reports join,
while a group that already fired for some of its claims is the same statement growing; an event,
once its story has grouped it, is every report of the same real-world event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..geodesy import haversine_km
from ..model import Article, ClaimGroup, Event, Story
from .notices import ArticleRevised
from .rules import Rule


@dataclass(frozen=True)
class EntityNames:
    """Who a rule's ``entity`` is: every spelling of the entities that name resolves to (their
    names and aliases, case-folded) and their ids, so a mention resolved to the entity matches
    whatever the text called it."""

    spellings: frozenset[str]
    ids: frozenset[str] = frozenset()


@dataclass
class Alert:
    rule: str
    subject: str  # article, event, claim_group, revision
    object_id: str
    keys: tuple[str, ...]  # fired-once keys (alerts_fired.object)
    article_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self, at: str) -> dict[str, Any]:
        """The alert line: rule, what matched, and enough to open it (article id, title, URL)."""
        return {"rule": self.rule, "subject": self.subject, "id": self.object_id, "article_id": self.article_id,
                "at": at, **self.detail}


def fold(text: str | None) -> str:
    return (text or "").casefold().strip()


@lru_cache(maxsize=256)
def _word_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", re.IGNORECASE)


def has_keyword(keyword: str, *texts: str | None) -> bool:
    """``keyword`` as whole words (case-insensitive) in any of ``texts``: "port" does not fire
    on "report"."""
    pattern = _word_pattern(keyword)
    return any(t and pattern.search(t) for t in texts)


def mentions_entity(article: Article, who: EntityNames) -> bool:
    return any((m.entity_id is not None and m.entity_id in who.ids) or fold(m.text) in who.spellings
               for m in article.mentions)


def _article_conditions(rule: Rule, article: Article | None, who: EntityNames | None) -> bool:
    """The conditions a rule puts on the report itself: outlet, keyword, entity mentioned."""
    if rule.outlet is not None and (article is None or fold(article.outlet) != fold(rule.outlet)):
        return False
    if rule.keyword is not None and (article is None or not has_keyword(rule.keyword, article.title, article.text)):
        return False
    if rule.entity is not None and rule.subject != "event":
        if article is None or who is None or not mentions_entity(article, who):
            return False
    return True


def _article_detail(article: Article | None) -> dict[str, Any]:
    if article is None:
        return {}
    return {"title": article.title, "outlet": article.outlet, "url": article.url}


def match_article(rule: Rule, article: Article, who: EntityNames | None = None) -> Alert | None:
    if rule.subject != "article" or not _article_conditions(rule, article, who):
        return None
    return Alert(rule.name, "article", article.id, (f"article:{article.id}",), article.id, _article_detail(article))


def match_event(rule: Rule, event: Event, article: Article | None, who: EntityNames | None = None) -> Alert | None:
    """An event of the rule's type, at a place within its radius, at or above its confidence,
    with the entity as actor or target, reported by its outlet, in a report with its keyword."""
    if rule.subject != "event":
        return None
    if rule.types is not None:
        if rule.types.plover is not None and event.type != rule.types.plover:
            return None
        if not rule.types.matches_acled(event.acled_event_type, event.acled_sub_event_type):
            return None
    if rule.min_confidence is not None and (event.confidence is None or event.confidence < rule.min_confidence):
        return None
    distance = None
    if rule.near is not None:
        place = event.place
        if place is None or place.lat is None or place.lon is None:
            return None
        distance = haversine_km(rule.near.lat, rule.near.lon, place.lat, place.lon)
        if distance > rule.near.km:
            return None
    if rule.entity is not None:
        if who is None or not ({fold(event.actor), fold(event.target)} & who.spellings):
            return None
    if not _article_conditions(rule, article, who):
        return None
    detail = _article_detail(article)
    detail.update({"type": event.type, "confidence": event.confidence, "actor": event.actor, "target": event.target,
                   "trigger": event.trigger.text})
    if event.place is not None:
        detail["place"] = {"name": event.place.name, "lat": event.place.lat, "lon": event.place.lon}
    if distance is not None:
        detail["distance_km"] = round(distance, 1)
    return Alert(rule.name, "event", event.id, (f"event:{event.id}",), event.article_id, detail)


def match_claim_group(rule: Rule, group: ClaimGroup, story: Story) -> Alert | None:
    """A statement in a story that ``origins`` independent origins now back (among the outlets
    carrying it the rule's outlet, in its text the rule's keyword)."""
    if rule.subject != "claim_group" or rule.origins is None or group.independent_origins < rule.origins:
        return None
    if rule.outlet is not None and fold(rule.outlet) not in {fold(o) for o in group.outlets}:
        return None
    if rule.keyword is not None and not has_keyword(rule.keyword, group.text):
        return None
    detail = {"story_id": story.id, "story_title": story.title, "text": group.text,
              "independent_origins": group.independent_origins, "origins": list(group.origins),
              "reports": group.reports, "outlets": list(group.outlets)}
    return Alert(rule.name, "claim_group", group.id, tuple(f"claim:{c}" for c in group.claim_ids), None, detail)


def match_revision(rule: Rule, notice: ArticleRevised, article: Article | None,
                   who: EntityNames | None = None) -> Alert | None:
    if rule.subject != "revision" or not _article_conditions(rule, article, who):
        return None
    detail = _article_detail(article)
    detail.update({"revision": notice.revision, "fetched_at": notice.fetched_at, "summary": notice.summary})
    return Alert(rule.name, "revision", f"{notice.article_id}@{notice.revision}", (notice.key,), notice.article_id,
                 detail)


def join_story_event(alert: Alert, story: Story) -> Alert:
    """An event alert keyed by every report of the same real-world event: the story's event
    group that holds it (event coreference) gives its members' ids, so a second outlet's report of
    an attack that already fired does not fire again."""
    for group in story.events:
        if alert.object_id in group.event_ids:
            alert.keys = tuple(dict.fromkeys([*alert.keys, *(f"event:{i}" for i in group.event_ids)]))
            alert.detail.update({"story_id": story.id, "reports": group.reports,
                                 "independent_origins": group.independent_origins})
            break
    return alert


def match_story(rule: Rule, story: Story) -> list[Alert]:
    """Every claim group of ``story`` the rule fires for."""
    return [a for g in story.claims if (a := match_claim_group(rule, g, story)) is not None]
