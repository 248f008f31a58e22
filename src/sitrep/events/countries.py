"""Country words: names, short forms, demonyms and capitals mapped to ISO 3166-1 alpha-2 codes,
and the country a modifier names ("Iranian missile strike" → IR)."""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.events.syntax import _ent_of

# Common short forms and demonyms that suffix rules would miss, mapped to ISO 3166-1 alpha-2.
COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "american": "US", "americans": "US", "united states": "US", "uk": "GB", "u.k.": "GB",
    "britain": "GB", "great britain": "GB", "british": "GB", "french": "FR", "dutch": "NL",
    "swiss": "CH", "turkish": "TR", "turks": "TR", "saudi": "SA", "saudis": "SA", "emirati": "AE", "uae": "AE",
    "lebanese": "LB", "chinese": "CN", "japanese": "JP", "afghan": "AF", "filipino": "PH",
    "greek": "GR", "spanish": "ES", "portuguese": "PT", "danish": "DK", "swedish": "SE",
    "polish": "PL", "finnish": "FI", "irish": "IE", "palestinian": "PS", "palestinians": "PS",
    "palestine": "PS", "russia": "RU", "syria": "SY", "iran": "IR", "persian": "IR",
    "south korea": "KR", "north korea": "KP", "sudanese": "SD", "somali": "SO", "yemeni": "YE",
    "iraqi": "IQ", "israeli": "IL", "kuwaiti": "KW", "qatari": "QA", "omani": "OM",
    "bahraini": "BH", "pakistani": "PK",
}
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "s")


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str, str, str]]]:
    """(name → ISO2, capital → ISO2, ISO2 → (display name, capital, lat, lon)), loaded once."""
    import countrystatecity_countries as csc

    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    info: dict[str, tuple[str, str, str, str]] = {}
    for c in csc.get_countries():
        names[c.name.lower()] = c.iso2
        info[c.iso2] = (c.name, c.capital or "", c.latitude or "", c.longitude or "")
        if c.capital:
            capitals[c.capital.lower()] = c.iso2
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(c, attr, None)
                if v:
                    names.setdefault(v.lower(), c.alpha_2)
    except ImportError:  # pragma: no cover
        pass
    return names, capitals, info


@lru_cache(maxsize=8192)
def country_code(word: str, capitals: bool = False) -> str | None:
    """ISO2 of a country named, abbreviated or implied by a demonym ("Iranian" → "IR").

    With ``capitals`` a capital stands for its state ("Washington has blamed ...").
    """
    w = re.sub(r"\s+", " ", word.strip().lower())
    w = w.removeprefix("the ")
    if not w:
        return None
    if w in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[w]
    names, caps, _ = _country_tables()
    if w in names:
        return names[w]
    if capitals and w in caps:
        return caps[w]
    if len(w) < 4 or not w[0].isalpha() or " " in w:
        return None
    for suf in _DEMONYM_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            stem = w[: -len(suf)]
            hits = sorted((n for n in names if n.startswith(stem)), key=len)
            if hits:
                return names[hits[0]]
    return None


def country_name(iso2: str) -> str:
    """Display name of a country ("US" → "United States")."""
    return _country_tables()[2].get(iso2, (iso2, "", "", ""))[0]


def capital_of(iso2: str) -> str | None:
    return _country_tables()[2].get(iso2, ("", "", "", ""))[1] or None


def country_point(iso2: str) -> tuple[float | None, float | None]:
    """A representative point of a country (the package's centroid), for country precision."""
    info = _country_tables()[2].get(iso2)
    try:
        return float(info[2]), float(info[3])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None, None


def _country_modifier(tok) -> str | None:
    """ISO2 of a nationality or country word modifying ``tok`` ("US troops", "Iranian missiles")."""
    if tok is None:
        return None
    ent = _ent_of(tok)
    if ent is not None and ent.label_ in ("GPE", "NORP"):
        code = country_code(ent.text, capitals=ent.label_ == "GPE")
        if code:
            return code
    code = country_code(tok.text)
    if code:
        return code
    for c in tok.subtree:
        if c.i >= tok.i:
            break
        if c.dep_ in ("compound", "amod", "nmod", "poss") or c.head.dep_ in ("compound", "amod", "nmod", "poss"):
            code = country_code(c.text)
            if code and c.ent_type_ in ("", "GPE", "NORP"):
                return code
    return None
