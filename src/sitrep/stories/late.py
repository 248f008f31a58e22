"""Late reports: a report past the story window joins its incident's story (issue 18: "late
reports join their incident's story when the event's particulars match, not only inside a fixed
window").

A trial, a sentence, a funeral or an arrest weeks later comes after the window (``window_days``)
past which a story cannot score with a report on its words. So every dated story of the last
``late_days`` is posted in a second index, the late index (``index_late``), under its
*particulars*: the rare names of the people it names (with ``late_places``, of its rare places
too) and the days about its first report. A report the main index placed nowhere looks its own
particulars up there (``late_story``) and joins the story they lead to when its similarity to it,
without the time discount, reaches the bar those particulars set: a rare person it names again
and again, two particulars of any kind, or the day its event stage dated its happening to
(``event_days``).

Particulars rather than words, because a town's next incident reads like the last one; and rare
people rather than any name: names other than people's, or names seen in training, let in the
wrong story (2-5 points of precision, ``LATE_MIN_IDF``), and a name held by more than
``late_max_stories`` stories of the late index is a spokesman's or an official's, not the
incident's.

The functions take the clusterer (its settings, its scoring and its late index: ``_late_index``,
``_late_keys``, ``_late_expiry``), as ``stories.fragments`` does; the measurements that chose the
constants stand beside them.
"""
from __future__ import annotations

import heapq
from collections import Counter
from typing import TYPE_CHECKING

from sitrep.model import Article
from sitrep.stories.features import mention_key
from sitrep.vocab import TimePrecision

if TYPE_CHECKING:
    from sitrep.stories.cluster import StoryClusterer, _Story

# Late reports: a report past the window joins an earlier story (of up to ``late_days`` before)
# when they share the name of a person no training document holds (idf above 8.5, of at most
# 8.9) and held by no other story of the late index (a name in two stories is a spokesman's),
# and the report's similarity to the story, without the time discount, reaches
# ``LATE_THRESHOLD``. On the GVA tuning half end to end: late joins raise recall 0.83 → 0.88 at
# precision 0.98; any name (not only people) or names seen in training (idf 7.5) cost 2-5 points
# of precision; 1,500 days rather than 365 recover trials and sentences a year or more later.
LATE_MIN_IDF = 8.5
LATE_THRESHOLD = 0.25
LATE_DAYS = 1500
# Rare places as particulars: with ``LATE_PLACES`` the rare places of the in-window place rule
# (``stories.cluster``, ``PLACE_MIN_IDF``) also admit a late report to its incident, two of them
# or one with a rare person's. On the GVA tuning half, story stage re-run over the pipeline's
# stored output, beside the window rule (0.930 → 0.936, F1): late places with one shared place
# 0.938 but P 0.972 (the wrong late joins it added came by neighbourhood names: Englewood, Queens),
# with two (``PLACE_LATE_MIN_SHARED``) 0.937 at P 0.979 (R 0.883 → 0.899): precision first.
LATE_PLACES = True
PLACE_LATE_MIN_SHARED = 2
# The event's date as a particular (issue 18: "late reports join their incident's story when the
# event's particulars match, not only inside a fixed window"): a late report whose event stage
# dated one of its happenings to a day from its text ("the June 21 shooting"; day precision, not
# the publication's day) more than ``window_days`` before its publication finds the stories that
# began within ``LATE_DATE_SLACK`` days of that date (``_late_index`` keys "d:" + day, every story
# of the day scored); such a date admits it at ``LATE_DATE_THRESHOLD`` (a person or two places
# still at ``late_threshold``). GVA tuning half, story stage re-run over the pipeline's stored
# output (bench/RESULTS.md, "Late reports by their event's date"): off 0.9378 (P 0.980 / R 0.899);
# slack 1 at 0.25 / 0.22 / 0.18 / 0.15: 0.9399 / 0.9404 / 0.9404 / 0.9397 (P 0.980 until 0.15:
# 0.979); slack 0: 0.9388, 2 or 3: as 1. Of ~1,800 (report, story) pairs a text date links on the
# tuning half, 10 are the report's incident; above 0.22 all but one. Tried and not kept: rare site
# names (ORG/FACILITY: "Eastland Bowling Lanes") as late particulars, one alone at 0.30: P 0.973
# (a neighbourhood's next incident: "Miami Gardens Police", "North Lavergne Avenue"); the date as
# evidence within the window: P 0.978, no recall.
LATE_DATES = True
LATE_DATE_SLACK = 1
LATE_DATE_THRESHOLD: float | None = 0.22
# A person named once is half a particular (issue 18: late reports join their incident when its
# particulars match). A late report names its incident's victim, suspect or defendant again and
# again; a name it gives once is mostly a byline, a spokesman or an officer quoted in passing, who
# turns up in the next incident of the same town. Such a person admits a late report only with a
# second particular (another person or a rare place), and any two particulars admit it at
# ``LATE_TWO_THRESHOLD`` rather than ``late_threshold``. GVA tuning half, story stage re-run over
# the stored output (bench/RESULTS.md, "Late reports: a person named once is half a particular"): off 0.9432 (P 0.9802
# / R 0.9089); named twice, two particulars at 0.25: 0.9431 (P 0.9926 / R 0.8983); at 0.22 / 0.20:
# 0.9441 (P 0.9926 / R 0.9002), at 0.15: 0.9426 (P 0.9892); three times (at 0.20): 0.9422 (P 0.9949).
# Tried and not kept: two particulars at 0.20 without the mention count 0.9437 (P 0.9802, the
# held-out half's P falling 0.975 -> 0.971); a rare site or place with headlines that agree
# (``_headline_agrees``, cosine 0.5-0.75) as a late particular: P 0.974-0.977 (weekend round-ups'
# headlines agree word for word); a person of a split incident (two stories) with a place: no change.
# The same count tells the incident's own person from a passer-by inside the window too
# (``_person_agrees``): one setting for both.
LATE_PERSON_MENTIONS = 2
LATE_TWO_THRESHOLD: float | None = 0.20


def day_key(day: int) -> str:
    """The late index's key of a day (a story's first day, a late report's event date), apart
    from its entity keys."""
    return "d:" + str(day)


def times_named(article: Article) -> Counter | None:
    """How often the report names each of its people (None without tagged names): the incident's
    own person is named again and again, a byline or a spokesman once (``LATE_PERSON_MENTIONS``)."""
    return Counter(mention_key(m) for m in article.mentions) if article.mentions else None


def event_days(clusterer: "StoryClusterer", article: Article, start: int | None) -> list[int]:
    """The days the event stage dated the article's happenings to from its text (day
    precision, not inferred from the publication) more than ``window_days`` before ``start``:
    when a late report says its incident happened."""
    if not clusterer.late_dates or start is None:
        return []
    days = {e.time.start.toordinal() for e in article.events
            if e.time is not None and e.time.start is not None and e.time.precision == TimePrecision.DAY
            and not e.time.inferred_publication}
    return sorted(d for d in days if start - d > clusterer.window_days)


def index_late(clusterer: "StoryClusterer", story: "_Story") -> None:
    """(Re)post a dated story under its rare names (and the days about its first report), for
    late reports."""
    c = clusterer
    unindex_late(c, story.id)
    if story.last is None:
        return  # an undated story never closes: the main index keeps it
    named = story.people | story.places if c.late_places else story.people
    people = {k: w for k, w in story.entities.items() if k in named}
    keys = c._strong_entities(people, story.entity_features, len(people), c.late_min_idf)
    if c.late_dates and story.first is not None:  # about the day its incident happened
        keys += [day_key(d) for d in range(story.first - LATE_DATE_SLACK, story.first + LATE_DATE_SLACK + 1)]
    for k in keys:
        c._late_index.setdefault(k, {})[story.id] = None
    c._late_keys[story.id] = keys
    heapq.heappush(c._late_expiry, (story.last, story.id))


def unindex_late(clusterer: "StoryClusterer", sid: str) -> None:
    """Take the story ``sid`` out of the late index."""
    c = clusterer
    for k in c._late_keys.pop(sid, ()):
        p = c._late_index.get(k)
        if p is not None:
            p.pop(sid, None)
            if not p:
                del c._late_index[k]


def expire_late(clusterer: "StoryClusterer", horizon: int) -> None:
    """Take out of the late index the stories whose last report is before the day ``horizon``
    (``late_days`` before the clock): no report that late continues them."""
    c = clusterer
    while c._late_expiry and c._late_expiry[0][0] < horizon:
        last, sid = heapq.heappop(c._late_expiry)
        late = c.stories.get(sid)  # None: absorbed by another story
        if late is not None and late.last == last:
            unindex_late(c, sid)


def late_story(clusterer: "StoryClusterer", vec: dict[int, float], ents: dict[str, float], features: dict[str, int],
               people: set[str], start: int, end: int | None, places: frozenset[str] | set[str] = frozenset(),
               days: list[int] | None = None) -> str | None:
    """The earlier story, past the window, that a late report (a court date, a funeral, an
    arrest weeks later) continues: it shares rare names of people with the report (or, with
    ``late_places``, one with a rare place besides, or two rare places) and the report's
    similarity to it, without the time discount, reaches ``late_threshold``. The event's date
    (``days``, from ``event_days``) about the day a story began is a particular too: alone it
    admits the report at ``late_date_threshold``. A person the report names fewer
    than ``late_person_mentions`` times is half a particular, like a place: it admits the
    report only with another (``LATE_PERSON_MENTIONS``); two particulars of any kind admit it at
    ``late_two_threshold``."""
    c = clusterer
    found: Counter = Counter()
    by_place: Counter = Counter()
    once: Counter = Counter()  # people named fewer than ``late_person_mentions`` times
    times = c._times
    dated: set[str] = set()
    if c.late_date_threshold is not None:
        for d in days or ():
            dated.update(c._late_index.get(day_key(d), ()))  # many stories a day: each one scored
    named = {k: w for k, w in ents.items() if k in people or k in places}
    for k in c._strong_entities(named, features, len(named), c.late_min_idf):
        posting = c._late_index.get(k, {})
        if len(posting) > c.late_max_stories:
            continue  # a name in several stories is a spokesman's or an official's, not the incident's
        if k in people and times is not None and times[k] < c.late_person_mentions:
            counter = once  # a byline, a spokesman quoted once: not the incident's own person
        else:
            counter = found if k in people else by_place
        for sid in posting:
            counter[sid] += 1
    enough = {sid for sid, n in found.items() if n >= c.late_min_shared}
    two = {sid for sid in found.keys() | by_place.keys() | once.keys()
           if found[sid] + by_place[sid] + once[sid] >= PLACE_LATE_MIN_SHARED}
    bar = dict.fromkeys(dated, c.late_date_threshold or 0.0)  # the bar each story's particulars set
    for sid in enough:
        bar[sid] = min(bar.get(sid, c.late_threshold), c.late_threshold)
    two_bar = c.late_threshold if c.late_two_threshold is None else c.late_two_threshold
    for sid in two:
        bar[sid] = min(bar.get(sid, two_bar), two_bar)
    best, best_score = None, 0.0
    for sid in sorted(bar):
        story = c.stories[sid]
        if c._gap(story, start, end) <= c.window_days:
            continue  # within the window: the main index had its chance
        s = c._similarity(story, vec, ents)
        if s >= bar[sid] and (best is None or s > best_score):
            best, best_score = sid, s
    return best
