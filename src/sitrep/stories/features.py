"""Text features shared by story clustering, claim matching and event coreference.

Reports of one story spell the same things differently (Ain al-Asad / Ain al-Assad, deployed /
deploys, 5,200 / 5200), so every comparison in this package goes through the same folding:
transliteration to ASCII, lower case, apostrophes dropped, and Snowball stems for content words.
Pure functions; the stemmer and stop-word list are built once at import.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import snowballstemmer
from anyascii import anyascii
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from sitrep.model import Article, Mention

_STEMMER = snowballstemmer.stemmer("english")
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z][a-z0-9]+|[0-9]+[a-z]+[a-z0-9]*")
_DOUBLED = re.compile(r"(.)\1+")
# Words that carry no topic in news copy beyond the stop-word list (reporting verbs, days, fillers).
_NEWS_STOP = frozenset(
    """said says say told report reported reports reportedly according also would could may might
    monday tuesday wednesday thursday friday saturday sunday today yesterday week weeks
    mr mrs ms new one two year years""".split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | _NEWS_STOP
# Types of mention that identify what a story is about (dates and numbers do not).
ENTITY_TYPES = frozenset(
    {"PERSON", "ORG", "PLACE", "FACILITY", "GROUP", "EQUIPMENT", "NORP", "EVENT", "GPE", "LOC", "FAC"}
)
# Of those, the types naming a place or a site (sitrep's and spaCy's labels): where a claim or a
# story happens.
PLACE_TYPES = frozenset({"PLACE", "FACILITY", "GPE", "LOC", "FAC"})


def fold(text: str) -> str:
    """ASCII, lower-case, apostrophes dropped, other punctuation to single spaces."""
    text = _APOSTROPHES.sub("", anyascii(text or "").lower())
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """A spelling-tolerant key for a name: folded, leading 'the' dropped, spaces removed and
    doubled letters collapsed, so 'Ain al-Assad' and 'Ain al-Asad' meet."""
    words = fold(name).split()
    if words and words[0] == "the":
        words = words[1:]
    return _DOUBLED.sub(r"\1", "".join(words))


# Words that say what kind of place a name is, not which one ("Ain al-Asad air base").
GENERIC_PLACE_WORDS = frozenset({"base", "bases", "air", "airbase", "airport", "city", "town", "province",
                                 "governorate", "district", "military", "the", "camp"})


@lru_cache(maxsize=100_000)
def place_name_key(name: str) -> str:
    """``name_key`` of a place name without its generic words ("Ain al-Assad base" → "ainalasad")."""
    words = [w for w in fold(name).split() if w not in GENERIC_PLACE_WORDS]
    return name_key(" ".join(words)) if words else name_key(name)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_tokens(text: str) -> list[str]:
    """Stemmed content words of ``text``: stop words and bare numbers dropped."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


# --------------------------------------------------------------------------------------------
# Entities of an article
# --------------------------------------------------------------------------------------------

_CAP_SEQ = re.compile(r"(?<![\w'’])[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+)*")


def mention_key(m: Mention) -> str:
    """The identity of a mention across documents: its resolved entity when known, else its
    (longest within-document) name folded."""
    if m.entity_id:
        return "e:" + m.entity_id
    return "n:" + name_key(m.full_form or m.text)


def capitalised_names(text: str) -> list[str]:
    """Fallback entity names when no mentions were extracted (e.g. benchmark streams read without
    spaCy): runs of capitalised words that are not all stop words. Sentence-initial common words
    ("The", "Police") survive only when they start a longer run, which keeps the noise low."""
    out = []
    for m in _CAP_SEQ.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower() in STOP_WORDS:
            words = words[1:]
        if not words:
            continue
        if len(words) == 1 and len(words[0]) < 3:
            continue
        out.append(" ".join(words))
    return out


def article_entity_keys(article: Article, limit_chars: int = 4000) -> list[str]:
    """Entity keys of an article, one per occurrence (callers count them): resolved mentions when
    the NLP stages ran, else capitalised names from the title and the lead of the text."""
    if article.mentions:
        return [mention_key(m) for m in article.mentions if m.type in ENTITY_TYPES or m.entity_id]
    text = (article.title or "") + ". " + article.text[:limit_chars]
    return ["n:" + name_key(n) for n in capitalised_names(text) if name_key(n)]


def mentions_in(article: Article, start: int, end: int) -> list[Mention]:
    """Mentions of ``article`` whose span lies inside ``[start, end)``."""
    return [m for m in article.mentions if m.start >= start and m.end <= end]


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]*\d)")
_NUMBER_WORDS = {
    "dozen": 12, "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000,
    "million": 1e6, "millions": 1e6,
}
# Words between a number and its noun that do not name what is counted.
_QUANTITY_SKIP = frozenset({"more", "than", "about", "some", "around", "nearly", "almost", "over",
                            "least", "at", "of", "the", "new", "additional", "extra"})


def quantities(text: str) -> list[tuple[float, frozenset[str]]]:
    """Counted things in ``text``: (value, stems of the words that name what is counted).

    "some 5,200 American forces" → (5200, {"american", "forc"}). The counted noun is guessed as
    the next up-to-three words that are not fillers; callers compare two quantities only when those
    stems intersect, which is how "5,200 troops" and "2,500 troops" come to be about one subject.
    """
    out = []
    for m in _NUMBER.finditer(text):
        if re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            continue  # a year: a time, not a count
        raw = m.group(1).replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        tail = fold(text[m.end(): m.end() + 60]).split()
        if tail and tail[0] in _NUMBER_WORDS and tail[0] not in ("dozen",):
            value *= _NUMBER_WORDS[tail[0]]
            tail = tail[1:]
        words = [w for w in tail[:4] if w not in _QUANTITY_SKIP][:3]
        subject = frozenset(stem(w) for w in words if w not in STOP_WORDS and not w.isdigit())
        if subject:
            out.append((value, subject))
    return out


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Overlap coefficient |A∩B| / min(|A|, |B|) (0 when either is empty)."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))
