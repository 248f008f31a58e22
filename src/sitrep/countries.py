"""The country index: every lookup of a country by name, code, demonym or capital goes here.

Two packaged sources, read once per process and never over the network:

* ``countrystatecity-countries``: display names ("Iran", "United States"), capitals and a
  representative point (centroid) of every country;
* ``pycountry`` (ISO 3166-1): official, common and short names, alpha-2/alpha-3/numeric codes.

Hand tables add what neither knows: short forms ("U.S.", "UK") and demonyms that suffix rules
miss ("Dutch", "Emirati"). Callers: event extraction (actors, country-level places), event
coreference (a country actor's key), the ACLED export (ISO numeric code and ISO name). The
gazetteer build (``events.geo.sources``) reads the same packages as raw place records and the
NER relabeller reads GeoNames' place names; those are gazetteers, not country lookups.
"""
from __future__ import annotations

import re
from functools import lru_cache

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
    "bahraini": "BH", "pakistani": "PK", "dominican": "DO",
}
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "s")
#: Words that begin official country names ("Republic of Cuba", "Kingdom of ...", "Federal
#: Republic of ...") but name no country: a demonym's stem that begins one of them is no
#: country's ("Republican" is not Cuban, "Federalist" not Nigerian).
_GENERIC_NAME_WORDS = ("republic", "democratic", "federal", "federated", "kingdom", "islamic",
                       "united", "people", "state", "commonwealth", "principality", "sultanate",
                       "plurinational", "bolivarian", "socialist", "union", "independent")


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str, str, str]]]:
    """(name → ISO2, capital → ISO2, ISO2 → (display name, capital, lat, lon)), loaded once."""
    import countrystatecity_countries as csc
    import pycountry

    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    info: dict[str, tuple[str, str, str, str]] = {}
    for c in csc.get_countries():
        names[c.name.lower()] = c.iso2
        info[c.iso2] = (c.name, c.capital or "", c.latitude or "", c.longitude or "")
        if c.capital:
            capitals[c.capital.lower()] = c.iso2
    for iso in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(iso, attr, None)
            if v:
                names.setdefault(v.lower(), iso.alpha_2)
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
            if any(g.startswith(stem) or stem.startswith(g) for g in _GENERIC_NAME_WORDS):
                return None
            # The name the stem completes first ("Nigerian" → Nigeria, not Niger), then the
            # shortest name it begins.
            for ending in ("ia", "a", "y", "e", "o"):
                if stem + ending in names:
                    return names[stem + ending]
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


@lru_cache(maxsize=50_000)
def iso_lookup(value: str) -> str | None:
    """ISO alpha-2 of a country named or coded exactly (any ISO name or code, any case:
    "Iran, Islamic Republic of", "IRN", "us"), else None. No demonyms or short forms."""
    import pycountry

    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return None


@lru_cache(maxsize=512)
def iso_numeric_and_name(alpha2: str | None) -> tuple[str, str]:
    """(ISO 3166-1 numeric code, ISO English name) of an alpha-2 code; ("", the code) when ISO
    does not know it and blanks for no code."""
    if not alpha2:
        return "", ""
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return (str(int(c.numeric)), str(c.name)) if c else ("", alpha2)


__all__ = ["COUNTRY_ALIASES", "capital_of", "country_code", "country_name", "country_point",
           "iso_lookup", "iso_numeric_and_name"]
