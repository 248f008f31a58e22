"""A late report's people (issue 18: late reports join their incident when its particulars match).

A person a late report names only once (a spokesman quoted in passing, a reporter's byline) is half
a particular: it admits the report to a story months back only with a second one (another person
or a rare place). A person it names again and again (the victim, the suspect) is enough alone."""
from __future__ import annotations

import re
from datetime import date

from sitrep.model import Article, Cue, DateRange, EntityType, Event, Mention, OffsetMap
from sitrep.stories import StoryClusterer

# Made-up names, unseen by the idf table: as rare as names come.
VICTIM = "Tavoris Quenneby"
SPOKESMAN = "Orlan Vekstrom"
SITE = "Drelling Crossing"
PEOPLE = (VICTIM, SPOKESMAN)


def _report(aid: str, title: str, text: str, day: date) -> Article:
    """A report with its people and its site tagged wherever they are written, and one event."""
    a = Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
                title=title, published=DateRange(day, day))
    for name in (*PEOPLE, SITE):
        kind = EntityType.PERSON if name in PEOPLE else EntityType.PLACE
        a.mentions += [Mention(article_id=aid, start=m.start(), end=m.end(), text=name, type=kind)
                       for m in re.finditer(re.escape(name), text)]
    a.events = [Event(id=f"{aid}:e1", article_id=aid, type="attack", trigger=Cue(text="shot", start=0, end=4))]
    return a


INCIDENT = _report(
    "first", "Man shot dead outside corner store",
    f"{VICTIM} was shot dead outside a corner store on Tuesday night. {VICTIM}, 24, was hit twice in the "
    f"chest, police said. Police spokesman {SPOKESMAN} said officers found the gunman's car abandoned "
    f"near {SITE}. Detectives asked witnesses to come forward.", date(2021, 3, 2))

# Months later: another shooting in the same town, the same spokesman quoted once.
NEXT_INCIDENT = _report(
    "next", "Man shot outside corner store, police say",
    f"A man was shot outside a corner store on Friday night and was taken to hospital, police said. "
    f"Police spokesman {SPOKESMAN} said officers found a car abandoned nearby. Detectives asked "
    "witnesses to come forward.", date(2021, 7, 9))

# Months later: the trial of the first one's killer, the victim named again and again.
TRIAL = _report(
    "trial", "Trial opens in corner store killing",
    f"The trial opened on Monday of a man accused of shooting {VICTIM} dead outside a corner store. "
    f"{VICTIM} was hit twice in the chest, the court heard. Witnesses told police the gunman fled "
    f"in a car; the family of {VICTIM} sat in the gallery.", date(2021, 7, 9))

# The spokesman once, and the rare place of the first incident: two particulars.
CAR_FOUND = _report(
    "car", "Police trace gunman's car in corner store shooting",
    f"Police spokesman {SPOKESMAN} said officers traced the car abandoned near {SITE} after the "
    "corner store shooting to a dealer. Detectives asked witnesses to come forward.", date(2021, 7, 9))


def _after_the_incident(report: Article, **kw) -> tuple[str, str]:
    c = StoryClusterer(**kw)
    first = c.add(INCIDENT)
    return first, c.add(report)


def test_a_person_named_once_does_not_carry_a_late_report_alone():
    """The next incident's report scores well above the late bar with the first story (same
    words, same spokesman) and joins it when a single mention counts: the control."""
    c = StoryClusterer()
    c.add(INCIDENT)
    s = c._similarity(c.stories[c.story_of["first"]], *c._weigh(NEXT_INCIDENT, learn=False)[:2])
    assert s >= c.late_threshold
    first, story = _after_the_incident(NEXT_INCIDENT)
    assert story != first
    first, story = _after_the_incident(NEXT_INCIDENT, late_person_mentions=1)
    assert story == first


def test_a_person_named_again_and_again_does():
    first, story = _after_the_incident(TRIAL)
    assert story == first


def test_a_person_named_once_with_a_rare_place_does():
    first, story = _after_the_incident(CAR_FOUND)
    assert story == first
    elsewhere = _report("car2", CAR_FOUND.title or "", CAR_FOUND.text.replace(SITE, "the river"), date(2021, 7, 9))
    first, story = _after_the_incident(elsewhere)  # the spokesman alone
    assert story != first


def test_a_saved_clusterer_keeps_the_count():
    c = StoryClusterer(late_person_mentions=3)
    c.add(INCIDENT)
    resumed = StoryClusterer.from_json(c.to_json())
    assert resumed.late_person_mentions == 3
    assert resumed.add(TRIAL) == c.story_of["first"]  # three mentions of the victim
