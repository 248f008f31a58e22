"""What a report's headline says about the report, for story grouping (issue 18: a story is one
happening; reports of one topic but another event are related, never merged).

Two things a headline tells that the words of the body do not:

- a *dated column* ("Opening Bell 11.18.19", "Patrol Report 09/29/2015"): a headline made of a
  numeric date and a few words names a recurring round-up (a newsletter, a police blotter), not a
  happening. Whatever item it leads with, it is no report of one event, so it joins no story and
  no report joins its story (``is_dated_column``);
- the *people it names*: two headlines that each name people, and no one in common, are about
  two protagonists ("Key moments from Kurt Volker's and Tim Morrison's testimony" and "Unpredictable
  Sondland faces questions"), two hearings of one inquiry rather than one (``headline_people``).

Pure functions of the article; the measurements that chose them are in ``stories.cluster``
(``DATED_COLUMN_WORDS``, ``HEADLINE_PEOPLE``) and bench/RESULTS.md.
"""
from __future__ import annotations

import re
from collections import Counter

from sitrep.model import Article
from sitrep.stories.features import PLACE_TYPES, STOP_WORDS, fold

# A numeric date as columns write it: 11.18.19, 09/29/2015, 2019-11-18.
_NUMERIC_DATE = re.compile(r"(?<![\w.])(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\w.]*\d)")
_WORD = re.compile(r"[^\W\d_]+")
_POSSESSIVE = re.compile(r"['’]s\b")


def is_dated_column(title: str | None, max_words: int) -> bool:
    """A headline made of a numeric date and at most ``max_words`` words besides: the name of a
    recurring column or round-up, which says what day it is and nothing of what happened."""
    if not title or not _NUMERIC_DATE.search(title):
        return False
    words = _WORD.findall(_NUMERIC_DATE.sub(" ", title))
    return 0 < len(words) <= max_words


def headline_people(article: Article, min_mentions: int = 3) -> frozenset[str]:
    """Folded surnames of the people the headline names: a word of the headline that is the last
    word of one of the report's PERSON mentions written as a full name ("Kurt Volker"; the NLP
    stages tag the body), named at least ``min_mentions`` times as a person or an organisation
    (the small tagger's usual call for a surname alone: "Volker") and more often so than as a
    place (it calls "San Leandro" or "Tyler" a person once among five places, and "Deer Lodge"
    twice). A protagonist is named again and again."""
    title = fold(_POSSESSIVE.sub("", article.title or "")).split()
    if not title or not article.mentions:
        return frozenset()
    words = set(title)
    full: set[str] = set()
    named: Counter = Counter()
    place: Counter = Counter()
    for m in article.mentions:
        name = fold(m.full_form or m.text).split()
        if not name:
            continue
        if m.type in ("PERSON", "ORG"):
            named[name[-1]] += 1
            if m.type == "PERSON" and len(name) >= 2:
                full.add(name[-1])
        elif m.type in PLACE_TYPES:
            place.update(set(name))
    return frozenset(w for w in full & words
                     if len(w) > 2 and named[w] >= min_mentions and named[w] > place[w])


# A number joined to a word and followed by another: "13-inch MacBook", "9-year-old boy".
# Words of a unit that count age or time: their numbers grow as a story goes on.
_TIME_WORDS = frozenset("old olds second seconds minute minutes hour hours day days week weeks month months "
                        "year years".split())
_NUMBERED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)-([^\W\d_]+(?:-[^\W\d_]+)*)\s+([^\W\d_]+)")


def numbered_things(article: Article, lead_chars: int) -> frozenset[str]:
    """What the headline and the start of the text name with a number ("13-inch MacBook" →
    "inch macbook=13"): a thing and its model or size. Two reports naming the same thing with
    no number in common ("13-inch MacBook" and "16-inch MacBook") are about two things. An age
    or a span of time ("9-year-old boy", "a 38-day manhunt") is left out: it changes as a story
    goes on, and one incident's reports name several (on GVA, ages made all ten of the vetoes,
    five of them wrong); so is a number before a stop word ("the 9300-block of")."""
    text = (article.title or "") + "\n" + article.text[:lead_chars]
    out = set()
    for number, unit, word in _NUMBERED.findall(text):
        unit, word = fold(unit), fold(word)
        if _TIME_WORDS.isdisjoint(unit.split()) and word not in STOP_WORDS:
            out.add(f"{unit} {word}={number}")
    return frozenset(out)


def different_numbers(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Whether ``a`` and ``b`` (``numbered_things``) name one thing with no number in common."""
    by_thing: dict[str, tuple[set[str], set[str]]] = {}
    for side, things in enumerate((a, b)):
        for t in things:
            thing, number = t.rsplit("=", 1)
            by_thing.setdefault(thing, (set(), set()))[side].add(number)
    return any(x and y and x.isdisjoint(y) for x, y in by_thing.values())
