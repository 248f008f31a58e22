"""Story fragments: two stories of one development that a single pass kept apart, made one.

A single pass decides on each report once. When the first reports of a big development score
under the threshold with each other (other words, another angle), it opens a second story and
both then grow side by side: a fragment. Once a story holds ``MERGE_MIN_SIZE`` reports its
centroid says what the story is about far better than any one report, so it is compared, through
the clusterer's own index (the same rare terms and names, the same window), with the other
stories of that size; at a centroid score of ``MERGE_THRESHOLD`` or more the younger story (made
later) is absorbed into the older one, and again while one qualifies.

Stable under unrelated input as the joins are: a centroid is the sum of its own reports' vectors,
candidates come from uncapped postings in a fixed order, and a story that shares no rare term or
name with another never meets it. The merge happens inside ``StoryClusterer.add`` after the join,
so it depends on the reports in their order, not on how they were batched.

The clusterer records each merge (``StoryClusterer.merges``); the pipeline applies them to the
store in the batch's transaction (``Repository.merge_stories``), where the absorbed story's id
keeps resolving to the story that took its reports (``Repository.merged_into``).
"""
from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from sitrep.stories.embedding import summed
from sitrep.stories.late import index_late, unindex_late

if TYPE_CHECKING:
    from sitrep.stories.cluster import StoryClusterer, _Story

# Chosen with the story stage re-run over the pipeline's stored output (the stores of
# bench/eval_stories_e2e.py --keep, bench/RESULTS.md "Story fragments merged in the store"), on the
# GVA tuning half and the News-TS tuning half (halves by a hash of the cluster id), BCubed F1:
#   threshold   off    0.50   0.42   0.35   0.30
#   GVA tune    0.937  0.937  0.937  0.935  0.934
#   News-TS tune 0.815 0.869  0.885  0.890  0.891
# 0.42 is the lowest that costs the GVA tuning half nothing (precision first); the real pages keep
# their 9 wrong-merge pairs at every value. ``MERGE_MIN_SIZE`` 2 instead of 3: News-TS tune 0.884,
# GVA tune 0.936; letting a story of 3 absorb smaller ones too: News-TS 0.885, GVA 0.936 (not kept).
ONE_DEVELOPMENT = 0.42
MERGE_THRESHOLD: float | None = ONE_DEVELOPMENT
MERGE_MIN_SIZE = 3
# Two stories that both carry sentence vectors (``stories.embedding``) are never merged: their
# reports were already scored with the vectors (headline-less snippets at the embedding's own
# threshold), and merging on top over-merges. News-TS, story stage re-run with the vectors
# (bench/RESULTS.md, main after the merges of 2026-12-03, fifth session): no merging 0.881
# (P 0.846), merging at 0.42 0.848 (P 0.760), at 0.50 0.879. Without the vectors merging is
# what lifts News-TS (0.754 -> 0.837). The static vectors (``stories.static``, the default) are
# weaker and do not stop a merge: News-TS, static snippets joining at 0.27 / 0.30, tuning half
# without merging 0.918 / 0.904, with merging at 0.42 0.916 / 0.926 (0.28, shipped: 0.927;
# bench/RESULTS.md, "Static story vectors").


def _unit(vec: dict) -> dict:
    norm = sum(w * w for w in vec.values()) ** 0.5
    return {k: w / norm for k, w in vec.items()} if norm else {}


def centroid_score(clusterer: "StoryClusterer", story: "_Story", other: "_Story") -> float:
    """The score of ``story``'s centroid (its unit term and entity sums, its span) with ``other``,
    as a report is scored with a story: how close two stories are to being one development."""
    vec = _unit(story.centroid)
    if not vec:
        return 0.0
    return clusterer.score(other, vec, _unit(story.entities), story.first, story.last)


def fragment_of(clusterer: "StoryClusterer", sid: str) -> str | None:
    """The story ``sid``'s centroid scores highest with (at ``merge_threshold`` or more) among
    the other stories of at least ``merge_min_size`` reports its rare terms and names find, or
    None. Ties go to the first candidate (the most-shared keys, then the id)."""
    from sitrep.stories.cluster import STATIC_DIMENSIONS
    threshold = clusterer.merge_threshold
    story = clusterer.stories[sid]
    if threshold is None or len(story.members) < clusterer.merge_min_size:
        return None
    vec, ents = _unit(story.centroid), _unit(story.entities)
    if not vec:
        return None
    best, best_score = None, threshold
    for other in clusterer.candidates(vec, ents, story.entity_features, story.first, story.last):
        o = clusterer.stories[other]
        if other == sid or len(o.members) < clusterer.merge_min_size:
            continue
        if story.vector is not None and o.vector is not None and story.vector.shape[0] != STATIC_DIMENSIONS:
            continue  # both scored by MiniLM already (the static vectors do not stop a merge)
        s = clusterer.score(o, vec, ents, story.first, story.last)
        if s > best_score or (s == best_score and best is None):
            best, best_score = other, s
    return best


def merge_fragments(clusterer: "StoryClusterer", sid: str) -> str:
    """Absorb into one story every fragment ``sid`` meets (``fragment_of``), the younger into the
    older each time; returns the story that holds ``sid``'s reports at the end."""
    while (other := fragment_of(clusterer, sid)) is not None:
        a, b = clusterer.stories[sid], clusterer.stories[other]
        keep, gone = (a, b) if (a.created, a.id) < (b.created, b.id) else (b, a)
        absorb(clusterer, keep, gone)
        sid = keep.id
    return sid


def absorb(clusterer: "StoryClusterer", keep: "_Story", gone: "_Story") -> None:
    """Move every report of ``gone`` into ``keep`` (members, centroid, names, span, outlets,
    related stories), take ``gone`` out of both indexes and the state, and record the merge."""
    from sitrep.stories.cluster import _STORY, _top

    c = clusterer
    c._unindex_story(gone)
    unindex_late(c, gone.id)
    base = len(keep.members)
    keep.article_ids.extend(gone.article_ids)
    keep.members.extend(gone.members)
    for aid in gone.article_ids:
        c.story_of[aid] = keep.id
    for t, w in gone.centroid.items():
        keep.centroid[t] = keep.centroid.get(t, 0.0) + w
    keep.centroid = _top(keep.centroid, c.centroid_terms)
    for k, w in gone.entities.items():
        keep.entities[k] = keep.entities.get(k, 0.0) + w
    keep.entities = _top(keep.entities, 4 * c.top_entities)
    for k, f in gone.entity_features.items():
        keep.entity_features.setdefault(k, f)
    keep.entity_features = {k: keep.entity_features[k] for k in keep.entities}
    if gone.vector is not None:  # the sum of the reports' sentence vectors (``stories.embedding``)
        keep.vector = summed(keep.vector, gone.vector)
    keep.people = {k for k in keep.people | gone.people if k in keep.entities}
    keep.places = {k for k in keep.places | gone.places if k in keep.entities}
    keep.headline_people |= gone.headline_people  # what its headlines say (``stories.headline``)
    keep.numbered |= gone.numbered
    if gone.first is not None:
        keep.first = gone.first if keep.first is None else min(keep.first, gone.first)
    if gone.last is not None:
        keep.last = gone.last if keep.last is None else max(keep.last, gone.last)
        heapq.heappush(c._expiry, (keep.last, keep.id))
    keep.outlets.update(gone.outlets)
    keep.entity_names.update(gone.entity_names)
    keep.active = True
    partners = [rid for rid in gone.related if rid != keep.id and rid in c.stories]
    for rid in gone.related:  # related both ways: the stories that list ``gone`` now list ``keep``
        other = c.stories.get(rid)
        if other is not None:
            other.related = [x for x in other.related if x != gone.id]
            c._dirty_stories.add(rid)
    keep.related = [x for x in keep.related if x != gone.id]
    for rid in partners:
        c._relate(keep.id, rid)
    del c.stories[gone.id]
    c._dirty_stories.discard(gone.id)
    c._obsolete_items.add(_STORY + gone.id)
    c._new_members = [(s, p) for s, p in c._new_members if s != gone.id]
    c._new_members.extend((keep.id, base + i) for i in range(len(gone.members)))
    c._index_story(keep)
    index_late(c, keep)
    c._dirty_stories.add(keep.id)
    c.merges.append((gone.id, keep.id, tuple(partners)))
