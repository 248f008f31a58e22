"""What an article says about where it is: the countries it names most and the first-level
divisions (states, provinces, governorates) it names, plus a local outlet's home.

One place reads this context for the whole pipeline (events, entities, the benchmark): a
toponym is resolved against it, so "Parkland" in an article that also names Florida is the
Parkland in Florida, and "Washington" in a Syria story about the U.S. is the capital, not the
English town. The scan is of capitalised runs of words (or of the place names already found,
``mentions``), longest run first, each looked up in the gazetteer by exact name key.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sitrep.events.geo.gazetteer import GazPlace, Gazetteer, default_gazetteer

_CAPITALISED = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+(?:of\s+|al-|el-)?[A-Z][\w'’\-]*){0,3}")

#: A division counts once named this many times. Measured with gold toponyms (acc@161*,
#: bench/eval_geoparsing.py, 2026-12-02): at 1 GeoWebNews 75.5 % / TR-News 70.3 %, at 2
#: 75.5 / 69.9, never (divisions unused) 75.2 / 69.9.
MIN_DIVISION_MENTIONS = 1


@dataclass(frozen=True)
class ArticleContext:
    """The countries an article is about (ISO codes, most-mentioned first) and the first-level
    divisions it names inside them (gazetteer entries whose ``admin1`` is a GeoNames code)."""

    countries: tuple[str, ...] = ()
    divisions: tuple[GazPlace, ...] = field(default_factory=tuple)


def article_context(doc_text: str, *, gazetteer: Gazetteer | None = None, top: int = 3,
                    mentions: Iterable[str] | None = None, home_country: str | None = None,
                    home_division: str | None = None) -> ArticleContext:
    """Countries named (a country 1, a large city or a demonym ½) and divisions named (by their
    own name, inside one of the article's countries or the outlet's home country).

    ``home_country`` / ``home_division``: a local outlet's home (``sitrep.outlets``): its
    country joins the article's countries (last, unless the text names it more) and its
    division joins the divisions, so its own area's places win ambiguous names."""
    from sitrep.events.geo.geocode import country_of_name  # geocode imports this module

    gaz = gazetteer or default_gazetteer()
    counts: defaultdict[str, float] = defaultdict(float)
    named: dict[int, tuple[GazPlace, int]] = {}

    def note_divisions(span: str) -> None:
        for h in gaz.lookup(span, sound=False):
            if h.place.kind == "province" and h.how == "name" and h.place.admin1:
                prev = named.get(h.place.geonames_id)
                named[h.place.geonames_id] = (h.place, (prev[1] if prev else 0) + 1)

    # "Georgia" is a country and a US state: which one is settled after the scan, by whether
    # the state's country is otherwise among the article's (or the outlet's home).
    both: list[tuple[str, str]] = []  # (country it would be, span)

    def count_country(span: str, country: str, weight: float) -> None:
        states = [h.place for h in gaz.lookup(span, sound=False)
                  if h.place.kind == "province" and h.how == "name" and h.place.country != country]
        if states:
            both.append((country, span))
        else:
            counts[country] += weight

    if mentions is not None:
        for n in mentions:
            country, weight = country_of_name(n, gaz)
            if country:
                count_country(n, country, weight)
            note_divisions(n)
    else:
        for m in _CAPITALISED.finditer(doc_text):
            words = m.group(0).split()
            i = 0
            while i < len(words):
                # Longest run of words from i that names a country or a large city.
                for j in range(len(words), i, -1):
                    span = " ".join(words[i:j])
                    country, weight = country_of_name(span, gaz)
                    if country:
                        count_country(span, country, weight)
                        i = j
                        break
                    if gaz.lookup(span, sound=False):
                        note_divisions(span)
                        if j - i > 1:
                            i = j  # a known multi-word place that implies no country ("New York")
                            break
                else:
                    i += 1
    for country, span in both:
        states = [h.place for h in gaz.lookup(span, sound=False) if h.place.kind == "province"
                  and h.how == "name" and (h.place.country in counts or h.place.country == (home_country or "").upper())]
        if states:
            note_divisions(span)
        else:
            counts[country] += 1.0
    # Most first, ties in order of first mention (as Counter.most_common orders them).
    countries = [c for c, _ in sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:top]]
    if home_country and home_country.upper() not in countries:
        countries.append(home_country.upper())
    divisions = [p for p, n in named.values()
                 if n >= MIN_DIVISION_MENTIONS and (p.country in countries or not countries)]
    if home_division and home_country:
        for h in gaz.lookup(home_division, sound=False):
            if h.place.kind == "province" and h.place.country == home_country.upper() and h.place not in divisions:
                divisions.append(h.place)
                break
    return ArticleContext(tuple(countries), tuple(divisions))


__all__ = ["ArticleContext", "MIN_DIVISION_MENTIONS", "article_context"]
