"""Geocoding: from a place name (and the words around it) to a ``Place`` with honest precision.

The rules follow how conflict-event coders (ACLED, UCDP) geocode reports:

* The words around a mention say what kind of place it is: "X base", "X air base" → a site
  (airfield, military base); "province of X", "X governorate" → a first-level division; "the town
  of X" → a populated place. The gazetteer entry of that kind wins over a same-named town.
* Spelling varies; names are matched by key (``names.name_key``) and, more weakly, by sound key
  (Kharir = Harir). Among the matches, the article's own countries, the kind of place, its
  population and nearness to a place the text relates it to decide.
* A place the gazetteer lacks is never dropped and never given false precision: if the text
  relates it to a known place ("near Baghdad", "northwest of Kirkuk") it is placed there with a
  coarser precision and a note saying so; otherwise it is kept with no coordinates and a note.

How much each clue weighs is one frozen ``ScoreWeights`` value, ``WEIGHTS``, with the figures
it was checked against. A place's precision and its ACLED geo_precision code are
``sitrep.vocab.PlacePrecision``.
"""
from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sitrep.events.geo.apposition import apposed_division_entry
from sitrep.events.geo.gazetteer import (GazPlace, Gazetteer, NameHit, as_abbreviation,
                                         default_gazetteer, initials, site_words)
from sitrep.events.geo.names import fold, name_key, sound_key
from sitrep.geodesy import haversine_km
from sitrep.model import Place
from sitrep.vocab import PlacePrecision

# ---------------------------------------------------------------------------------------------
# Feature hints from the words of and around a mention
# ---------------------------------------------------------------------------------------------

_HINT_ALIASES = {
    "site": "site", "base": "site", "airbase": "site", "air base": "site", "airfield": "site",
    "airport": "site", "facility": "site", "S": "site",
    "province": "province", "governorate": "province", "state": "province", "ADM1": "province",
    "region": "province",
    "town": "town", "city": "town", "village": "town", "P": "town",
    "country": "country", "PCLI": "country", "district": "district",
}

_SITE_WORDS = r"(?i:(?:military\s+|air\s*force\s+|army\s+|naval\s+)?(?:air\s*bases?|airbases?|bases?|airfields?|air\s+fields?|airports?|airstrips?|camps?))"
_PROVINCE_WORDS = r"(?i:province|governorate|region|state|district|oblast)"
_TOWN_WORDS = r"(?i:town|city|village|district|suburb|neighbou?rhood)"

# Trailing / leading generic words inside a mention ("Ain al-Assad base", "province of Anbar").
_MENTION_SITE_TAIL = re.compile(rf"\s+{_SITE_WORDS}$", re.I)
_MENTION_PROVINCE_TAIL = re.compile(rf"\s+{_PROVINCE_WORDS}$", re.I)
# "Orange County", "Washington Township": a second-level division named after its seat.
_MENTION_DISTRICT_TAIL = re.compile(r"\s+(?:County|Township|Parish|Borough)$")
_MENTION_LEAD = re.compile(rf"^(?:the\s+)?(?:({_PROVINCE_WORDS})|({_TOWN_WORDS})|(?:{_SITE_WORDS}))\s+of\s+", re.I)
_MENTION_THE = re.compile(r"^the\s+", re.I)

# Context right after / before a mention.
_AFTER_SITE = re.compile(rf"^\s*{_SITE_WORDS}\b", re.I)
_AFTER_PROVINCE = re.compile(rf"^\s*{_PROVINCE_WORDS}\b", re.I)
_BEFORE_PROVINCE = re.compile(rf"\b{_PROVINCE_WORDS}\s+of\s+(?:the\s+)?$", re.I)
_BEFORE_TOWN = re.compile(rf"\b{_TOWN_WORDS}\s+of\s+(?:the\s+)?$", re.I)
_BEFORE_SITE = re.compile(rf"\b{_SITE_WORDS}\s+(?:of|at|in|near)\s+(?:the\s+)?$", re.I)

# "… near X", "… 30 km northwest of X", "… outside X", "…, X" after a mention.
_DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_DISTANCE = r"(?:(?:about|some|around|roughly|nearly|almost|approximately|just)\s+)?\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:km|kms|kilometers|kilometres|miles|mi)\s+(?:\(\d+\s*\w+\)\s+)?"
_NAME = r"((?:[A-Z][\w'’‘`\-]*|(?:al|el|as|ash|ad|an|ar|at|az)-[A-Z][\w'’‘`\-]*)(?:\s+(?:(?:al|el)-)?[A-Z][\w'’‘`\-]*|\s+(?:al|el)-[A-Za-z][\w'’‘`\-]*){0,3})"
_RELATION_AFTER = re.compile(
    rf"^(?:\s+{_SITE_WORDS})?,?\s+(?:which\s+is\s+|located\s+|situated\s+|lying\s+)?"
    rf"(?P<rel>(?:{_DISTANCE})?(?:(?:just|slightly|some\s+way)\s+)?"
    rf"(?:near|nearby|outside(?:\s+of)?|close\s+to|next\s+to|on\s+the\s+outskirts\s+of|"
    rf"{_DISTANCE}(?:from|of|outside)|{_DIRECTION}\s+of|in|inside|within))\s+"
    rf"(?:the\s+)?(?:{_DIRECTION}\s+)?(?:[A-Z][\w'’\-]*\s+(?={_TOWN_WORDS}|{_PROVINCE_WORDS}))?"
    rf"(?:(?:{_TOWN_WORDS}|{_PROVINCE_WORDS}|capital|{_DIRECTION})\s+(?:of\s+)?)?"
    rf"(?:the\s+)?{_NAME}")

# Words that modify a name rather than being part of one ("Rural Damascus", "Greater Beirut").
_MODIFIER_WORDS = frozenset({"rural", "greater", "central", "north", "south", "east", "west",
                             "northern", "southern", "eastern", "western", "upper", "lower",
                             "new", "old", "downtown", "outer", "inner"})

def normalise_hint(hint: str | None) -> str | None:
    """One of site, town, district, province, country (or None) from a hint word or code."""
    if not hint:
        return None
    return _HINT_ALIASES.get(hint, _HINT_ALIASES.get(hint.lower(), hint.lower()))


# ---------------------------------------------------------------------------------------------
# Name → candidates → best place
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    place: GazPlace
    how: str  # name, alternate, initials, sound, partial, demonym, fuzzy
    score: float


def _split_mention(name: str) -> tuple[str, str | None]:
    """The core name of a mention and the feature hint its own words carry."""
    core = _MENTION_THE.sub("", name.strip())
    hint = None
    m = _MENTION_LEAD.match(core)
    if m:
        hint = "province" if m.group(1) else "town" if m.group(2) else "site"
        core = core[m.end():]
    if _MENTION_SITE_TAIL.search(core):
        core, hint = _MENTION_SITE_TAIL.sub("", core), hint or "site"
    elif _MENTION_PROVINCE_TAIL.search(core):
        core, hint = _MENTION_PROVINCE_TAIL.sub("", core), hint or "province"
    elif _MENTION_DISTRICT_TAIL.search(core):
        core, hint = _MENTION_DISTRICT_TAIL.sub("", core), hint or "district"
    return core.strip(" ,.;:'\"’"), hint


def _demonym_countries(name: str, gaz: Gazetteer) -> list[GazPlace]:
    """Countries a demonym or adjective names ("Iraqi" → Iraq, "Nigerian" → Nigeria, not Niger;
    "Lebanese" → Lebanon): a one-word country name completing the word minus its suffix, else
    the shortest one beginning with it."""
    word = fold(name)
    if " " in word or len(word) < 4 or not name[:1].isupper():
        return []
    stems = [word[: len(word) - len(suf)] for suf in ("ian", "ese", "ish", "an", "i", "n", "")
             if word.endswith(suf) and len(word) - len(suf) >= 3]
    if not stems:
        return []
    words = _country_words(gaz)
    exact = _country_word_index(gaz)
    for stem in stems:
        for ending in ("ia", "a", "", "y", "e", "o"):
            if stem + ending in exact:
                return [exact[stem + ending]]
    for stem in stems[:-1]:
        if len(stem) < 4:
            continue
        # Shortest first: "Turk" → Turkey, not Turkmenistan; "Leban" → Lebanon.
        for k, c in words:
            if k.startswith(stem):
                return [c]
    return []


_COUNTRY_WORDS: "weakref.WeakKeyDictionary[Gazetteer, list[tuple[str, GazPlace]]]" = weakref.WeakKeyDictionary()


def _country_words(gaz: Gazetteer) -> list[tuple[str, GazPlace]]:
    """One-word country and continent names (keys), shortest first, then by population."""
    if gaz not in _COUNTRY_WORDS:
        rows = []
        regions = [p for p in gaz.places.values() if p.kind == "region"]
        for c in [*gaz.countries.values(), *regions]:
            for n in (c.name, c.ascii_name, *c.alternate_names):
                k = name_key(n)
                if k and " " not in k:
                    rows.append((len(k), -c.population, c.geonames_id, k, c))
        rows.sort(key=lambda r: r[:3])
        _COUNTRY_WORDS[gaz] = [(r[3], r[4]) for r in rows]
    return _COUNTRY_WORDS[gaz]


_COUNTRY_WORD_INDEX: "weakref.WeakKeyDictionary[Gazetteer, dict[str, GazPlace]]" = weakref.WeakKeyDictionary()


def _country_word_index(gaz: Gazetteer) -> dict[str, GazPlace]:
    """``_country_words`` by key, the first of each key winning; built once per gazetteer (perf:
    building it on every call was 2 % of a worker's time)."""
    if gaz not in _COUNTRY_WORD_INDEX:
        _COUNTRY_WORD_INDEX[gaz] = {k: c for k, c in reversed(_country_words(gaz))}
    return _COUNTRY_WORD_INDEX[gaz]


@dataclass(frozen=True)
class ScoreWeights:
    """How much each clue counts when choosing among the places a name may mean, and how far
    from the text's anchor a place may lie and still be the one meant.

    A candidate's score is the sum of: its kind's prior; for a town, ``town_per_log10_people``
    per power of ten of its population (capped) and ``seat_bonus`` for a capital or provincial
    seat; ``military_site_bonus`` for an air base, military base or installation; the match
    penalty of how its name matched; the hint bonus when the words around the mention name its
    kind; the context bonus when it lies in the article's main (or another) country; and up to
    ``near_max`` points, losing one per ``near_km_per_point`` km, for nearness to the place the
    text relates the mention to. The orders of magnitude carry the reasoning: a hint the text
    states outright (12) outweighs any population or country prior, the article's own country
    (6) outweighs a tenfold population difference (0.9), and a loose match (sound, part of the
    name, nearest spelling: -4 to -5) loses to any exact one of similar standing.

    The values were set by hand when the geocoder was written (no sweep is recorded). The
    calibration command is the toponym benchmark (gold toponym spans, shipped extract):

        .venv/bin/python bench/eval_geoparsing.py --gazetteer extract

    With these weights, the article-level resolution (``sitrep.events.geo.article``, told the
    spans are toponyms) and the 5,000+ extract with US counties (2026-12-02; bench/RESULTS.md,
    "Places, round three — issue 16 (geo)"):

        corpus       toponyms  acc@161  acc@161 (exact id counts)  acc@25  exact id
        GeoWebNews       2601    77.0%                      87.3%   81.5%     94.4%
        TR-News          1275    69.6%                      78.0%   74.7%     85.2%
        ACLED ME         1168    84.0%                      84.0%   65.8%         –

    (Not told the spans are toponyms, so names the gazetteer lacks keep no point: 80.8 /
    75.2 / 66.1 % acc@161*.)

    The article division bonus is shared among the divisions the article names (a sports
    page naming four states is not about any one of them: 79.5 → 79.7 on GeoWebNews); at 2
    or 3 rather than 4 it loses 0.2 / 0.0; ``capital_bonus`` 6 and the name match at 1.0 or
    0.5 change nothing.

    Issue 16's one-at-a-time sweep (acc@161* GeoWebNews / TR-News / ACLED ME): the province
    prior at 5 rather than 3 gains 0.6 / 1.2 and, with the rule that a province named like its
    own town is the town, costs ACLED nothing; ``capital_bonus`` 1 → 4 gains 0.2 / 0.1;
    ``town_per_log10_people`` 1.3 or 1.8, ``main_country`` 4 and ``article_division`` 8 lose
    or change nothing. Before issue 16 (15,000+ extract, mention by mention) the same command
    gave 72.2 / 66.7 / 66.3 %; the sweep of issue 4 found ``main_country`` at 4 costs ACLED ME
    1.7 points, and ``hint_decisive`` and ``near_km_per_point`` are pinned by the cases in
    tests/test_geo.py (bases, provinces, "near X" anchors), not by the benchmark.
    """

    #: Prior by gazetteer kind; kinds not listed get ``other_kind``. A country or continent named
    #: outright is almost always meant as such, not as a same-named town.
    kind_prior: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"region": 7.0, "country": 8.0, "province": 5.0, "district": 1.0, "town": 0.0,
         "site": 1.0}))
    other_kind: float = -2.0
    town_per_log10_people: float = 0.9
    town_log10_people_cap: float = 7.0  # ten million: beyond that size stops mattering
    seat_bonus: float = 1.0  # GeoNames PPLA (seat of a first-level division)
    capital_bonus: float = 4.0  # GeoNames PPLC: a capital is named far more than its namesakes
    military_site_bonus: float = 1.0  # GeoNames AIRB, MILB, INSM
    #: By how the name matched (``Candidate.how``); unlisted ways get 0.
    match: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"name": 1.5, "alternate": 0.0, "initials": -0.5, "sound": -4.0, "partial": -5.0,
         "demonym": -3.0, "fuzzy": -5.0}))
    #: The hint names the candidate's kind: a site, province or country the text names as such
    #: ("X air base", "province of X") is decisive; "the town of X" less so, since most
    #: same-named candidates are towns anyway.
    hint_decisive: float = 12.0
    hint_town: float = 3.0
    hint_province_to_district: float = 6.0  # "X governorate" where the gazetteer has a district
    main_country: float = 6.0  # the article's most-mentioned country
    other_country: float = 4.0  # another of the article's countries
    #: A town in a first-level division the article names ("Florida" in an article on Parkland),
    #: and in the division named right after it ("Parkland, Florida"), which settles it.
    article_division: float = 4.0
    apposed_division: float = 12.0
    near_max: float = 6.0
    near_km_per_point: float = 50.0
    #: A same-named candidate farther than this from a site, town or district anchor ("near X",
    #: "30 km north of X") is another place of that name: reports relate places to a nearby one.
    far_km: float = 150.0
    #: A nearest-spelling (fuzzy) candidate must lie within this of such an anchor.
    fuzzy_anchor_km: float = 50.0


#: The weights the geocoder uses (see ``ScoreWeights`` for their calibration).
WEIGHTS = ScoreWeights()


def _score(hit: NameHit, hint: str | None, context: Sequence[str],
           near: tuple[float, float] | None, divisions: Sequence[GazPlace] = (),
           apposed: GazPlace | None = None) -> float:
    """Preference for one candidate: its kind and size, how its name matched, the hint, the
    article's countries and nearness to a place the text relates it to (``WEIGHTS``)."""
    w = WEIGHTS
    p = hit.place
    kind = p.kind
    s = w.kind_prior.get(kind, w.other_kind)
    if kind == "town":
        s += w.town_per_log10_people * min(math.log10(p.population + 1), w.town_log10_people_cap)
        if p.feature_code == "PPLC":
            s += w.capital_bonus
        elif p.feature_code == "PPLA":
            s += w.seat_bonus
    if kind == "site" and p.feature_code in {"AIRB", "MILB", "INSM"}:
        s += w.military_site_bonus
    s += w.match.get(hit.how, 0.0)
    if hint:
        if kind == hint:
            # A county the text names as such ("Cuyahoga County") is decisive too.
            s += w.hint_decisive if hint in {"site", "province", "country", "district"} else w.hint_town
        elif hint == "province" and kind == "district":
            s += w.hint_province_to_district
    if context:
        if p.country == context[0]:
            s += w.main_country
        elif p.country in context:
            s += w.other_country
    if near is not None:
        s += max(0.0, w.near_max - haversine_km(near[0], near[1], p.lat, p.lon) / w.near_km_per_point)
    if kind != "province" and p.admin1 and hit.how == "name":
        if apposed is not None and _in_division(p, apposed):
            s += w.apposed_division
        elif any(_in_division(p, d) for d in divisions):
            s += w.article_division / len(divisions)
    return s


def _country_people(gaz: Gazetteer, p: GazPlace) -> int:
    country = gaz.countries.get(p.country)
    return country.population if country is not None else 0


def _in_division(p: GazPlace, division: GazPlace) -> bool:
    return p.country == division.country and bool(division.admin1) and p.admin1 == division.admin1


def candidates(name: str, *, gazetteer: Gazetteer | None = None,
               context_countries: Sequence[str] = (), feature_hint: str | None = None,
               near: tuple[float, float] | None = None, divisions: Sequence[GazPlace] = (),
               apposed: GazPlace | None = None, exact: bool = False) -> list[Candidate]:
    """Every gazetteer place the name may mean, best first.

    Tiers, each tried only when the ones before found nothing of use: the name (or alternate
    name, or initials) itself; a site whose distinctive words the name contains; the country a
    demonym names; places with the same sound key (kept to the article's countries, if known);
    the nearest spellings in the article's main country (Jaro-Winkler on sound keys).
    ``exact``: the first tier only (the others' matches would be refused by ``exact_match``
    anyway, and the nearest-spelling search is the costliest step)."""
    gaz = gazetteer or default_gazetteer()
    core, own_hint = _split_mention(name)
    hint = normalise_hint(feature_hint) or own_hint
    ctx = [c.upper() for c in context_countries]
    variants = list(dict.fromkeys(v for v in (name.strip(), core) if v))
    hits: dict[int, NameHit] = {}

    def collect(found: Iterable[NameHit]) -> None:
        for h in found:
            prev = hits.get(h.place.geonames_id)
            if prev is None or _HOW_RANK[h.how] < _HOW_RANK[prev.how]:
                hits[h.place.geonames_id] = h

    for v in variants:
        # Initials of a province count only inside the article's countries ("BC" in Canada).
        collect(h for h in gaz.lookup(v, sound=False) if h.how != "initials"
                or h.place.kind in {"country", "region"} or h.place.country in ctx)
    # Sites named with extra words ("Ain al-Asad" for Al Asad Air Base): only when no site
    # matched by name, and only inside the article's countries when it has any.
    if as_abbreviation(core) and any(h.how == "initials" for h in hits.values()):
        # "EU", "SA" in capitals are abbreviations: not the town of Eu, not a town named Sa.
        hits = {k: h for k, h in hits.items() if h.how == "initials" or h.place.kind != "town"}
    if not exact and not any(h.place.kind == "site" for h in hits.values()):
        words = site_words(core)
        modifiers = {sound_key(w) for w in fold(core).split() if w in _MODIFIER_WORDS}
        for p, ws in gaz.sites_with_words(words) if words else ():
            if not any(len(w) >= 3 for w in ws) or len(words) - len(ws) > 1:
                continue
            if (words - ws) & modifiers:  # "Rural Damascus" is not Damascus airport
                continue
            if ctx and p.country not in ctx:
                continue
            collect([NameHit(p, "partial")])
    if not hits and not exact:
        collect(NameHit(c, "demonym") for c in _demonym_countries(core, gaz))
    if not hits and not exact:
        for v in variants:
            collect(h for h in gaz.lookup(v) if h.how == "sound"
                    and (not ctx or h.place.country in ctx))
    if not hits and ctx and not exact:
        for cc in ctx[:1]:
            collect(NameHit(p, "fuzzy") for p, _ in gaz.fuzzy_in_country(core, cc))
    if hint != "district":
        # A county is "Grand County", not "Grand" (a street, a word): a bare name finds a
        # second-level division only by its full name.
        hits = {k: h for k, h in hits.items() if h.place.kind != "district"
                or name_key(h.place.name) in {name_key(v) for v in variants}}
    if ctx:
        # A village or a base abroad is almost never what a report about these countries means:
        # better "not in gazetteer" (and the text's own anchor) than a namesake far away.
        hits = {k: h for k, h in hits.items() if h.place.country in ctx or not _small(h.place)}
        if hint == "province":
            # "Hays district" in a Yemen report is not Hays County, Texas: a second-level
            # division abroad is named "X County", not "X district" or "X province".
            hits = {k: h for k, h in hits.items() if h.place.country in ctx or h.place.kind != "district"}
    out = [Candidate(h.place, h.how, _score(h, hint, ctx, near, divisions, apposed)) for h in hits.values()]
    # Ties (provinces carry no population: "Maryland" is a US state and a Liberian county) go
    # to the place in the more populous country, whose namesakes news names more often.
    out.sort(key=lambda c: (-c.score, -_country_people(gaz, c.place), c.place.geonames_id))
    if out and out[0].place.kind in {"town", "site"} and hint is None and near is None and not (
            apposed is not None and _in_division(out[0].place, apposed)):
        # "Peru", "Lebanon", "Canada" named outright are the countries, not a namesake town in
        # the article's country (Peru, Indiana; La Cañada, whose alternate name is "Canada"):
        # only a division after a comma ("Lebanon, Pennsylvania") or a hint keeps the town.
        country = next((c for c in out if c.place.kind in {"country", "region"}
                        and c.how in {"name", "alternate"}), None)
        if country is not None:
            out.remove(country)
            out.insert(0, country)
    if out and out[0].place.kind == "province" and hint != "province":
        # "Taizz", "Hebron": a province named like its own town, and the text does not say
        # "province": the town is meant (and is the more precise place). A namesake town in
        # another division ("Delaware", Ohio, for the state) does not count.
        prov = out[0].place
        seat = next((c for c in out[1:] if c.place.kind == "town" and c.place.country == prov.country
                     and prov.admin1 and c.place.admin1 == prov.admin1 and c.how in {"name", "alternate"}), None)
        if seat is not None:
            out.remove(seat)
            out.insert(0, seat)
    return out


# "the Qaniyah front", "the Saadnayel highway": a town naming the place noun after it.
_PLACE_NOUN_AFTER = re.compile(
    r"^[-\s]*(?:[A-Z][\w'’\-]*\s+)*(?:front(?:line)?s?|highway|road|roundabout|crossing|"
    r"intersection|neighbou?rhood|camp|area|plains?|dam|municipality|village|town|city|district|"
    r"region|province|governorate|outskirts|countryside|border|checkpoint|bridge|market|square|"
    r"junction|entrance|port|river|valley|hills?|mountains?|suburbs?|quarter|street|axis|sector|"
    r"bases?|airbase|airport|airfield)\b")

#: Words news capitalises that name no place (months, weekdays, units) although some gazetteer
#: has a namesake ("Fahrenheit", "March", "May").
NEVER_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "fahrenheit", "celsius", "kelvin", "centigrade",
})


def never_a_place(name: str) -> bool:
    """A month, weekday or unit of measure ("Fahrenheit"): never geocoded."""
    return name_key(_MENTION_THE.sub("", name.strip())) in NEVER_PLACES


#: How large a town must be for a bare name the NER did not call a place to be taken as it.
STRONG_TOWN_PEOPLE = 100_000


def strong_match(c: Candidate, context: Sequence[str] = ()) -> bool:
    """A match strong enough to read a name the NER calls a person or organisation as a place
    ("Macron", "Trump" are not; the small model also calls many Arabic toponyms persons): a
    country, region or province by its name, initials or alternate name; a town or site by
    its name or alternate name inside the article's countries (anywhere, when the article
    names none), or a town of ``STRONG_TOWN_PEOPLE``+ people anywhere. Never a spelling
    variant or nearest spelling. The caller asks this only of a name in a locative slot."""
    if c.how not in {"name", "alternate", "initials"}:
        return False
    p = c.place
    if p.kind in {"country", "region", "province"}:
        return True
    if p.kind == "town" and p.population >= STRONG_TOWN_PEOPLE:
        return True
    return p.kind in {"town", "site"} and (not context or p.country in context) and c.how != "initials"


def exact_match(c: Candidate, name: str, context: Sequence[str] = ()) -> bool:
    """A match by the place's name, an alternate name or its initials, and not one of the two
    loose kinds of alternate match: a name of three letters or fewer for a town ("Pal" is an
    alternate name of Palu), or a small town abroad known by that name only in another
    language ("Chum", Irish for Tuam, in a British article). See ``geocode_mention(exact=)``."""
    if c.how not in {"name", "alternate", "initials"}:
        return False
    p = c.place
    if c.how != "alternate" or p.kind not in {"town", "site"}:
        return True
    if len(name_key(name).replace(" ", "")) <= 3:
        return False
    return not context or p.country in context or p.population >= STRONG_TOWN_PEOPLE


#: A town smaller than this is not taken outside the article's countries. Gold toponyms,
#: acc@161* GeoWebNews / TR-News / ACLED-ME (bench/eval_geoparsing.py, 2026-12-02): 100k
#: 78.2 / 73.2 / 66.2 %; 15k 78.4 / 73.9 / 66.0; 5k 78.6 / 73.9 / 66.1. (Falling back to the
#: namesakes abroad when none is left: 78.6 / 73.9 / 65.8.) The article's countries are often
#: read from its towns, so a high bar drops the towns of a country it names only once.
SMALL_ABROAD_PEOPLE = 5_000


def _small(p: GazPlace) -> bool:
    """A site, or a town under ``SMALL_ABROAD_PEOPLE``: too small to be named abroad without
    its country."""
    return p.kind == "site" or (p.kind == "town" and p.population < SMALL_ABROAD_PEOPLE)


_PLACE_PRECISIONS = frozenset(PlacePrecision)

_HOW_RANK = {"name": 0, "alternate": 1, "initials": 2, "sound": 3, "partial": 4, "demonym": 5,
             "fuzzy": 6}


def to_place(name: str, cand: Candidate, hint: str | None = None, start: int | None = None,
             end: int | None = None) -> Place:
    """A model ``Place`` for a chosen candidate, with a note when the match was loose or the
    gazetteer had no place of the kind the text named."""
    p = cand.place
    notes = []
    precision = PlacePrecision(p.kind) if p.kind in _PLACE_PRECISIONS else PlacePrecision.TOWN
    if cand.how == "sound":
        notes.append(f"spelling variant of {p.name}")
    elif cand.how == "partial":
        notes.append(f"matched {p.name} by part of its name")
    elif cand.how == "demonym":
        notes.append(f"adjective for {p.name}")
    elif cand.how == "fuzzy":
        notes.append(f"nearest spelling in gazetteer: {p.name}")
        if precision in {"site", "town"}:
            precision = PlacePrecision.DISTRICT  # the identity itself is uncertain
    elif cand.how == "initials":
        notes.append(f"abbreviation of {p.name}")
    if hint and hint != p.kind and not (hint == "province" and p.kind == "district"):
        core = _split_mention(name)[0] or name
        notes.append(f"no {hint} named '{core}' in gazetteer; placed at {p.kind} {p.name}")
        if hint in {"site", "district"} and p.kind == "town":
            # A base named after a town lies near it, not in it, and a county around its
            # seat: not exact.
            precision = PlacePrecision.DISTRICT
    return Place(
        name=name, lat=p.lat, lon=p.lon, precision=precision,
        geonames_id=p.geonames_id if p.geonames_id > 0 else None,
        resolved_name=p.name if p.name != name else None, country=p.country or None,
        admin1=p.name if p.kind == "province" else None,
        note="; ".join(notes) or None, start=start, end=end)


def geocode(name: str, *, context_countries: Sequence[str] = (), feature_hint: str | None = None,
            near: tuple[float, float] | None = None,
            gazetteer: Gazetteer | None = None, exact: bool = False) -> Place | None:
    """The place a name most likely means, or None when the gazetteer has nothing by that name.

    ``context_countries``: ISO codes the article is about, most-mentioned first.
    ``feature_hint``: site/base/airfield, town, province, country (or GeoNames codes).
    ``near``: (lat, lon) of a place the text relates this one to.
    ``exact``: only a match by name, alternate name or initials (see ``candidates``)."""
    core, own_hint = _split_mention(name)
    hint = normalise_hint(feature_hint) or own_hint
    found = candidates(name, gazetteer=gazetteer, context_countries=context_countries,
                       feature_hint=hint, near=near, exact=exact)
    if not found:
        return None
    return to_place(name, found[0], hint)


# ---------------------------------------------------------------------------------------------
# A mention in its text
# ---------------------------------------------------------------------------------------------


def mention_hint(doc_text: str, start: int, end: int) -> str | None:
    """Feature hint from the words right around a mention ("X air base", "province of X")."""
    before = doc_text[max(0, start - 40):start]
    after = doc_text[end:end + 30]
    if _AFTER_SITE.match(after) or _BEFORE_SITE.search(before):
        return "site"
    if _AFTER_PROVINCE.match(after) or _BEFORE_PROVINCE.search(before):
        return "province"
    if _BEFORE_TOWN.search(before):
        return "town"
    # Not from the rest of the document: "Baghdad airport" once does not make every "Baghdad"
    # the airport. A bare site name ("Ain al-Asad") still finds its site by name.
    return None


_PART_OF = re.compile(r"\b(?:central|northern|southern|eastern|western|north-?eastern|north-?western|"
                      r"south-?eastern|south-?western|upstate|rural)\s+$")
_NAME_BEFORE_COMMA = re.compile(r"([A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,2}),\s*$")


def division_cue(doc_text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the words around a name that is both a first-level division and a town say the
    division is meant: "central Washington" (a part of it), "Tacoma, Washington" (a town of
    that division before the comma). Only a name some division bears counts. (A third cue,
    "California or Washington" — listed beside a division — cost 0.5 points of acc@161* on
    GeoWebNews: "Washington, New York and Boston" lists cities.)"""
    name = doc_text[start:end]
    provinces = [h.place for h in gaz.lookup(name, sound=False)
                 if h.place.kind == "province" and h.how == "name"]
    if not provinces:
        return False
    before = doc_text[max(0, start - 40):start]
    if _PART_OF.search(before):
        return True
    m = _NAME_BEFORE_COMMA.search(before)
    if m and any(h.place.kind == "town" and h.how == "name" and any(
            _in_division(h.place, p) for p in provinces) for h in gaz.lookup(m.group(1), sound=False)):
        return True
    return False


@dataclass(frozen=True)
class Relation:
    """A place the text relates a mention to: "near Baghdad", "northwest of Kirkuk"."""

    phrase: str  # "near Baghdad"
    relation: str  # "near", "northwest of", "in"
    anchor: str  # "Baghdad"

    @property
    def contained(self) -> bool:
        return self.relation.split()[-1] in {"in", "inside", "within"}


def related_place(doc_text: str, end: int) -> Relation | None:
    """The relation phrase right after a mention, if any."""
    m = _RELATION_AFTER.match(doc_text[end:end + 120])
    if not m:
        return None
    phrase = m.group(0).strip(" ,")
    phrase = re.sub(rf"^{_SITE_WORDS},?\s+", "", phrase, flags=re.I)
    return Relation(phrase=phrase, relation=" ".join(m.group("rel").split()), anchor=m.group(2))


def geocode_mention(text: str, start: int, end: int, doc_text: str,
                    context_countries: Sequence[str] = (), *,
                    gazetteer: Gazetteer | None = None,
                    divisions: Sequence[GazPlace] = (), strict: bool = False,
                    exact: bool = False) -> Place | None:
    """Geocode the mention ``doc_text[start:end]`` (``text``) using the words around it.

    Returns a ``Place`` carrying the mention's span. A name the gazetteer lacks is placed at the
    place the text relates it to, with coarser precision and a note; with no such place it is
    returned without coordinates (precision "unknown") and a note, never dropped.
    Returns None only for an empty mention.

    ``divisions``: first-level divisions the article names (``context.article_context``).
    ``strict``: the NER did not call the mention a place (a facility, or a person or
    organisation in a locative slot): only a strong match counts (``strong_match``), and a
    name the gazetteer lacks is not placed at a nearby anchor.
    ``exact``: only a match by name, alternate name or initials counts (``exact_match``): no
    spelling variant, part of a name, nearest spelling, adjective read by its suffix, or place
    named inside a longer name — for the places an article mentions, where a person named
    Chum must not become Tuam (whose Irish name is Chum) nor "French Open" France."""
    gaz = gazetteer or default_gazetteer()
    name = (text or doc_text[start:end]).strip()
    if not name:
        return None
    if never_a_place(name):
        return Place(name=name, lat=None, lon=None, precision=PlacePrecision.UNKNOWN, start=start, end=end,
                     note="a month, weekday or unit, not a place")
    hint = mention_hint(doc_text, start, end)
    if hint is None and division_cue(doc_text, start, end, gaz):
        hint = "province"
    rel = related_place(doc_text, end)
    anchor: Place | None = None
    if rel is not None:
        says_town = re.search(rf"\b{_TOWN_WORDS}\b", rel.phrase) is not None
        says_province = re.search(rf"\b{_PROVINCE_WORDS}\b", doc_text[end:end + len(rel.phrase) + 40]) is not None
        # The anchor is read as strictly as the name: "Phoebe in Friends" is not at Friendswood.
        anchor = geocode(rel.anchor, context_countries=context_countries, gazetteer=gaz,
                         feature_hint="town" if says_town else "province" if says_province else None,
                         exact=exact)
        if rel.contained and not says_town and anchor is not None and anchor.precision == "town":
            # "X in Kirkuk" where Kirkuk is also a province: X may be anywhere in the province,
            # so the province is the honest anchor.
            prov = geocode(rel.anchor, context_countries=context_countries,
                           feature_hint="province", gazetteer=gaz, exact=exact)
            if prov is not None and prov.precision == "province" and prov.country == anchor.country:
                anchor = prov
    near = (anchor.lat, anchor.lon) if anchor and anchor.lat is not None and anchor.lon is not None else None
    apposed = apposed_division_entry(doc_text, end, context_countries, gazetteer=gaz) if rel is None else None
    found = candidates(name, gazetteer=gaz, context_countries=context_countries,
                       feature_hint=hint, near=near, divisions=divisions,
                       apposed=apposed[1].place if apposed else None, exact=exact)
    if (doc_text[max(0, start - 4):start] == "the " and not strict and hint is None
            and _split_mention(name)[1] is None and not _PLACE_NOUN_AFTER.match(doc_text[end:end + 30])):
        # "the White House" is neither Casablanca (whose alternate name it is) nor White House,
        # Tennessee: a lower-case "the" before a name marks a building or a body; only a few
        # large cities take it ("the Hague", "the Bronx").
        found = [c for c in found if not (c.place.kind == "town" and (
            c.how == "alternate" or c.place.population < STRONG_TOWN_PEOPLE))]
    if exact:
        found = [c for c in found if exact_match(c, name, context_countries)]
    if strict:
        found = [c for c in found if strong_match(c, context_countries)]
        if not found and rel is None:
            # No strong match and nothing in the text places it ("in Idleb", "near X"): a name
            # the NER calls a person or organisation stays without coordinates.
            return Place(name=name, lat=None, lon=None, precision=PlacePrecision.UNKNOWN, start=start, end=end,
                         note="not a place name the gazetteer knows well enough for a non-place mention")
    if found and apposed is not None:
        # "Sarkh, Logar": a division named after a comma vetoes another country's namesake.
        division = to_place(apposed[0], apposed[1], "province")
        if (found[0].place.kind in {"town", "site"}
                and found[0].place.country != division.country):
            division_point = (division.lat, division.lon) if division.lat is not None and division.lon is not None else None
            inside = candidates(name, gazetteer=gaz, context_countries=[division.country] if division.country else [],
                                feature_hint=hint, near=division_point, apposed=apposed[1].place)
            inside = [c for c in inside if c.place.country == division.country]
            if inside:
                return to_place(name, inside[0], normalise_hint(hint), start, end)
            return _placed_at_anchor(name, division, Relation(f", {division.name}", "in", division.name), start, end)
    if found:
        best = found[0]
        # Only a town or site anchor is small enough to say "this is too far to be that place".
        far = (near is not None and anchor is not None and anchor.precision in {"site", "town", "district"}
               and haversine_km(*near, best.place.lat, best.place.lon) > WEIGHTS.far_km)
        # A same-named place far from where the text puts it is another place: fall through.
        # A merely similar spelling must agree with the text's anchor to be trusted.
        doubtful = best.how == "fuzzy" and anchor is not None and (
            best.place.country != anchor.country
            or (near is not None and anchor.precision in {"site", "town", "district"}
                and haversine_km(*near, best.place.lat, best.place.lon) > WEIGHTS.fuzzy_anchor_km))
        if not (doubtful or far and best.how in {"sound", "partial", "demonym"}
                or far and rel is not None and not rel.contained and best.place.kind in {"site", "town"}):
            _, own_hint = _split_mention(name)
            return to_place(name, best, normalise_hint(hint) or own_hint, start, end)
    if anchor is not None and anchor.lat is not None and rel is not None:
        return _placed_at_anchor(name, anchor, rel, start, end)
    inner = None if exact else _embedded_place(name, gaz, context_countries)
    if inner is not None:
        cand, part = inner
        place = to_place(name, cand, None, start, end)
        place.note = f"not in gazetteer; placed at {cand.place.name}, named in '{name}'"
        if place.precision in {"site", "town"}:
            place.precision = PlacePrecision.DISTRICT
        return place
    return Place(name=name, lat=None, lon=None, precision=PlacePrecision.UNKNOWN, start=start, end=end,
                 note="not in gazetteer; the text relates it to no known place")


def _embedded_place(name: str, gaz: Gazetteer,
                    context: Sequence[str]) -> tuple[Candidate, str] | None:
    """A large place named inside a longer name the gazetteer lacks ("Dubai World Cup",
    "Russian Higher School of Economics"): the longest run of its words, from the left, that
    names a country, a continent or a city of 100k+ people (small places are too often words)."""
    # Words, and the parts of hyphenated "City-Quarter" names ("Beirut-Mazraa").
    words = [w for w in re.split(r"\s+-\s+|\s+|(?<=[a-z])-(?=[A-Z])", name) if w]
    if len(words) < 2:
        return None
    for size in range(len(words) - 1, 0, -1):
        for i in range(0, len(words) - size + 1):
            part = " ".join(words[i:i + size])
            if not part[:1].isupper():
                continue
            for c in candidates(part, gazetteer=gaz, context_countries=context):
                big = c.place.kind in {"country", "region"} or (
                    c.place.kind == "town" and c.place.population >= 100_000
                    and (not context or c.place.country in context))
                if big and c.how in {"name", "alternate", "initials", "demonym"}:
                    return c, part
                break
    return None


def _placed_at_anchor(name: str, anchor: Place, rel: Relation, start: int, end: int) -> Place:
    """A place the gazetteer lacks, put at the place the text relates it to, never more precise
    than a district (near a town) or the anchor itself (inside a province or country)."""
    anchor_name = anchor.resolved_name or anchor.name
    floor = PlacePrecision.DISTRICT if not rel.contained else PlacePrecision.TOWN
    precision = max(anchor.precision, floor, key=PlacePrecision.rank_of)
    if rel.contained and anchor.precision in {"site", "town"}:
        precision = PlacePrecision.DISTRICT
    return Place(
        name=name, lat=anchor.lat, lon=anchor.lon, precision=precision,
        geonames_id=None, resolved_name=None, country=anchor.country, admin1=anchor.admin1,
        note=f"not in gazetteer; placed at {anchor_name}: text says '{rel.phrase}'",
        start=start, end=end)


# ---------------------------------------------------------------------------------------------
# The article's countries
# ---------------------------------------------------------------------------------------------

def context_countries(doc_text: str, *, gazetteer: Gazetteer | None = None, top: int = 3,
                      mentions: Iterable[str] | None = None) -> list[str]:
    """ISO codes of the countries an article is about, most-mentioned first (see
    ``sitrep.events.geo.context.article_context``, which also finds its divisions)."""
    from sitrep.events.geo.context import article_context

    return list(article_context(doc_text, gazetteer=gazetteer, top=top, mentions=mentions).countries)


#: How many people a country needs for two capitals to stand for it in news ("US", "UK").
NEWS_INITIALS_PEOPLE = 10_000_000


def _news_initials(mention: str, p: GazPlace) -> bool:
    """Whether initials in a text stand for this country as news writes them: three letters or
    more ("UAE", "DRC"), written with full stops ("U.S."), or two capitals that are the
    initials of the common name of a country of ``NEWS_INITIALS_PEOPLE`` ("US", "UK"). Not
    "AP" (Brunei, the Abode of Peace), "PM" (Principality of Monaco), "AI" (Aland Islands) or
    "TV": read as countries, such words filled articles' contexts with Brunei and Monaco."""
    letters = as_abbreviation(mention) or ""
    if len(letters) >= 3 or "." in mention:
        return True
    return p.population >= NEWS_INITIALS_PEOPLE and letters in {initials(p.name), initials(p.ascii_name)}


_DEMONYM_END = re.compile(r"(?:ish|ese|ian|an|ch|i|ic|ss|ek|ean)$")


def country_of_name(name: str, gaz: Gazetteer) -> tuple[str | None, float]:
    """The country a name implies and how strongly: a country (1), a large city (0.5), a
    demonym (0.5: adjectives often describe actors, not places); (None, 0) otherwise."""
    hits = [h for h in gaz.lookup(name, sound=False) if h.how != "initials" or _news_initials(name, h.place)]
    if len({h.place.country for h in hits if h.place.kind == "country" and h.how == "initials"}) > 1:
        return None, 0.0  # "SA": South Africa, Saudi Arabia, ... say nothing on their own
    for h in hits:
        if h.place.kind == "country":
            # A demonym ("French Quarter", "Danish court") often describes a people, a cuisine or
            # an actor, not where the article is: half weight, as for adjectives below.
            adjective = h.how == "alternate" and " " not in name.strip() and _DEMONYM_END.search(name.strip())
            return h.place.country, 0.5 if adjective else 1.0
    towns = [h.place for h in hits if h.how == "name" and h.place.kind == "town"
             and h.place.population >= 100_000]
    if len({t.country for t in towns}) == 1:
        # Only a city that names one country: Tripoli (Libya, Lebanon) says nothing.
        return towns[0].country, 0.5
    if towns:
        return None, 0.0
    if not hits:
        dem = _demonym_countries(name, gaz)
        if dem and dem[0].kind == "country":
            return dem[0].country, 0.5
    return None, 0.0




__all__ = [
    "WEIGHTS", "Candidate", "Relation", "ScoreWeights", "candidates", "context_countries", "division_cue",
    "exact_match",
    "geocode", "geocode_mention", "mention_hint", "normalise_hint", "related_place", "to_place",
]
