"""The gazetteer: places with GeoNames ids, names, coordinates and feature codes, indexed by name.

One reader serves both the real GeoNames downloads (``allCountries.txt``, a country's ``XX.txt``,
``cities500.txt``: the 19-column tab-separated layout, plain, ``.zip`` or ``.gz``; and
``alternateNamesV2.txt`` / ``alternateNames.txt``) and the small extract shipped in
``sitrep/data/gazetteer/`` (a gzip TSV in the same layout, built by ``scripts/build_gazetteer.py``).
A user points sitrep at a full download with ``SITREP_GEONAMES=/path/to/dir`` (optionally
``SITREP_GEONAMES_COUNTRIES=IQ,SY,...`` to keep memory down); nothing is ever downloaded here.

Places without a GeoNames id (airfields from airportsdata, provinces from countrystatecity) carry
negative synthetic ids so they can never be mistaken for real GeoNames ids.
"""
from __future__ import annotations

import dataclasses
import gzip
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from sitrep.events.geo.names import name_key, sound_key, sound_of_key, useful_alternate

DEFAULT_EXTRACT = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "places.tsv.gz"

# GeoNames main-table columns (https://download.geonames.org/export/dump/readme.txt).
COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
    "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code",
    "admin4_code", "population", "elevation", "dem", "timezone", "modification_date",
)

# Alternate-name "languages" that are codes or links, not names.
_NON_NAME_LANGS = {"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "phon",
                   "piny", "fr_1793"}

# Words that say what kind of site a name is rather than which one.
GENERIC_SITE_WORDS = frozenset({"air", "airbase", "base", "bases", "airport", "airfield", "field",
                                "international", "army", "force", "military", "naval", "station",
                                "camp", "ab", "afb", "aab", "regional", "domestic"})

# Words that say what kind of division a name is ("Muhafazat Kirkuk", "Ostan-e Tehran").
ADMIN_WORDS = frozenset({"province", "governorate", "muhafazat", "muhafazah", "muhafaza", "ostan",
                         "e", "provincia", "state", "region", "wilayat", "vilayet", "velayat",
                         "mintaqat", "oblast", "district", "county", "qada", "nahiyat", "ili",
                         "department", "prefecture", "of"})

SITE_CODES = frozenset({"AIRB", "AIRF", "AIRP", "AIRH", "MILB", "INSM", "CMP", "BLDG", "PRN",
                        "FT", "PO", "DAM", "BDG", "PS"})


_MINOR_WORDS = frozenset({"of", "the", "and", "&"})


def initials(name: str) -> str | None:
    """Initials of a multi-word name, minor words left out: "United Arab Emirates" → "UAE",
    "Democratic People's Republic of Korea" → "DPRK", "Trinidad and Tobago" → "TT"."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    ini = "".join(w[0] for w in words)
    return ini if ini.isascii() and ini.isalpha() else None


def as_abbreviation(mention: str) -> str | None:
    """"U.S." / "US" / "T&T" → "US" / "US" / "TT" when the mention is an abbreviation in
    capitals (2 to 5 letters), else None."""
    letters = "".join(ch for ch in mention if ch not in ". &")
    if 2 <= len(letters) <= 5 and letters.isascii() and letters.isalpha() and letters.isupper():
        return letters
    return None


def site_words(name: str) -> frozenset[str]:
    """Sound keys of the distinctive words of a site name ("Al Asad Air Base" → {"asad"})."""
    return frozenset(sound_key(w) for w in name_key(name).split() if w not in GENERIC_SITE_WORDS)


@dataclass(frozen=True, slots=True)
class GazPlace:
    """One gazetteer entry, with the GeoNames fields the geocoder reasons over."""

    geonames_id: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str  # P populated place, A administrative, S spot (bases, airfields), ...
    feature_code: str  # PPL, PPLA, PPLC, ADM1, PCLI, AIRB, MILB, ...
    country: str  # ISO 3166-1 alpha-2
    admin1: str = ""
    population: int = 0

    @property
    def kind(self) -> str:
        """Coarse kind the geocoder prefers by: region, country, province, district, town, site."""
        fc, code = self.feature_class, self.feature_code
        if fc == "A" and code.startswith("PCL"):
            return "country"
        if fc == "A" and code == "ADM1":
            return "province"
        if fc == "A":
            return "district"
        if fc == "P":
            return "town"
        if fc == "S":
            return "site"
        if fc == "L" and code in {"CONT", "RGN"}:
            return "region"
        return "other"

    def names(self) -> Iterator[str]:
        yield self.name
        if self.ascii_name and self.ascii_name != self.name:
            yield self.ascii_name
        yield from self.alternate_names


@dataclass(frozen=True, slots=True)
class NameHit:
    """A gazetteer place found for a name, and how: "name" (its own name), "alternate" or "sound"."""

    place: GazPlace
    how: str


def default_keep(feature_class: str, feature_code: str) -> bool:
    """Which features of a full dump to index: places, countries, provinces, districts, and the
    sites a conflict report names (bases, airfields, installations)."""
    if feature_class == "P":
        return True
    if feature_class == "A":
        return feature_code.startswith("PCL") or feature_code in {"ADM1", "ADM2"}
    if feature_class == "S":
        return feature_code in SITE_CODES
    return False


class Gazetteer:
    """Places indexed by name key and sound key (see ``names``), by id, and countries by ISO code."""

    def __init__(self, places: Iterable[GazPlace] = ()) -> None:
        self.places: dict[int, GazPlace] = {}
        self._by_key: dict[str, list[int]] = {}
        self._by_sound: dict[str, list[int]] = {}
        self._primary: dict[int, set[str]] = {}
        self.countries: dict[str, GazPlace] = {}
        self._site_words: dict[str, list[tuple[GazPlace, frozenset[str]]]] | None = None
        self._initials: dict[str, list[int]] = {}
        self._fuzzy: dict[str, tuple[list[str], list[int]]] | None = None
        # fuzzy_in_country's answers, by (sound key, country, cutoff, limit): see there
        self._fuzzy_found: dict[tuple[str, str, float, int], list[tuple[int, float]]] = {}
        for p in places:
            self.add(p)

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, geonames_id: int) -> bool:
        return geonames_id in self.places

    def get(self, geonames_id: int) -> GazPlace | None:
        return self.places.get(geonames_id)

    def add(self, place: GazPlace) -> None:
        """Index a place under every key of its names (replacing an earlier entry with its id)."""
        pid = place.geonames_id
        self._site_words = None
        self._fuzzy = None
        self._fuzzy_found = {}
        if pid in self.places:
            self._unindex(self.places[pid])
        self.places[pid] = place
        primary = {name_key(place.name), name_key(place.ascii_name)}
        primary.discard("")
        self._primary[pid] = primary
        keys = primary | {name_key(n) for n in place.alternate_names}
        if place.feature_class == "A" and not place.feature_code.startswith("PCL"):
            # "Muhafazat Kirkuk", "Kirkuk Governorate", "Ostan-e Tehran" are also "Kirkuk", "Tehran".
            for k in list(keys):
                bare = " ".join(w for w in k.split() if w not in ADMIN_WORDS)
                if bare and bare != k:
                    keys.add(bare)
                    if k in primary:
                        primary.add(bare)
        keys.discard("")
        for k in keys:
            self._by_key.setdefault(k, []).append(pid)
        for snd in {sound_of_key(k) for k in keys}:
            if snd:
                self._by_sound.setdefault(snd, []).append(pid)
        if place.kind in {"country", "province", "region"}:
            for n in place.names():
                ini = initials(n)
                if ini:
                    self._initials.setdefault(ini, []).append(pid)
        if place.kind == "country" and (place.country not in self.countries
                                        or place.feature_code == "PCLI"):
            self.countries[place.country] = place

    def _unindex(self, place: GazPlace) -> None:
        pid = place.geonames_id
        for index in (self._by_key, self._by_sound):
            for k in [k for k, ids in index.items() if pid in ids]:
                index[k] = [i for i in index[k] if i != pid]

    def lookup(self, name: str, *, sound: bool = True) -> list[NameHit]:
        """Places whose name or alternate name has the same key as ``name``; an abbreviation in
        capitals ("U.S.", "UAE", "DPRK") finds countries and provinces by their initials; then,
        if asked, places that only share its sound key (``how="sound"``; keys of 4+ letters)."""
        key = name_key(name)
        if not key:
            return []
        hits: list[NameHit] = []
        seen: set[int] = set()
        for pid in self._by_key.get(key, ()):
            if pid not in seen:
                seen.add(pid)
                how = "name" if key in self._primary[pid] else "alternate"
                hits.append(NameHit(self.places[pid], how))
        abbr = as_abbreviation(name)
        if abbr:
            for pid in self._initials.get(abbr, ()):
                if pid not in seen:
                    seen.add(pid)
                    hits.append(NameHit(self.places[pid], "initials"))
        if sound and len(key) >= 4:
            for pid in self._by_sound.get(sound_of_key(key), ()):
                if pid not in seen:
                    seen.add(pid)
                    hits.append(NameHit(self.places[pid], "sound"))
        return hits

    def fuzzy_in_country(self, name: str, country: str, *, cutoff: float = 0.93,
                         limit: int = 3) -> list[tuple[GazPlace, float]]:
        """Places of one country whose name key is close to ``name``'s by Jaro-Winkler on the
        sound key (rapidfuzz): the last resort for spellings no rule folds ("Quamishli" for
        Qamishli). Kept to one country because across a whole gazetteer near-spellings are
        mostly other places."""
        from rapidfuzz import process
        from rapidfuzz.distance import JaroWinkler

        if self._fuzzy is None:
            self._fuzzy = {}
            for k, ids in self._by_sound.items():
                for pid in ids:
                    cc = self.places[pid].country
                    keys, owners = self._fuzzy.setdefault(cc, ([], []))
                    keys.append(k)
                    owners.append(pid)
        keys, owners = self._fuzzy.get(country, ([], []))
        query = sound_key(name)
        if len(query) < 5 or not keys:
            return []
        # One search costs ≈ 15 ms over the 25,014 keys of the United States, and the same
        # unknown names come back report after report: each answer is kept (perf, bench/RESULTS.md
        # "Pipeline cost"; the gazetteer does not change during a run, and ``add`` forgets them).
        memo = (query, country, cutoff, limit)
        hits = self._fuzzy_found.get(memo)
        if hits is None:
            found = process.extract(query, keys, scorer=JaroWinkler.normalized_similarity,
                                    score_cutoff=cutoff, limit=limit)
            hits = self._fuzzy_found[memo] = [(owners[i], score) for _, score, i in found]
        return [(self.places[pid], score) for pid, score in hits]

    def sites_with_words(self, words: Iterable[str]) -> list[tuple[GazPlace, frozenset[str]]]:
        """Sites (bases, airfields) any of whose name sound-key word sets is made only of
        ``words``, each with that word set. Lets "Ain al-Asad" find "Al Asad Air Base": reports
        often name a base with a word the gazetteer lacks ("Ain", "Camp")."""
        if self._site_words is None:
            self._site_words = {}
            for p in self.places.values():
                if p.feature_class != "S":
                    continue
                for n in p.names():
                    ws = site_words(n)
                    if ws:
                        for w in ws:
                            self._site_words.setdefault(w, []).append((p, ws))
        wanted = set(words)
        out: dict[tuple[int, frozenset[str]], tuple[GazPlace, frozenset[str]]] = {}
        for w in wanted:
            for p, ws in self._site_words.get(w, ()):
                if ws <= wanted:
                    out[(p.geonames_id, ws)] = (p, ws)
        return list(out.values())

    # ----------------------------------------------------------------------------------------
    # Loading
    # ----------------------------------------------------------------------------------------

    @classmethod
    def from_geonames_dump(
        cls,
        paths: str | os.PathLike | Iterable[str | os.PathLike],
        *,
        countries: Iterable[str] | None = None,
        keep: Callable[[str, str], bool] | None = default_keep,
        min_population: int = 0,
        filter_names: bool = True,
    ) -> "Gazetteer":
        """Read GeoNames main-table files and alternate-name files (a directory, or files).

        Main tables are any of ``allCountries``, ``XX``, ``citiesNNN`` (``.txt``, ``.zip``,
        ``.gz``); files whose name starts with ``alternateNames`` are read after them and their
        names attached to places already kept. Both are streamed line by line. ``countries``
        keeps only those ISO codes; ``keep(feature_class, feature_code)`` filters features
        (``None`` keeps all); ``min_population`` applies to populated places only.
        """
        files = _expand_paths(paths)
        wanted = {c.upper() for c in countries} if countries else None
        main = [f for f in files if not f.name.startswith("alternateNames")]
        alts = [f for f in files if f.name.startswith("alternateNames")]
        places: dict[int, GazPlace] = {}
        for f in main:
            with _open_text(f) as fh:
                for row in read_geonames_rows(fh):
                    if wanted and row[8] not in wanted:
                        continue
                    if keep is not None and not keep(row[6], row[7]):
                        continue
                    if min_population and row[6] == "P" and _int(row[14]) < min_population:
                        continue
                    place = place_from_row(row, filter_names=filter_names)
                    places[place.geonames_id] = place
        extra: dict[int, list[str]] = {}
        for f in alts:
            with _open_text(f) as fh:
                for alt_id, name in read_alternate_names(fh):
                    if alt_id in places:
                        extra.setdefault(alt_id, []).append(name)
        for gid, names in extra.items():
            p = places[gid]
            known = {p.name, p.ascii_name, *p.alternate_names}
            new = tuple(dict.fromkeys(n for n in names if n not in known))
            if new:
                places[gid] = dataclasses.replace(p, alternate_names=p.alternate_names + new)
        return cls(places.values())

    @classmethod
    def load_default(cls, path: str | os.PathLike | None = None) -> "Gazetteer":
        """The gazetteer sitrep uses: ``path`` (a GeoNames download), else ``$SITREP_GEONAMES``,
        else the regional extract shipped with sitrep."""
        target = path or os.environ.get("SITREP_GEONAMES")
        if target:
            cc = os.environ.get("SITREP_GEONAMES_COUNTRIES")
            countries = [c.strip() for c in cc.split(",") if c.strip()] if cc else None
            return cls.from_geonames_dump(target, countries=countries)
        return cls.from_geonames_dump(DEFAULT_EXTRACT, keep=None, filter_names=False)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded once on first use."""
    return Gazetteer.load_default()


# --------------------------------------------------------------------------------------------
# GeoNames file formats
# --------------------------------------------------------------------------------------------


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _expand_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir()
                              if f.suffix in {".txt", ".zip", ".gz", ".tsv"}
                              and not f.name.startswith(("readme", "admin", "hierarchy",
                                                         "featureCodes", "iso-languagecodes",
                                                         "timeZones", "countryInfo"))))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"GeoNames file not found: {p}")
    return out


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    if path.suffix == ".zip":
        zf = zipfile.ZipFile(path)
        # alternateNamesV2.zip also holds iso-languagecodes.txt: take the file named like the zip.
        txts = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
        inner = next((n for n in txts if Path(n).stem == path.stem), txts[0])
        return io.TextIOWrapper(zf.open(inner), encoding="utf-8", newline="\n")
    return open(path, encoding="utf-8", newline="\n")


def read_geonames_rows(fh: IO[str]) -> Iterator[list[str]]:
    """Rows of a GeoNames main table (19 tab-separated columns; comment lines skipped)."""
    for line in fh:
        if not line.strip() or line.startswith("#"):
            continue
        row = line.rstrip("\n").split("\t")
        if len(row) < 15:
            continue
        row.extend([""] * (19 - len(row)))
        yield row


def read_alternate_names(fh: IO[str]) -> Iterator[tuple[int, str]]:
    """(geonameid, name) pairs of an alternateNames file, without links, codes and historic names."""
    for line in fh:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or not cols[1].isdigit():
            continue
        if cols[2] in _NON_NAME_LANGS:
            continue
        if len(cols) > 7 and cols[7] == "1":  # isHistoric
            continue
        if useful_alternate(cols[3]):
            yield int(cols[1]), cols[3]


def place_from_row(row: list[str], extra_names: Iterable[str] = (), *,
                   filter_names: bool = True) -> GazPlace:
    """A ``GazPlace`` from a main-table row, keeping only alternate names useful in English text
    (``filter_names=False`` for the shipped extract, whose names were filtered when built)."""
    alts = row[3].split(",") if row[3] else []
    if filter_names:
        alts = [a for a in alts if useful_alternate(a)]
    alts.extend(extra_names)
    skip = {row[1], row[2]}
    return GazPlace(
        geonames_id=int(row[0]),
        name=row[1],
        ascii_name=row[2] or row[1],
        alternate_names=tuple(dict.fromkeys(a for a in alts if a not in skip)),
        lat=float(row[4]),
        lon=float(row[5]),
        feature_class=row[6],
        feature_code=row[7],
        country=row[8],
        admin1=row[10],
        population=_int(row[14]),
    )


def place_to_row(place: GazPlace) -> list[str]:
    """The 19 GeoNames columns of a place (unused columns empty), for writing an extract."""
    row = [""] * 19
    row[0] = str(place.geonames_id)
    row[1] = place.name
    row[2] = place.ascii_name
    row[3] = ",".join(a.replace(",", " ") for a in place.alternate_names)
    row[4] = f"{place.lat:.5f}"
    row[5] = f"{place.lon:.5f}"
    row[6] = place.feature_class
    row[7] = place.feature_code
    row[8] = place.country
    row[10] = place.admin1
    row[14] = str(place.population)
    return row


def write_geonames_tsv(places: Iterable[GazPlace], fh: IO[str]) -> int:
    """Write places as GeoNames main-table lines; returns how many were written."""
    n = 0
    for p in places:
        row = [c.replace("\t", " ").replace("\n", " ") for c in place_to_row(p)]
        fh.write("\t".join(row) + "\n")
        n += 1
    return n
