"""What the headline says keeps unrelated events apart (``stories.headline``, ``StoryClusterer._apart``):
a dated column (a round-up) joins no story and none joins its; two headlines naming people, none
in common, are two protagonists; two reports naming one thing with different numbers ("13-inch"
and "16-inch MacBook") are about two things. Each pair below would join without the rule."""
from __future__ import annotations

import re
from datetime import date

from sitrep.model import Article, DateRange, Mention, OffsetMap
from sitrep.stories import StoryClusterer
from sitrep.stories.headline import different_numbers, headline_people, is_dated_column, numbered_things
from sitrep.vocab import EntityType

DAY = date(2021, 5, 3)
# One body for every report: the same words, so that only the headline differs.
BODY = ("Lawmakers on the Kravenholt committee heard testimony about the Zalvorin pipeline contract "
        "on Tuesday. The Zalvorin pipeline contract was signed in Kravenholt last spring, and the "
        "committee asked who approved the Zalvorin payments and why the Kravenholt audit was halted.")


def _report(aid: str, title: str, text: str = BODY, people: tuple[str, ...] = (), day: date = DAY) -> Article:
    """A report whose text names each of ``people`` three times (tagged PERSON, as the NLP stages do)."""
    text = text + "".join(f" {p} spoke. {p} said more. {p} left." for p in people)
    mentions = [Mention(article_id=aid, start=m.start(), end=m.end(), text=p, type=EntityType.PERSON)
                for p in people for m in re.finditer(re.escape(p), text)]
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(), title=title,
                   mentions=mentions, published=DateRange(day, day))


# ------------------------------------------------------------------------------ the signals


def test_a_dated_column_is_a_date_and_a_few_words():
    assert is_dated_column("Opening Bell 11.18.19", 3)
    assert is_dated_column("Patrol Report 09/29/2015", 3)
    assert is_dated_column("Morning Briefing 2019-11-18", 3)
    assert not is_dated_column("Sacramento DA 9.9.15: Gang Member Convicted of Murder in Shooting", 3)
    assert not is_dated_column("Zalvorin pipeline contract signed", 3)  # no date
    assert not is_dated_column("11.18.19", 3)  # a date alone names nothing
    assert not is_dated_column(None, 3)


def test_headline_people_are_full_names_named_again_and_again():
    a = _report("a", "Key moments from Kurt Volker's testimony", people=("Kurt Volker",))
    assert headline_people(a) == {"volker"}
    # named once only: no protagonist (the tagger calls a town a person now and then)
    once = _report("b", "Deer Lodge residents stunned")
    once.text += " Deer Lodge"
    once.mentions = [Mention(article_id="b", start=len(once.text) - 10, end=len(once.text), text="Deer Lodge",
                             type=EntityType.PERSON)]
    assert headline_people(once) == frozenset()
    # a name the report gives a place more often than a person is a place
    town = _report("c", "Shooting in San Leandro", people=("San Leandro",))
    town.mentions += [Mention(article_id="c", start=0, end=3, text="San Leandro", type=EntityType.PLACE)] * 4
    assert headline_people(town) == frozenset()
    # a person of the body the headline does not name
    assert headline_people(_report("d", "Pipeline hearing goes on", people=("Kurt Volker",))) == frozenset()


def test_numbered_things_differ_by_number_not_by_age():
    a = _report("a", "13-Inch MacBook Pro expected next year")
    b = _report("b", "Review", text="The new 16-inch MacBook Pro is here. " + BODY)
    assert numbered_things(a, 300) == {"inch macbook=13"}
    assert different_numbers(numbered_things(a, 300), numbered_things(b, 300))
    assert not different_numbers(numbered_things(a, 300), numbered_things(a, 300))
    assert numbered_things(_report("c", "9-year-old boy shot"), 300) == frozenset()  # an age is a person's


# ------------------------------------------------------------------------------ the clusterer


def test_without_the_rules_the_reports_below_join():
    """The baseline for every test below: same body, same day, one story."""
    c = StoryClusterer(dated_column_words=None, headline_people=False, numbered_lead_chars=None)
    first = c.add(_report("a", "Opening Bell 11.18.19"))
    assert c.add(_report("b", "Kravenholt hears pipeline testimony")) == first


def test_a_dated_column_joins_no_story_and_none_joins_its():
    c = StoryClusterer()
    column = c.add(_report("a", "Opening Bell 11.18.19"))
    event = c.add(_report("b", "Kravenholt hears pipeline testimony"))
    assert event != column
    assert c.info(event).related == [column]  # related, never merged
    later_column = c.add(_report("c", "Opening Bell 11.19.19"))
    assert later_column not in (column, event)
    assert c.add(_report("d", "Kravenholt audit halted, committee told")) == event  # events still join


def test_headlines_naming_different_people_keep_reports_apart():
    off = StoryClusterer(headline_people=False)
    assert off.add(_report("a", "Kurt Volker testifies on pipeline", people=("Kurt Volker",))) == off.add(
        _report("b", "Gordon Sondland faces questions on pipeline", people=("Gordon Sondland",)))
    c = StoryClusterer()
    volker = c.add(_report("a", "Kurt Volker testifies on pipeline", people=("Kurt Volker",)))
    sondland = c.add(_report("b", "Gordon Sondland faces questions on pipeline", people=("Gordon Sondland",)))
    assert sondland != volker
    assert c.info(sondland).related == [volker]
    # the same person in both headlines, or none in one of them: one story
    assert c.add(_report("c", "What Volker told the committee", people=("Kurt Volker",))) == volker
    assert c.add(_report("d", "Pipeline hearing goes on", people=("Kurt Volker",))) in (volker, sondland)


def test_one_thing_with_different_numbers_is_two_things():
    off = StoryClusterer(numbered_lead_chars=None)
    assert off.add(_report("a", "13-Inch MacBook Pro expected next year")) == off.add(
        _report("b", "Review: worth the wait", text="The new 16-inch MacBook Pro is here. " + BODY))
    c = StoryClusterer()
    rumour = c.add(_report("a", "13-Inch MacBook Pro expected next year"))
    review = c.add(_report("b", "Review: worth the wait", text="The new 16-inch MacBook Pro is here. " + BODY))
    assert review != rumour
    assert c.add(_report("c", "13-inch MacBook Pro: more suppliers named")) == rumour
    # ages are left out: two victims' ages in one incident's reports
    c = StoryClusterer()
    assert c.add(_report("x", "9-year-old boy shot in Kravenholt")) == c.add(_report("y", "10-year-old boy shot in Kravenholt"))


def test_snippets_are_untouched():
    """A report without a headline (News-TS's snippets) is never kept apart by these rules."""
    c = StoryClusterer()
    first = c.add(_report("a", "", text="Opening Bell 11.18.19. " + BODY))
    assert c.add(_report("b", "", text="The 16-inch MacBook Pro. " + BODY)) == first


def test_the_rules_survive_a_saved_and_resumed_clusterer():
    c = StoryClusterer()
    volker = c.add(_report("a", "13-inch MacBook: Kurt Volker testifies", people=("Kurt Volker",)))
    resumed = StoryClusterer.from_json(c.to_json())
    assert resumed.stories[volker].headline_people == {"volker"}
    assert resumed.stories[volker].numbered == {"inch macbook=13"}
    assert resumed.add(_report("b", "Gordon Sondland faces questions", people=("Gordon Sondland",))) != volker


def test_a_dated_columns_story_takes_no_late_report():
    """A report two months on naming the column's rare person would join its story as a late
    report (control: the rule off); a round-up's story takes none."""
    late_day = date(2021, 7, 5)
    off = StoryClusterer(dated_column_words=None, headline_people=False, numbered_lead_chars=None)
    column = off.add(_report("a", "Opening Bell 5.3.21", people=("Zorvath Kelmindo",)))
    assert off.add(_report("b", "Kelmindo sentenced", people=("Zorvath Kelmindo",), day=late_day)) == column
    c = StoryClusterer()
    column = c.add(_report("a", "Opening Bell 5.3.21", people=("Zorvath Kelmindo",)))
    assert c.add(_report("b", "Kelmindo sentenced", people=("Zorvath Kelmindo",), day=late_day)) != column
