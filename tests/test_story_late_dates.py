"""A late report joins its incident when the event stage dated its happening to the day that
incident began (issue 18: "late reports join their incident's story when the event's particulars
match, not only inside a fixed window"), not when the date is another incident's, is only the
publication's, or is missing."""
from __future__ import annotations

import random
from datetime import date

from sitrep.model import Article, Cue, DateRange, Event, OffsetMap, TimeSpan
from sitrep.stories import StoryClusterer
from sitrep.vocab import TimePrecision

# Made-up words, unseen by the idf table, so that each incident has rare words of its own.
FIRE = "kalomi ventorsa ridubel ankozu perimtas olganev zuveko torsari".split()
FLOOD = "belriko samizu nevtola duanpe rimkaso golvent pezuri kotamil".split()
COMMON = "police said the shooting happened near a home and officers found two people".split()


def _report(aid: str, words: list[str], day: date, event_day: date | None = None,
            inferred: bool = False) -> Article:
    """A lower-case report (no capitalised names: no person or place can be shared) of ``words``,
    published on ``day``, with an event the event stage dated to ``event_day``."""
    rng = random.Random(aid)
    text = " ".join(rng.choice(words + COMMON) for _ in range(60)) + "."
    a = Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
                title=" ".join(rng.sample(words, 3)), published=DateRange(day, day))
    if event_day is not None:
        a.events = [Event(id=f"{aid}:e1", article_id=aid, type="attack", trigger=Cue(text="shot", start=0, end=4),
                          time=TimeSpan(start=event_day, end=event_day, precision=TimePrecision.DAY,
                                        inferred_publication=inferred))]
    return a


def _incidents() -> tuple[StoryClusterer, str, str]:
    c = StoryClusterer()
    fire = c.add(_report("f0", FIRE, date(2021, 3, 1)))
    c.add(_report("f1", FIRE, date(2021, 3, 2)))
    flood = c.add(_report("g0", FLOOD, date(2021, 3, 10)))
    return c, fire, flood


def test_a_late_report_joins_the_incident_its_event_date_names():
    c, fire, flood = _incidents()
    assert fire != flood
    court = _report("court", FIRE, date(2021, 6, 15), event_day=date(2021, 3, 1))  # months past the window
    assert c.add(court) == fire


def test_a_late_report_without_its_incidents_date_opens_its_own_story():
    outcomes = []
    for event_day, inferred in ((None, False), (date(2021, 3, 10), False), (date(2021, 3, 1), True)):
        c, fire, flood = _incidents()  # no date; the other incident's day; a date from the publication
        court = _report("court", FIRE, date(2021, 6, 15), event_day=event_day, inferred=inferred)
        outcomes.append(c.add(court) in (fire, flood))
    assert outcomes == [False, False, False]


def test_the_rule_off_keeps_the_late_report_apart():
    c = StoryClusterer(late_dates=False)
    fire = c.add(_report("f0", FIRE, date(2021, 3, 1)))
    court = _report("court", FIRE, date(2021, 6, 15), event_day=date(2021, 3, 1))
    assert c.add(court) != fire


def test_a_saved_clusterer_keeps_the_dates_of_its_stories():
    """The day keys live in the late index, which a clusterer rebuilt from its state posts again."""
    c, fire, _ = _incidents()
    resumed = StoryClusterer.from_json(c.to_json())
    court = _report("court", FIRE, date(2021, 6, 15), event_day=date(2021, 3, 2))
    assert resumed.add(court) == fire
