"""Assemble a ``Story`` from the articles the clusterer put together: its events (coreferenced),
its claims (grouped, corroboration counted by independent origin), outlets, key entities, span
and a representative title."""
from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from sitrep.model import Article, Story
from sitrep.stories.coref import merge_events
from sitrep.stories.corroboration import corroborate
from sitrep.stories.features import ENTITY_TYPES, capitalised_names, content_tokens, mention_key


def representative_title(articles: list[Article]) -> str:
    """The title of the article closest to the story's TF-IDF centroid (the earliest published on
    ties): the headline that best sums up what the reports share."""
    titled = [a for a in articles if a.title]
    if not titled:
        return ""
    if len(titled) <= 2:
        return min(titled, key=_pub_key).title or ""
    docs = [(a.title or "") + " " + a.text[:3000] for a in titled]
    try:
        m = TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True).fit_transform(docs)
    except ValueError:
        return min(titled, key=_pub_key).title or ""
    centroid = np.asarray(m.mean(axis=0)).ravel()
    scores = m @ centroid
    order = sorted(range(len(titled)), key=lambda i: (-round(float(scores[i]), 6), _pub_key(titled[i])))
    return titled[order[0]].title or ""


def _pub_key(a: Article) -> tuple:
    return (a.published.start.toordinal() if a.published else 10**7, a.id)


def key_entities(articles: list[Article], limit: int = 10) -> list[str]:
    """Names the story is about: entities named by the most articles (then most often), each shown
    by its most frequent surface form. Falls back to capitalised names without mentions."""
    in_articles: Counter = Counter()
    mentions: Counter = Counter()
    surface: dict[str, Counter] = {}
    for a in articles:
        seen = set()
        if a.mentions:
            items = [(mention_key(m), m.full_form or m.text) for m in a.mentions
                     if m.type in ENTITY_TYPES and m.type != "NORP"]  # demonyms name no one
        else:
            items = [("n:" + n.lower(), n) for n in capitalised_names((a.title or "") + ". " + a.text)]
        for key, text in items:
            mentions[key] += 1
            surface.setdefault(key, Counter())[text] += 1
            seen.add(key)
        in_articles.update(seen)
    ranked = sorted(in_articles, key=lambda k: (-in_articles[k], -mentions[k], k))
    return [surface[k].most_common(1)[0][0] for k in ranked[:limit]]


def build_story(story_id: str, articles: list[Article]) -> Story:
    """A ``Story`` from its articles (in any order; they are sorted by publication)."""
    articles = sorted(articles, key=_pub_key)
    outlets = {a.id: a.outlet for a in articles if a.outlet}
    reprint_of = {a.id: a.reprint_of for a in articles if a.reprint_of}
    claims = {c.id: c for a in articles for c in a.claims}
    events = [e for a in articles for e in a.events]
    starts = [a.published.start for a in articles if a.published]
    ends = [a.published.end for a in articles if a.published]
    story_events = merge_events(events, outlets, claims, reprint_of, {a.id: a for a in articles})
    return Story(
        id=story_id,
        title=representative_title(articles),
        article_ids=[a.id for a in articles],
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        key_entities=key_entities(articles),
        outlets=sorted(set(outlets.values())),
        events=story_events,
        claims=corroborate(articles, same_event=[se.event.claim_ids for se in story_events if se.reports > 1]),
    )
