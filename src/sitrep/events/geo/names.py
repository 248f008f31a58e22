"""Place-name keys that survive the ways one Arabic, Persian or Kurdish name gets romanised.

News reports spell the same place many ways ("Ain al-Assad" / "Ain al-Asad", "Kharir" / "Harir",
"Al-Qa'im" / "Qaim"). Rather than fuzzy-matching every mention against every gazetteer name, we
reduce each name to two keys and index the gazetteer by them:

* ``name_key``: the spelling folded to ASCII (anyascii), lower case, without apostrophes, ayn
  marks, hyphens or punctuation, and without the Arabic article ("al-", "el-", and the
  assimilated "as-Sulaymaniyah" forms). Two names with the same ``name_key`` are the same name.
* ``sound_key``: ``name_key`` with the romanisation choices that do not change the name folded
  together (kh/h, q/k, gh/g, dh/d, ou/u, ee/i, y/i, doubled letters, a final "h"). A match on it
  is weaker evidence and the geocoder scores it lower.
"""
from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Article forms dropped anywhere in a name.
_ARTICLES = {"al", "el", "il", "ul"}
# Assimilated article forms ("as-Sulaymaniyah", "an-Najaf", "ad-Diwaniyah"): dropped only when the
# next word starts with the consonant the article assimilated to, so "As" in other names stays.
_SUN_ARTICLES = {"ad": "d", "adh": "d", "an": "n", "ar": "r", "as": "s", "ash": "s", "at": "t",
                 "ath": "t", "az": "z"}

_APOSTROPHES = re.compile(r"[\'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Spelling folds for the sound key: digraphs first, then single letters.
_DIGRAPH_FOLDS = [("kh", "h"), ("gh", "g"), ("dh", "d"), ("ph", "f"), ("ck", "k"), ("ou", "u"),
                  ("oo", "u"), ("ee", "i")]
_LETTER_FOLDS = str.maketrans({"q": "k", "y": "i", "w": "u", "e": "a", "o": "u"})
_FINAL_H = re.compile(r"(?<=[a-z0-9]{3})h\b")
_DOUBLED = re.compile(r"(.)\1+")



def fold(text: str) -> str:
    """ASCII, lower case, apostrophes gone, everything else that is not a letter or digit a space."""
    if not text.isascii():
        text = anyascii(unicodedata.normalize("NFC", _APOSTROPHES.sub("", text)))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def strip_articles(words: list[str]) -> list[str]:
    """Drop the Arabic article in its plain and assimilated forms, keeping at least one word."""
    if len(words) < 2:
        return words
    out: list[str] = []
    last = len(words) - 1
    for i, w in enumerate(words):
        if i < last and (w in _ARTICLES or (w in _SUN_ARTICLES
                                            and words[i + 1].startswith(_SUN_ARTICLES[w]))):
            continue
        out.append(w)
    return out


def name_key(text: str) -> str:
    """Spelling-insensitive key of a name: folded, article-free words joined by single spaces."""
    folded = fold(text)
    if " " not in folded:
        return folded
    return " ".join(strip_articles(folded.split()))


def sound_key(text: str) -> str:
    """Looser key that also folds romanisation variants (Kharir = Harir, Qaim = Kaim)."""
    return sound_of_key(name_key(text))


def sound_of_key(key: str) -> str:
    """``sound_key`` of a string that is already a ``name_key``."""
    for a, b in _DIGRAPH_FOLDS:
        if a in key:
            key = key.replace(a, b)
    key = key.translate(_LETTER_FOLDS)
    if _DOUBLED.search(key):
        key = _DOUBLED.sub(_first_group, key)
    return _FINAL_H.sub("", key) if "h" in key else key


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)


def is_latin_name(text: str) -> bool:
    """True when every letter is Latin script: other scripts' names cannot match English text and
    their machine romanisations ("ji er ku ke") only add false keys."""
    for ch in text:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def useful_alternate(name: str) -> bool:
    """Whether an alternate name is worth indexing for English news: Latin script, capitalised
    (GeoNames' lower-case entries are machine transliterations), and not a bare airport code."""
    if not name or not is_latin_name(name):
        return False
    if not any(ch.isupper() for ch in name):
        return False
    if len(name) <= 4 and name.isupper():
        return False
    return True
