"""The division a writer names right after a place: "Sarkh, Logar", "Paris, Texas".

News names a small place and, after a comma, the province or country it lies in. That second
name settles which of the world's same-named places is meant: "Sarkh, Logar" is in Logar,
Afghanistan, never Sarh in Chad (whose alternate name is also Sarkh). The geocoder uses it only
to veto a town or site candidate in another country; a name followed by "and", "or" or another
comma ("Moscow, Washington and Beijing") is a list, not a place and its division.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sitrep.model import Place

if TYPE_CHECKING:
    from sitrep.events.geo.geocode import Candidate

# ", Logar", ", Logar province", ", Afghanistan": a capitalised name of one to three words.
_APPOSED = re.compile(r"^,\s+((?:[A-Z][\w'’\-]*)(?:\s+[A-Z][\w'’\-]*){0,2})(?:\s+(?:province|governorate|state|region)\b)?")
# What follows a list item rather than an apposition: "Kirkuk, Baghdad and Basra", "A, B, C".
_LIST_GOES_ON = re.compile(r"^\s*(?:,\s*[A-Z]|and\b|or\b|&)")
# What follows a division in an apposition: punctuation, the end, or a preposition ("Sarkh, Logar
# on Monday"); a verb ("Paris, London is ...") means the second name starts a new clause.
_APPOSITION_ENDS = re.compile(r"^(?:\s*(?:[,.;:)\]\-\u2013\u2014]|$)|\s+(?:on|in|at|near|during|after|before|when|where|late|early|last|this)\b)")
DIVISION_PRECISIONS = {"province", "country"}


def apposed_division(doc_text: str, end: int, context_countries: Sequence[str] = (), *, gazetteer=None) -> Place | None:
    """The first-level division or country named after a comma right after ``doc_text[:end]``,
    geocoded, or None when the next name is not one (a town, an unknown name, nothing)."""
    found = apposed_division_entry(doc_text, end, context_countries, gazetteer=gazetteer)
    if found is None:
        return None
    from sitrep.events.geo.geocode import to_place  # geocode imports this module

    return to_place(found[0], found[1], "province")


def apposed_division_entry(doc_text: str, end: int, context_countries: Sequence[str] = (), *,
                           gazetteer=None) -> tuple[str, Candidate] | None:
    """As ``apposed_division``, but the division's name and gazetteer candidate, whose admin1
    code lets the geocoder prefer the namesake inside it ("Parkland, Florida")."""
    m = _APPOSED.match(doc_text[end:end + 80])
    after = doc_text[end + m.end():end + m.end() + 20] if m else ""
    if not m or _LIST_GOES_ON.match(after) or not _APPOSITION_ENDS.match(after):
        return None
    from sitrep.events.geo.geocode import candidates  # geocode imports this module

    found = candidates(m.group(1), context_countries=context_countries, feature_hint="province",
                       gazetteer=gazetteer)
    if not found or found[0].place.kind not in DIVISION_PRECISIONS or not found[0].place.country:
        return None
    return m.group(1), found[0]
