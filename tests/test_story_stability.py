"""Stories hold together whatever else is ingested (issue 18): the stories of a corpus A alone
equal the stories of A's articles within A + B, for B of unrelated articles interleaved with A in
time; and they do not depend on the order of reports of one day."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from sitrep.model import Article, DateRange, OffsetMap
from sitrep.stories import StoryClusterer

# Words of ordinary news that any two reports may share; the pseudo-words made below are what
# tells one incident from another (every one of them unseen by the idf table: rare).
COMMON = ("police said city officials people report morning night home street county man woman "
          "investigation according told statement local area family two three found").split()
SYLLABLES = "ka lo mi ven tor sa ri du bel an ko zu pe rim tas ol ga nev".split()


def pseudo_word(rng: random.Random, syllables: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def make_topic(rng: random.Random, used: set[str]) -> dict:
    """An incident: its own words, a place and two people, none shared with another topic."""
    def fresh(n: int) -> list[str]:
        out = []
        while len(out) < n:
            w = pseudo_word(rng)
            if w not in used:
                used.add(w)
                out.append(w)
        return out
    words = fresh(12)
    place, first, last, first2, last2 = (w.capitalize() for w in fresh(5))
    return {"words": words, "place": place, "people": [f"{first} {last}", f"{first2} {last2}"]}


def report(aid: str, topic: dict, rng: random.Random, day: date) -> Article:
    words = topic["words"]
    body = " ".join(rng.choice(words + COMMON) for _ in range(40))
    person = rng.choice(topic["people"])
    text = f"{body}. {person} spoke in {topic['place']} about the {rng.choice(words)}. {' '.join(rng.sample(COMMON, 5))}."
    title = f"{topic['place']} {' '.join(rng.sample(words, 3))} {rng.choice(COMMON)}"
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(), title=title,
                   outlet=f"Outlet {rng.randrange(5)}", published=DateRange(day, day))


def corpus(rng: random.Random, prefix: str, topics: int, used: set[str], start: date) -> list[Article]:
    """Incidents of two to five reports within a few days, some with a late report months after."""
    out = []
    for t in range(topics):
        topic = make_topic(rng, used)
        first = start + timedelta(days=rng.randrange(60))
        for r in range(rng.randint(2, 5)):
            out.append(report(f"{prefix}{t}-{r}", topic, rng, first + timedelta(days=rng.randrange(4))))
        if rng.random() < 0.3:
            out.append(report(f"{prefix}{t}-late", topic, rng, first + timedelta(days=rng.randint(40, 200))))
    return out


def by_date(articles: list[Article], rng: random.Random | None = None) -> list[Article]:
    """In publication order; reports of one day in a random order when ``rng`` is given."""
    keys = {a.id: (rng.random() if rng else a.id) for a in articles}
    return sorted(articles, key=lambda a: (a.published.start, keys[a.id]))  # type: ignore[union-attr]


def partition(clusterer: StoryClusterer, articles: list[Article], keep: set[str] | None = None) -> set[frozenset[str]]:
    """The stories of ``articles`` fed in order, as sets of article ids (story ids ignored), only
    the articles in ``keep`` counted."""
    groups: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        clusterer.add(a)
    for a in articles:  # a story may have absorbed another since the report joined it
        if keep is None or a.id in keep:
            groups[clusterer.story_of[a.id]].add(a.id)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", range(8))
def test_unrelated_articles_neither_split_nor_merge_the_stories_of_a_corpus(seed):
    rng = random.Random(seed)
    used: set[str] = set()
    a = corpus(rng, "a", 12, used, date(2021, 3, 1))
    b = corpus(rng, "b", 25, used, date(2021, 2, 20))  # interleaved with A in time, more of it
    alone = partition(StoryClusterer(), by_date(a))
    within = partition(StoryClusterer(), by_date(a + b), keep={x.id for x in a})
    assert within == alone
    assert any(len(g) > 2 for g in alone)  # there are stories to split


@pytest.mark.parametrize("seed", range(8))
def test_stories_do_not_depend_on_the_order_of_one_days_reports(seed):
    rng = random.Random(100 + seed)
    used: set[str] = set()
    a = corpus(rng, "a", 15, used, date(2021, 3, 1))
    first = partition(StoryClusterer(), by_date(a))
    for shuffle in range(3):
        assert partition(StoryClusterer(), by_date(a, random.Random(shuffle))) == first


def test_a_report_ingested_after_newer_pages_still_finds_its_story():
    """Out of date order (a batch of older pages after newer ones): the index keeps stories past
    the window, so the older report meets the stories of its own week."""
    rng = random.Random(7)
    used: set[str] = set()
    topic, other = make_topic(rng, used), make_topic(rng, used)
    old = [report(f"o{i}", topic, rng, date(2021, 1, 4)) for i in range(3)]
    new = [report(f"n{i}", other, rng, date(2021, 4, 1)) for i in range(3)]
    c = StoryClusterer()
    for x in old[:2] + new:
        c.add(x)
    assert c.add(old[2]) == c.story_of["o0"]


def test_late_report_joins_its_incident_by_the_people_it_names():
    rng = random.Random(3)
    used: set[str] = set()
    topic, other = make_topic(rng, used), make_topic(rng, used)
    c = StoryClusterer()
    sid = c.add(report("i0", topic, rng, date(2021, 1, 4)))
    c.add(report("i1", topic, rng, date(2021, 1, 5)))
    c.add(report("x0", other, rng, date(2021, 1, 5)))
    court = report("court", topic, rng, date(2021, 5, 20))  # four months on: far past the window
    assert c.add(court) == sid
    unrelated_late = report("x-late", make_topic(rng, used), rng, date(2021, 5, 21))
    assert c.add(unrelated_late) not in (sid, c.story_of["x0"])


def test_same_topic_another_event_is_related_never_merged():
    """Two incidents sharing some of their words (a topic), days apart, with different people and
    places: two stories, each listed as related to the other (their score, 0.22, is between the
    related threshold and the joining one)."""
    rng = random.Random(11)
    used: set[str] = set()
    fire, other = make_topic(rng, used), make_topic(rng, used)
    second = dict(other, words=fire["words"][:5] + other["words"][5:])
    c = StoryClusterer()
    a = c.add(report("f0", fire, rng, date(2021, 2, 1)))
    c.add(report("f1", fire, rng, date(2021, 2, 1)))
    b = c.add(report("g0", second, rng, date(2021, 2, 3)))
    assert a != b
    assert c.info(a).related == [b] and c.info(b).related == [a]



def _placed(a: Article, place: str, people: list[str], with_event: bool = True) -> Article:
    """``a`` as the NLP stages leave it: ``place`` and the ``people`` it names typed mentions, and
    an event when ``with_event``."""
    from sitrep.model import Cue, Event, Mention

    a.mentions = [Mention(article_id=a.id, start=a.text.index(name), end=a.text.index(name) + len(name), text=name,
                          type=kind)
                  for name, kind in [(place, "PLACE")] + [(p, "PERSON") for p in people] if name in a.text]
    if with_event:
        a.events = [Event(id=f"{a.id}:e1", article_id=a.id, type="attack", trigger=Cue(text="shot", start=0, end=4))]
    return a


def _same_town_report(rng: random.Random, topic: dict, other: dict, aid: str) -> Article:
    """A report from ``topic``'s town the next day that shares none of its words and people."""
    body = " ".join(rng.choice(other["words"] + COMMON) for _ in range(40))
    text = f"{body}. {other['people'][0]} spoke in {topic['place']}."
    day = date(2021, 3, 2)
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
                   title=" ".join(rng.sample(other["words"], 3)), published=DateRange(day, day))


def test_a_report_of_the_same_place_and_time_joins_at_a_lower_score():
    """Same happening, place and time: a report with an event that shares a rare town with a story
    of its week joins it at ``place_threshold`` (its score, 0.22, is under ``threshold``); the same
    report without an event, or without the town as a typed mention, opens its own story."""
    rng = random.Random(0)
    used: set[str] = set()
    topic, other = make_topic(rng, used), make_topic(rng, used)
    outcomes = []
    for variant in ("event and place", "place, no event", "no typed place"):
        second = _same_town_report(random.Random(9), topic, other, "t1")
        if variant != "no typed place":
            second = _placed(second, topic["place"], other["people"], with_event=variant == "event and place")
        c = StoryClusterer()
        sid = c.add(_placed(report("t0", topic, random.Random(1), date(2021, 3, 1)), topic["place"], topic["people"]))
        outcomes.append(c.add(second) == sid)
    assert outcomes == [True, False, False]


def test_a_late_report_joins_by_two_rare_places_not_by_one():
    """Past the window, places admit a report to its incident as people's names do, but one shared
    town is not enough (a neighbourhood sees many incidents a year): two are. No person is typed
    here, so the people rule cannot fire."""
    from sitrep.model import Cue, Event, Mention

    rng = random.Random(4)
    used: set[str] = set()
    topic = make_topic(rng, used)
    site = make_topic(rng, used)["place"] + " Park"

    def placed(aid: str, day: date, names: list[str]) -> Article:
        a = report(aid, topic, rng, day)
        a.text = a.original = a.text + f" It happened at {site}."
        a.mentions = [Mention(article_id=aid, start=a.text.index(n), end=a.text.index(n) + len(n), text=n,
                              type="FACILITY" if n == site else "PLACE") for n in names]
        a.events = [Event(id=f"{aid}:e1", article_id=aid, type="attack", trigger=Cue(text="shot", start=0, end=4))]
        return a

    outcomes = []
    for late_names in ([topic["place"]], [topic["place"], site]):
        c = StoryClusterer()
        sid = c.add(placed("i0", date(2021, 1, 4), [topic["place"], site]))
        c.add(placed("i1", date(2021, 1, 5), [topic["place"], site]))
        outcomes.append(c.add(placed("late", date(2021, 5, 20), late_names)) == sid)
    assert outcomes == [False, True]
