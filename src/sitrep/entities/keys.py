"""Comparison keys for names written in many spellings.

News in English spells Arabic and Persian names in many ways: "Qassem Soleimani" and "Kassem
Suleimani", "Hashd al-Sha'abi" and "Hashd al-Shaabi", "Kata'ib Hezbollah" and "Kataib
Hizbullah". Blind edit distance cannot tell these from truly different names ("Iran"/"Iraq" are
one letter apart), so names are first reduced to a key that folds away what transliteration
varies — script, apostrophes for ʿayn and hamza, the article al-, doubled consonants, q/k, o/u,
diphthong spellings, a trailing h — and only then compared, under rules strict about what
transliteration does not vary: consonant skeletons, final consonants, the nisba ending -i.

``e`` is kept in keys rather than folded into ``i``: English writers use it for both Arabic /a/
and /i/ ("Ahmed" for Ahmad, "Mehdi" for Mahdi, "Hezbollah" for Hizbullah), so it is compared as
a vowel that matches either, while ``a`` and ``i`` stay distinct ("Hamid" is not "Hamad").
"""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from jellyfish import jaro_winkler_similarity

# Apostrophe-like marks that stand for ʿayn and hamza, or are typographic variants of "'".
APOSTROPHES = "'’‘ʿʾʼ`´′ʻ"
_APOS_RE = re.compile("[" + re.escape(APOSTROPHES) + "]")
_POSSESSIVE_RE = re.compile("[" + re.escape(APOSTROPHES) + "]s?$")

# Arabic definite article written as a separate or hyphenated word, and its assimilated forms
# (ad-Din, as-Sadr, ash-Sham, at-Tall, az-Zawra, an-Najaf, ar-Ramadi) when hyphenated.
_ATTACHED_ARTICLE_RE = re.compile(
    r"(?<![a-z0-9])(?:al|el|il|ul|ad|adh|an|ar|as|ash|at|ath|az|ed|en|er|es|esh|et|ez)-(?=[a-z])"
)
_FREE_ARTICLES = {"al", "el"}
_LEADING_DETERMINERS = {"the"}

# Name parts whose spelling varies by convention rather than by sound.
_PART_VARIANTS = {
    "abdul": "abd", "abdel": "abd", "abdal": "abd", "abdol": "abd", "abdil": "abd",
    "ibn": "bin", "ben": "bin", "bin": "bin",
    "abou": "abu", "abo": "abu",
    "tel": "tal", "tell": "tal", "tall": "tal",
}

# Titles and ranks written before a person's name ("Lt. Gen. Qassem Soleimani", "General White").
PERSON_TITLES = frozenset(
    """
    general gen lieutenant lt colonel col major maj brigadier brig captain capt sergeant sgt
    admiral adm commander cmdr cdr marshal field private pvt corporal cpl
    president pres vice prime minister pm premier chancellor secretary undersecretary
    ambassador envoy senator sen representative rep congressman congresswoman governor gov
    mayor judge justice spokesman spokeswoman spokesperson chief deputy
    king queen prince princess emir crown sultan sheikh shaikh shaykh sheik ayatollah
    grand imam mullah mufti cleric
    dr doctor prof professor mr mrs ms miss sir lord lady mister
    """.split()
)
_PERSON_SUFFIXES = frozenset({"jr", "sr", "ii", "iii"})

VOWELS = frozenset("aeiu")  # after folding: o → u, y handled as a consonant except at the end


def type_family(type_: str) -> str:
    """Which types may name the same thing: organisations, armed groups and outlets are one
    family (NER calls a militia ORG one day and GROUP the next), places and facilities another
    (an air base is also a place name); a person never shares a family with anything else."""
    t = (type_ or "OTHER").upper()
    if t in {"ORG", "GROUP", "OUTLET"}:
        return "ORG"
    if t in {"PLACE", "FACILITY", "GPE", "LOC", "FAC"}:
        return "LOC"
    return t


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Script- and typography-free lower-case form: anyascii, apostrophes removed, dots inside
    abbreviations dropped ("U.S." → "us"), other punctuation and hyphens become spaces, except a
    hyphen between a letter and a digit ("K-1" → "k1")."""
    s = anyascii(name.strip()).lower()
    s = _POSSESSIVE_RE.sub("", s.strip())
    s = _APOS_RE.sub("", s)
    s = s.replace("&", " and ")
    s = re.sub(r"(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])", "", s)
    s = re.sub(r"\.", "", s)
    s = _ATTACHED_ARTICLE_RE.sub("", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


@lru_cache(maxsize=131072)
def _phonetic(token: str) -> str:
    """Fold one token's transliteration variants (see module docstring)."""
    if any(c.isdigit() for c in token):
        return token
    t = _PART_VARIANTS.get(token, token)
    t = t.replace("ph", "f").replace("dh", "z").replace("kh", "x")
    # Persian qaf is written gh at the start of a name (Ghasem/Qasem, Ghaani/Qaani); inside a
    # word gh is Arabic ghayn, often written g (Baghdad/Bagdad).
    t = re.sub(r"^gh", "k", t).replace("gh", "g")
    t = t.replace("ck", "k").replace("q", "k").replace("dj", "j")
    t = t.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("o", "u")
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled consonants and long vowels: Assad, Sha'abi
    t = t.replace("ei", "ai")
    t = re.sub(r"[ae]y(?![aeiu])", "ai", t)  # Husayn/Hussein, Ayn/Ain, but Sayyid keeps y
    t = re.sub(r"aw(?![aeiu])", "u", t)  # Zawr/Zor, Mawsil/Mosul: the diphthong written o
    # i before a vowel after a consonant is the glide y: Ziad/Ziyad, Yahia/Yahya, Diala/Diyala
    t = re.sub(r"(?<=[^aeiu])iy?(?=[aeu])", "y", t)
    t = re.sub(r"(.)\1+", r"\1", t)
    if len(t) > 3 and t.endswith("y") and t[-2] not in VOWELS:
        t = t[:-1] + "i"  # Baghdady / Baghdadi
    if len(t) > 3 and t[-1] == "h" and t[-2] in "ae":
        # ta marbuta: Fallujah/Falluja, Hamzah/Hamza, Haniyeh/Haniya; not -ih, a real
        # consonant (Falih, Salih)
        t = t[:-2] + "a"
    return t


def _strip_person(tokens: list[str]) -> list[str]:
    """Drop titles before a person's name, generational suffixes, and middle initials."""
    out = list(tokens)
    while len(out) > 1 and out[0] in PERSON_TITLES:
        out.pop(0)
    while len(out) > 1 and out[-1] in _PERSON_SUFFIXES:
        out.pop()
    if len(out) > 2:
        out = [out[0]] + [t for t in out[1:-1] if len(t) > 1] + [out[-1]]
    return out


# Generic heads after a weapon's name: "Patriot missiles", "Patriot air defense systems".
_EQUIPMENT_HEADS = frozenset(
    """missile missiles system systems battery batteries launcher launchers rocket rockets
    drone drones aircraft jet jets fighter fighters helicopter helicopters tank tanks
    air defense defence interceptor interceptors unit units""".split()
)


def _strip_equipment(tokens: list[str]) -> list[str]:
    """"Patriot missiles" → "patriot", "SAMs" → "sam"; a name made only of generic words
    ("air defense missile systems") is kept whole."""
    out = list(tokens)
    while len(out) > 1 and out[-1] in _EQUIPMENT_HEADS:
        out.pop()
    if out and len(out[-1]) >= 3 and out[-1].endswith("s") and not out[-1].endswith("ss") and out[-1][-2] not in "u":
        out[-1] = out[-1][:-1]  # plural of a designation: Patriots, SAMs
    return out


@lru_cache(maxsize=65536)
def key_tokens(name: str, type_: str, keep_articles: bool = False) -> tuple[str, ...]:
    """Normalised tokens of a name: folded, articles and leading "the" dropped, person titles
    dropped, each token phonetically folded. ``keep_articles`` keeps al-/el- as tokens, for the
    joined key."""
    tokens = (anyascii_lower_tokens(name) if keep_articles else fold(name).split())
    while len(tokens) > 1 and tokens[0] in _LEADING_DETERMINERS:
        tokens.pop(0)
    if len(tokens) > 1 and not keep_articles:
        kept = [t for t in tokens if t not in _FREE_ARTICLES]
        tokens = kept or tokens
    family = type_family(type_)
    if family == "PERSON":
        tokens = _strip_person(tokens)
    elif family == "EQUIPMENT":
        tokens = _strip_equipment(tokens)
    elif family == "NORP" and tokens and len(tokens[-1]) > 4 and tokens[-1].endswith("s") \
            and not tokens[-1].endswith("ss"):
        tokens = tokens[:-1] + [tokens[-1][:-1]]  # "Americans" is the NORP "American"
    return tuple(_phonetic(t) for t in tokens)


def anyascii_lower_tokens(name: str) -> list[str]:
    """Tokens as ``fold`` makes them, but with hyphenated articles kept as words."""
    s = anyascii(name.strip()).lower()
    s = _APOS_RE.sub("", _POSSESSIVE_RE.sub("", s.strip()))
    s = re.sub(r"\.", "", s)
    return re.sub(r"[^a-z0-9]+", " ", s).split()


def joined_key(name: str, type_: str) -> str:
    """The name's tokens, articles kept, written as one word: the key on which names that
    writers join or split agree ("Al Jazeera"/"Aljazeera", "Tal Afar"/"Talafar",
    "Al-Maalomah"/"Almaalomah", "Abu Bakr"/"Abubakr")."""
    return "".join(key_tokens(name, type_, keep_articles=True))


def name_key(name: str, type: str) -> str:  # noqa: A002 - the issue's signature
    """Transliteration-folded comparison key: equal keys mean the same name."""
    return " ".join(key_tokens(name, type))


def _consonants(token: str) -> str:
    return "".join(c for c in token if c not in VOWELS)


def block_key(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Blocking key: per token, its first and last consonant. Two names can only match when
    these agree (see ``token_match``), so comparing within a block loses no match while keeping
    ``EntityResolver.add`` from comparing against the whole corpus."""
    out = []
    for t in tokens:
        c = _consonants(t)
        out.append((c[:1] + c[-1:]) if c else "_")
    return tuple(out)


def _vowel_compatible(a: str, b: str) -> bool:
    """Equal length and equal letters, except that ``e`` matches ``a``, ``i`` or ``e``."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        if "e" in (x, y) and {x, y} <= {"a", "e", "i"}:
            continue
        return False
    return True


def token_match(a: str, b: str, threshold: float = 0.9) -> bool:
    """Whether two normalised tokens are one name spelled two ways.

    Equal, or equal but for an ``e`` vowel, always match. Beyond that, Jaro-Winkler similarity
    on the normalised tokens decides, and only for tokens longer than five letters, with the
    same first and last consonant and the same kind of ending: short names are too dense for
    fuzzy matching ("Iran"/"Iraq", "Hamid"/"Hamad"), a differing final consonant marks another
    word, and a final -i where the other ends in a consonant is the nisba adjective, another name
    ("Anbar"/"Anbari", "Husseini"/"Hussein", "Mosul"/"Mosuli").
    """
    if a == b or _vowel_compatible(a, b):
        return True
    if any(c.isdigit() for c in a + b):
        return False
    if min(len(a), len(b)) <= 5:
        return False
    ca, cb = _consonants(a), _consonants(b)
    if not ca or not cb or ca[0] != cb[0] or ca[-1] != cb[-1]:
        return False
    if (a[-1] in VOWELS) != (b[-1] in VOWELS):
        return False
    if (a[0] in VOWELS) != (b[0] in VOWELS):
        return False
    return jaro_winkler_similarity(a, b) >= threshold


def names_match(a: tuple[str, ...], b: tuple[str, ...], threshold: float = 0.9) -> bool:
    """Token-wise match of two normalised names with the same number of tokens."""
    if len(a) != len(b) or not a:
        return False
    return all(token_match(x, y, threshold) for x, y in zip(a, b))


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Score used to pick the best of several matching candidates."""
    return jaro_winkler_similarity(" ".join(a), " ".join(b))


def is_acronym(text: str) -> bool:
    """"PMU", "U.S.", "ISIL", "K1"-style tokens: upper-case letters (dots allowed), 2–8 long."""
    core = _POSSESSIVE_RE.sub("", text.strip()).replace(".", "")
    return 2 <= len(core) <= 8 and core.isalnum() and core.isupper() and core[0].isalpha()
