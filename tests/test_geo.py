"""Geocoding: gazetteer loading (GeoNames formats and the shipped extract), name keys, and the
geocoder's choices on the places the seed reports name."""
from __future__ import annotations

import gzip
import re

import pytest
from conftest import shared_path

from sitrep.events.geo import Gazetteer, geocode, geocode_mention
from sitrep.events.geo.gazetteer import DEFAULT_EXTRACT, default_gazetteer
from sitrep.events.geo.geocode import context_countries, related_place
from sitrep.events.geo.names import name_key, sound_key
from sitrep.geodesy import haversine_km
from sitrep.vocab import PlacePrecision


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def near(place, lat, lon, km=25.0) -> bool:
    return place is not None and place.lat is not None and haversine_km(place.lat, place.lon, lat, lon) <= km


# ---------------------------------------------------------------------------------------------
# Name keys
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Al-Qa'im", "Al Qā’im"), ("Qaim", "Al Qā'im"), ("Ain al-Asad", "Ain al Asad"),
    ("as-Sulaymaniyah", "Sulaymaniyah"), ("Ḩarīr", "Harir"), ("EL-Arish", "Arish"),
])
def test_name_key_folds_articles_apostrophes_and_diacritics(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [("Kharir", "Harir"), ("Ain al-Assad", "Ain al-Asad"),
                                 ("Qayyarah", "Kayara"), ("Sulaimaniya", "Sulaymaniyah")])
def test_sound_key_folds_romanisation_variants(a, b):
    assert name_key(a) != name_key(b)
    assert sound_key(a) == sound_key(b)


def test_keys_keep_different_places_apart():
    assert sound_key("Iran") != sound_key("Iraq")
    # "As" is only an article before an s-word.
    assert name_key("As Samawah") == "samawah"
    assert name_key("Asadabad") == "asadabad"


# ---------------------------------------------------------------------------------------------
# Loader: GeoNames dump formats
# ---------------------------------------------------------------------------------------------

def _row(gid, name, ascii_name, alts, lat, lon, fc, code, cc, admin1="", pop=0):
    cols = [str(gid), name, ascii_name, alts, str(lat), str(lon), fc, code, cc, "", admin1, "",
            "", "", str(pop), "", "100", "Asia/Baghdad", "2020-01-01"]
    return "\t".join(cols) + "\n"


@pytest.fixture
def tiny_dump(tmp_path):
    main = tmp_path / "IQ.txt"
    main.write_text(
        _row(1001, "Ḩadīthah", "Hadithah", "Haditha,حديثة", 34.1395, 42.3781, "P", "PPL", "IQ", "01", 30000)
        + _row(1002, "Kirkuk", "Kirkuk", "Karkuk,Kerkuk", 35.468, 44.392, "P", "PPLA", "IQ", "13", 1031000)
        + _row(1003, "Muḩāfaz̧at Kirkūk", "Muhafazat Kirkuk", "Kirkuk Governorate,Tamim", 35.33, 44.33, "A", "ADM1", "IQ", "13")
        + _row(1004, "Mount Nowhere", "Mount Nowhere", "", 35.0, 44.0, "T", "MT", "IQ")
        + _row(1005, "Baghdad", "Baghdad", "", 33.34, 44.40, "P", "PPLC", "IQ", "07", 7216000)
        + _row(2001, "Damascus", "Damascus", "", 33.51, 36.29, "P", "PPLC", "SY", "13", 1569394),
        encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text(
        "1\t1001\ten\tHaditha Dam Town\t\t\t\t\t\t\n"
        "2\t1001\tlink\thttps://en.wikipedia.org/wiki/Haditha\t\t\t\t\t\t\n"
        "3\t1002\ten\tArrapha\t\t\t\t1\t\t\n"  # historic: skipped
        "4\t1005\tar\tبغداد\t\t\t\t\t\t\n"  # not Latin script: skipped
        "5\t1005\ten\tBaghdad City\t\t\t\t\t\t\n"
        "6\t9999\ten\tNot In Table\t\t\t\t\t\t\n", encoding="utf-8")
    return tmp_path


def test_loader_reads_main_table_and_alternate_names(tiny_dump):
    g = Gazetteer.from_geonames_dump(tiny_dump)
    assert 1004 not in g  # mountains are not kept by default
    assert len(g) == 5
    hadithah = g.get(1001)
    assert hadithah.feature_code == "PPL" and hadithah.population == 30000 and hadithah.admin1 == "01"
    assert "Haditha Dam Town" in hadithah.alternate_names
    assert not any("wikipedia" in a for a in hadithah.alternate_names)
    assert "Arrapha" not in g.get(1002).alternate_names
    assert [h.place.geonames_id for h in g.lookup("Baghdad City")] == [1005]
    assert [h.place.geonames_id for h in g.lookup("Haditha")] == [1001]
    p = geocode("Haditha", gazetteer=g)
    assert p.geonames_id == 1001 and p.precision == "town" and p.country == "IQ"


def test_loader_country_filter_and_gzip(tiny_dump, tmp_path):
    gz = tmp_path / "allCountries.txt.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write((tiny_dump / "IQ.txt").read_text(encoding="utf-8"))
    g = Gazetteer.from_geonames_dump([gz], countries=["SY"])
    assert [p.name for p in g.places.values()] == ["Damascus"]


def test_loader_on_tiny_dump_prefers_kind_the_text_names(tiny_dump):
    g = Gazetteer.from_geonames_dump(tiny_dump)
    assert geocode("Kirkuk", gazetteer=g).geonames_id == 1002
    prov = geocode("Kirkuk", feature_hint="province", gazetteer=g)
    assert prov.geonames_id == 1003 and prov.precision == "province"
    assert PlacePrecision(prov.precision).acled_code == 3


def test_load_default_reads_env(tiny_dump, monkeypatch):
    monkeypatch.setenv("SITREP_GEONAMES", str(tiny_dump))
    g = Gazetteer.load_default()
    assert len(g) == 5


# ---------------------------------------------------------------------------------------------
# The shipped extract and the places of the seed reports
# ---------------------------------------------------------------------------------------------

IQ = ["IQ", "IR"]


def test_extract_is_small_and_covers_the_region(gaz):
    assert DEFAULT_EXTRACT.stat().st_size < 5_000_000
    kinds = {p.kind for p in gaz.places.values()}
    assert {"country", "province", "town", "site"} <= kinds
    assert len(gaz.countries) > 240


@pytest.mark.parametrize("name", ["Ain al-Asad", "Ain al-Assad base", "Al Asad Air Base"])
def test_ain_al_asad_is_the_air_base(gaz, name):
    p = geocode(name, context_countries=IQ, gazetteer=gaz)
    assert near(p, 33.79, 42.44, 5) and p.precision == "site"
    assert PlacePrecision(p.precision).acled_code == 1


@pytest.mark.parametrize("name", ["Harir", "Kharir base", "Kharir"])
def test_harir(gaz, name):
    p = geocode(name, context_countries=IQ, gazetteer=gaz)
    assert near(p, 36.54, 44.35, 25)


def test_base_named_after_town_not_in_gazetteer_is_not_exact(gaz):
    p = geocode("Kharir base", context_countries=IQ, gazetteer=gaz)
    assert p.precision != "site" and "no site" in p.note


@pytest.mark.parametrize("name,lat,lon,precision", [
    ("Kirkuk", 35.47, 44.39, "town"), ("Baghdad", 33.34, 44.40, "town"),
    ("Qaim", 34.39, 40.99, "town"), ("Al-Qa'im", 34.39, 40.99, "town"),
    ("Erbil", 36.19, 44.01, "town"), ("Anbar", 32.8, 41.6, "province"),
])
def test_seed_places(gaz, name, lat, lon, precision):
    p = geocode(name, context_countries=IQ, gazetteer=gaz)
    assert near(p, lat, lon, 30), p
    assert p.precision == precision and p.country == "IQ"


@pytest.mark.parametrize("name,cc", [("Kuwait", "KW"), ("Iran", "IR"), ("Iraq", "IQ")])
def test_countries(gaz, name, cc):
    p = geocode(name, context_countries=IQ, gazetteer=gaz)
    assert p.precision == "country" and p.country == cc
    assert PlacePrecision(p.precision).acled_code == 3


def test_unknown_name_is_none(gaz):
    assert geocode("Zzyzxqvile", gazetteer=gaz) is None


def test_context_country_disambiguates(gaz):
    # Several countries have a place called Tripoli; the article's country decides.
    lb = geocode("Tripoli", context_countries=["LB"], gazetteer=gaz)
    ly = geocode("Tripoli", context_countries=["LY"], gazetteer=gaz)
    assert lb.country == "LB" and ly.country == "LY"


def test_demonym_resolves_to_country(gaz):
    assert geocode("Iraqi", gazetteer=gaz).country == "IQ"
    assert geocode("Iranian", gazetteer=gaz).country == "IR"


# ---------------------------------------------------------------------------------------------
# Mentions in text
# ---------------------------------------------------------------------------------------------


def _at(text, name, nth=0):
    m = list(re.finditer(re.escape(name), text))[nth]
    return m.start(), m.end()


def test_mention_province_cue():
    text = "troops were deployed in the western Iraqi province of Anbar on Sunday."
    s, e = _at(text, "Anbar")
    p = geocode_mention("Anbar", s, e, text, ["IQ"])
    assert p.precision == "province" and (p.start, p.end) == (s, e)


def test_mention_base_cue_prefers_site(gaz):
    text = "Rockets hit the Kirkuk air base overnight."
    s, e = _at(text, "Kirkuk")
    p = geocode_mention("Kirkuk", s, e, text, ["IQ"], gazetteer=gaz)
    assert p.precision == "site" and near(p, 35.47, 44.35, 10)


def test_bare_site_name_finds_its_site_and_other_mentions_stay_towns(gaz):
    text = "Troops landed at Ain al-Asad. Flights left Baghdad airport. Protests filled Baghdad."
    s, e = _at(text, "Ain al-Asad")
    p = geocode_mention("Ain al-Asad", s, e, text, ["IQ"], gazetteer=gaz)
    assert p.precision == "site" and near(p, 33.79, 42.44, 5)
    s, e = _at(text, "Baghdad", 1)
    assert geocode_mention("Baghdad", s, e, text, ["IQ"], gazetteer=gaz).precision == "town"
    s, e = _at(text, "Baghdad", 0)
    assert geocode_mention("Baghdad", s, e, text, ["IQ"], gazetteer=gaz).precision == "site"


def test_not_in_gazetteer_placed_near_anchor(gaz):
    text = "Kata'ib Hezbollah held a military drill in the town of Jurf al-Nasr near Baghdad, to prepare."
    s, e = _at(text, "Jurf al-Nasr")
    p = geocode_mention("Jurf al-Nasr", s, e, text, ["IQ"], gazetteer=gaz)
    assert near(p, 33.34, 44.40, 30)
    assert p.precision == "district" and PlacePrecision(p.precision).acled_code == 2
    assert p.note == "not in gazetteer; placed at Baghdad: text says 'near Baghdad'"
    assert p.geonames_id is None and (p.start, p.end) == (s, e)


@pytest.mark.parametrize("mention", ["K1 Air Base", "K1"])
def test_k1_air_base_placed_at_kirkuk(gaz, mention):
    text = "US soldiers walk around at the K1 Air Base northwest of Kirkuk in northern Iraq."
    s, e = _at(text, mention)
    p = geocode_mention(mention, s, e, text, ["IQ"], gazetteer=gaz)
    assert near(p, 35.47, 44.39, 10) and p.precision == "district"
    assert "placed at Kirkuk" in p.note and "northwest of Kirkuk" in p.note


def test_not_in_gazetteer_without_anchor_is_kept_without_coordinates(gaz):
    text = "Fighting was reported in Zzyzxqvile yesterday."
    s, e = _at(text, "Zzyzxqvile")
    p = geocode_mention("Zzyzxqvile", s, e, text, ["IQ"], gazetteer=gaz)
    assert p is not None and p.lat is None and p.precision == "unknown" and "not in gazetteer" in p.note
    assert PlacePrecision(p.precision).acled_code == 3


def test_relation_phrase_with_distance():
    text = "Qwerty, 40 km south of Mosul, was shelled."
    rel = related_place(text, text.index(","))
    assert rel.anchor == "Mosul" and rel.relation.endswith("south of")


def test_context_countries_of_text(gaz):
    text = ("Iraqi officials said Iranian missiles hit the base. Iraq has asked the US to leave "
            "Iraq, and Baghdad protested.")
    ctx = context_countries(text, gazetteer=gaz)
    assert ctx[0] == "IQ" and "IR" in ctx


# ---------------------------------------------------------------------------------------------
# The seed reports, as an analyst reads them (seeds-expected.json events)
# ---------------------------------------------------------------------------------------------


SEED_MENTIONS = {
    "newsfront-patriot-iraq.txt": [
        ("Ain al-Assad", 33.8, 42.44, "site"), ("Kharir", 36.54, 44.35, None),
        ("Kuwait", None, None, "country"), ("Kirkuk", 35.47, 44.39, "town"),
        ("Baghdad", 33.34, 44.40, "town"), ("Iran", None, None, "country"),
    ],
    "presstv-ain-al-asad.txt": [
        ("Ain al-Asad", 33.8, 42.44, "site"), ("Anbar", 32.8, 41.6, "province"),
        ("Qaim", 34.39, 40.99, None), ("Jurf al-Nasr", 33.34, 44.40, "district"),
        ("K1 Air Base", 35.47, 44.39, "district"), ("Iraq", None, None, "country"),
    ],
}


@pytest.mark.parametrize("article", sorted(SEED_MENTIONS))
def test_seed_reports(gaz, article, seeds_expected):
    text = (shared_path("corpus", "seeds", article)).read_text(encoding="utf-8")
    ctx = context_countries(text, gazetteer=gaz)
    assert "IQ" in ctx[:2]  # Iraq, or the US whose troops the reports are about, then Iraq
    for name, lat, lon, precision in SEED_MENTIONS[article]:
        s, e = _at(text, name)
        p = geocode_mention(name, s, e, text, ctx, gazetteer=gaz)
        assert p is not None and p.lat is not None, name
        if lat is not None:
            assert near(p, lat, lon, 25), (name, p)
        if precision:
            assert p.precision == precision, (name, p)
    # The analyst's coordinates for the two bases, from seeds-expected.json.
    bases = [ev for ev in seeds_expected["events"]
             if article in ev["reported_by"] and ev.get("lat_lon") and "Ain al-Asad" in ev["where"]]
    assert bases, f"seeds-expected.json locates no Ain al-Asad event reported by {article}"
    for ev in bases:
        s, e = _at(text, "Ain al-Asad" if "Ain al-Asad" in text else "Ain al-Assad")
        p = geocode_mention(text[s:e], s, e, text, ctx, gazetteer=gaz)
        assert near(p, *ev["lat_lon"], 5)


# ---------------------------------------------------------------------------------------------
# Abbreviations, adjectives, continents, places inside longer names
# ---------------------------------------------------------------------------------------------


def test_initials_and_abbreviations():
    from sitrep.events.geo.gazetteer import as_abbreviation, initials

    assert initials("United Arab Emirates") == "UAE"
    assert initials("Democratic People's Republic of Korea") == "DPRK"
    assert initials("Trinidad and Tobago") == "TT"
    assert initials("Iraq") is None
    assert as_abbreviation("U.S.") == "US" and as_abbreviation("Iraq") is None


@pytest.mark.parametrize("name,cc", [("U.S.", "US"), ("US", "US"), ("UAE", "AE"), ("America", "US"),
                                     ("British", "GB"), ("Nigerian", "NG"), ("Syrian", "SY")])
def test_country_short_forms(gaz, name, cc):
    p = geocode(name, gazetteer=gaz)
    assert p.precision == "country" and p.country == cc, p


def test_short_capitals_do_not_sound_match(gaz):
    # "US" must not become Osh or Osa by sound.
    assert all(h.how != "sound" for h in gaz.lookup("US"))


def test_continent_is_coarse(gaz):
    p = geocode("Africa", gazetteer=gaz)
    assert p.precision == "region" and PlacePrecision(p.precision).acled_code == 3


def test_place_named_inside_a_longer_name(gaz):
    text = "The Dubai World Cup drew record crowds."
    s, e = _at(text, "Dubai World Cup")
    p = geocode_mention("Dubai World Cup", s, e, text, ["AE"], gazetteer=gaz)
    assert p.country == "AE" and p.precision == "district" and "placed at Dubai" in p.note


def _tiny() -> Gazetteer:
    from sitrep.events.geo.gazetteer import GazPlace

    return Gazetteer([
        GazPlace(1, "Bārah", "Barah", ("Bara",), 13.7, 30.4, "P", "PPL", "SD", "", 2000),
        GazPlace(2, "Idlib", "Idlib", ("Idleb",), 35.93, 36.63, "P", "PPLA", "SY", "", 128840),
        GazPlace(-3, "Idlib", "Idlib", ("Idleb Governorate",), 35.8, 36.5, "A", "ADM1", "SY"),
        GazPlace(-4, "Damascus International Airport", "Damascus International Airport",
                 ("Damascus",), 33.41, 36.51, "S", "AIRP", "SY"),
        GazPlace(5, "Syria", "Syria", (), 35.0, 38.0, "A", "PCLI", "SY", "", 17000000),
    ])


def test_small_namesake_abroad_is_not_taken():
    g = _tiny()
    assert geocode("Bara", gazetteer=g).country == "SD"  # no context: the only Bara
    assert geocode("Bara", context_countries=["SY"], gazetteer=g) is None


def test_contained_in_a_name_that_is_also_a_province_uses_the_province():
    g = _tiny()
    text = "Shelling hit Kansafra in Idleb on Friday."
    s, e = _at(text, "Kansafra")
    p = geocode_mention("Kansafra", s, e, text, ["SY"], gazetteer=g)
    assert p.precision == "province" and p.lat == 35.8 and "in Idleb" in p.note


def test_modifier_word_does_not_make_a_partial_site_match():
    g = _tiny()
    assert geocode("Rural Damascus", context_countries=["SY"], gazetteer=g) is None


def test_fuzzy_spelling_in_the_articles_country(gaz):
    p = geocode("Quamishli", context_countries=["SY"], gazetteer=gaz)
    assert near(p, 37.05, 41.22, 15) and "nearest spelling" in p.note and p.precision == "district"
    assert geocode("Quamishli", gazetteer=gaz) is None  # no country context: no guessing


def test_loader_reads_zipped_dump(tiny_dump, tmp_path):
    import zipfile

    out = tmp_path / "zipped"
    out.mkdir()
    with zipfile.ZipFile(out / "IQ.zip", "w") as zf:
        zf.writestr("readme.txt", "not data")
        zf.writestr("IQ.txt", (tiny_dump / "IQ.txt").read_text(encoding="utf-8"))
    with zipfile.ZipFile(out / "alternateNamesV2.zip", "w") as zf:
        zf.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\n")
        zf.writestr("alternateNamesV2.txt", (tiny_dump / "alternateNamesV2.txt").read_text(encoding="utf-8"))
    g = Gazetteer.from_geonames_dump(out)
    assert len(g) == 5 and "Haditha Dam Town" in g.get(1001).alternate_names


def test_geocoder_never_raises_and_keeps_the_span(gaz):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["al-", "Kirkuk", "near", "base", "province of", "U.S.", "Iraqi", "of",
                             "north", "Ain", "'", "-", "  ", "Zq", "é", "ش", "10 km", "in"])

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(words, min_size=1, max_size=8), st.data())
    def check(parts, data):
        text = " ".join(parts)
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        p = geocode_mention(text[start:end], start, end, text, ["IQ"], gazetteer=gaz)
        if text[start:end].strip():
            assert p is not None and (p.start, p.end) == (start, end)
            assert (p.lat is None) == (p.precision == "unknown")
        geocode(text, context_countries=["IQ"], gazetteer=gaz)

    check()


@pytest.mark.parametrize("text,precision", [
    ("Shelling hit Qwertyville in the town of Kirkuk on Friday.", "district"),
    ("Shelling hit Qwertyville in Kirkuk province on Friday.", "province"),
    ("Shelling hit Qwertyville in the western Iraqi province of Anbar.", "province"),
])
def test_relation_words_say_town_or_province(gaz, text, precision):
    s, e = _at(text, "Qwertyville")
    p = geocode_mention("Qwertyville", s, e, text, ["IQ"], gazetteer=gaz)
    assert p.precision == precision and p.country == "IQ", p


def test_extract_builders_derive_names_from_the_data():
    from sitrep.events.geo.sources import _currency_adjective, _short_names, icao_id, site_core_name

    assert site_core_name("Al Asad Air Base") == "Al Asad"
    assert site_core_name("Erbil International Airport") == "Erbil"
    assert _short_names("United States of America") == ["America"]
    assert _short_names("United Kingdom of Great Britain and Northern Ireland") == ["Great Britain"]
    assert _short_names("Korea, Republic of") == ["Korea"]
    assert _currency_adjective("Iraqi dinar", ["Iraq"]) == "Iraqi"
    assert _currency_adjective("United States dollar", ["United States"]) is None
    assert _currency_adjective("Euro", ["France"]) is None
    assert icao_id("ORAA") < -10_000_000 and icao_id("ORAA") == icao_id("oraa")


# ---------------------------------------------------------------------------------------------
# Places in context (issue 16): the article's countries and divisions, one sense per name
# ---------------------------------------------------------------------------------------------


def test_a_state_after_a_comma_picks_the_namesake_inside_it_and_later_mentions_follow():
    from sitrep.events.geo.article import resolve_places

    text = "A shooting at a school in Parkland, Florida left 17 dead. Parkland residents mourned."
    first = text.index("Parkland")
    second = text.index("Parkland", first + 1)
    bare = geocode_mention("Parkland", 0, 8, "Parkland residents mourned.")
    places = resolve_places(text, [(first, first + 8), (second, second + 8)])
    assert bare.geonames_id != 4167829  # alone, the larger namesake elsewhere in the US
    assert [p.geonames_id for p in places] == [4167829, 4167829]  # Parkland, Broward County, FL


def test_the_article_context_names_its_divisions():
    from sitrep.events.geo.context import article_context

    ctx = article_context("Storms hit Florida and Georgia in the United States on Monday.")
    assert ctx.countries[0] == "US"
    assert {d.name for d in ctx.divisions} >= {"Florida", "Georgia"}
    assert all(d.country == "US" and d.admin1 for d in ctx.divisions)


@pytest.mark.parametrize("name,text,country", [
    ("French", "The French government said it would respond.", "FR"),
    ("Danish", "A Danish court ruled on Monday.", "DK"),
    ("Britain", "Britain said it would send ships.", "GB"),
    ("Holland", "He moved to Holland in 1990.", "NL"),
])
def test_demonyms_and_news_names_find_their_country(name, text, country):
    i = text.index(name)
    p = geocode_mention(name, i, i + len(name), text)
    assert p.country == country and p.precision == "country"
    assert PlacePrecision(p.precision).acled_code == 3  # a country centroid is never a town


@pytest.mark.parametrize("name,text", [
    ("White House", "Officials at the White House said talks would go on."),
    ("Fahrenheit", "The keyboard reached 107 degrees Fahrenheit."),
    ("March", "The protest took place in March."),
])
def test_buildings_months_and_units_are_not_towns(name, text):
    i = text.index(name)
    p = geocode_mention(name, i, i + len(name), text)
    assert p.lat is None and p.precision == "unknown", p  # not Casablanca, not a town "Fahrenheit"


def test_a_person_or_organisation_name_needs_a_strong_match():
    for name in ("Macron", "Cornell", "Trump", "Rudolph"):
        text = f"Protesters gathered at {name} on Monday."
        i = text.index(name)
        assert geocode_mention(name, i, i + len(name), text, strict=True).lat is None, name
    text = "Protesters gathered at Baghdad on Monday."
    i = text.index("Baghdad")
    assert geocode_mention("Baghdad", i, i + 7, text, ["IQ"], strict=True).geonames_id == 98182


def test_a_street_the_gazetteer_lacks_lies_in_the_articles_town():
    from sitrep.events.geo.article import resolve_places

    text = ("Jazz clubs on Royal Street stayed open late. New Orleans police said the French "
            "Quarter was calm. New Orleans has hosted the festival since 1970.")
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Royal Street", "New Orleans")]
    street, town = resolve_places(text, spans)
    assert town.precision == "town" and town.country == "US"
    assert (street.lat, street.lon) == (town.lat, town.lon) and street.precision == "district"
    assert PlacePrecision(street.precision).acled_code == 2 and "New Orleans" in street.note
    # a bare unknown name (a person, a firm) is never placed that way
    text2 = "Qwertyson said New Orleans would recover. New Orleans is calm."
    spans2 = [(0, 9), (text2.index("New Orleans"), text2.index("New Orleans") + 11)]
    assert resolve_places(text2, spans2)[0].lat is None


def test_a_local_outlets_home_region_weighs_for_its_area():
    from sitrep.entities.geo import outlet_home
    from sitrep.events.geo.context import article_context

    assert outlet_home("Rudaw") == ("IQ", "Erbil")
    assert outlet_home("Reuters") == (None, None)  # not a local outlet
    ctx = article_context("Clashes were reported on Monday.", home_country="IQ", home_division="Erbil")
    assert ctx.countries == ("IQ",) and [d.country for d in ctx.divisions] == ["IQ"]


def test_news_regions_come_from_country_centroids():
    from sitrep.events.geo.sources import region_places

    regions = {p.name: p for p in region_places()}
    me = regions["Middle East"]
    assert me.feature_code == "RGN" and me.geonames_id < 0
    assert 25 < me.lat < 38 and 35 < me.lon < 52  # between the Levant, the Gulf and Iran


def test_a_county_named_after_its_seat_is_placed_there_at_district_precision():
    text = "Deputies in Orange County, California, arrested two men."
    i = text.index("Orange County")
    p = geocode_mention("Orange County", i, i + 13, text, ["US"])
    assert p.country == "US" and p.precision == "district"  # around the seat, not the town itself
    assert abs(p.lat - 33.8) < 0.3 and abs(p.lon + 117.85) < 0.3  # Orange, California


# ---------------------------------------------------------------------------------------------
# Issue 16, round three: countries over namesake towns, division cues, counties, known toponyms
# ---------------------------------------------------------------------------------------------


def _geocode_in(text: str, name: str, countries=(), **kw):
    i = text.index(name)
    return geocode_mention(name, i, i + len(name), text, list(countries), **kw)


def test_a_country_named_outright_beats_a_namesake_town_unless_a_division_follows():
    peru = _geocode_in("Delegates flew from Indiana to the summit in Peru on Friday.", "Peru", ["US"])
    assert peru.country == "PE" and peru.precision == "country"  # not Peru, Indiana
    town = _geocode_in("A fire in Lebanon, Pennsylvania, destroyed a barn.", "Lebanon", ["US"])
    assert town.country == "US" and town.precision == "town"


def test_namesake_divisions_tie_to_the_more_populous_country():
    # Maryland is a US state and a Liberian county; the article names no country.
    assert _geocode_in("Troopers in Maryland stopped the car.", "Maryland").country == "US"


@pytest.mark.parametrize("text,precision", [
    ("Crews drove to central Washington on Monday.", "province"),  # a part of it: the state
    ("A bakery in Tacoma, Washington, opened.", "province"),  # a town of the state, then the state
    ("She landed in Washington on Monday.", "town"),  # the capital
])
def test_the_words_around_a_state_that_is_also_a_city_say_which(text, precision):
    place = _geocode_in(text, "Washington", ["US"])
    assert place.country == "US" and place.precision == precision


def test_us_counties_are_in_the_extract_and_stay_out_of_other_countries_districts():
    county = _geocode_in("The Cuyahoga County executive spoke in Ohio.", "Cuyahoga County", ["US"])
    assert county.country == "US" and county.precision == "district"
    assert near(county, 41.50, -81.69, km=40)  # around Cleveland, its seat
    assert _geocode_in("Yemen. Shelling hit Hays district in Al Hudaydah.", "Hays", ["YE"]).country == "YE"
    # a bare word is no county ("Grand" is not Grand County)
    assert _geocode_in("He waved at the platform at Grand and State.", "Grand", ["US"]).precision != "district"


def test_a_known_toponym_the_gazetteer_lacks_is_placed_in_the_articles_area():
    from sitrep.events.geo.article import resolve_places

    text = "Police in Cape Town said a shack in Khayelitsha burned. Cape Town firefighters came."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Cape Town", "Khayelitsha")]
    known = resolve_places(text, spans, known_places=[True, True])[1]
    assert near(known, -33.93, 18.42) and known.country == "ZA"
    assert known.precision == "province" and PlacePrecision(known.precision).acled_code == 3
    assert "Cape Town" in known.note and known.geonames_id is None
    # without the caller saying it is a place, an unknown name keeps no point
    assert resolve_places(text, spans)[1].lat is None


def test_exact_mode_refuses_spelling_variants_and_names_inside_longer_names():
    text = "Maloney told reporters in London that the French Open was sold out."
    assert _geocode_in(text, "Maloney", ["GB"]).lat is not None  # nearest spelling: Maldon
    assert _geocode_in(text, "Maloney", ["GB"], exact=True).lat is None
    assert _geocode_in(text, "French Open", ["GB"]).country == "FR"  # a place named inside the name
    assert _geocode_in(text, "French Open", ["GB"], exact=True).lat is None
    # an exact name still counts
    assert _geocode_in(text, "London", ["GB"], exact=True).country == "GB"


def test_demonyms_of_generic_words_are_no_countries():
    from sitrep.countries import country_code

    assert country_code("Republican") is None and country_code("Republicans") is None
    assert country_code("Federalist") is None
    assert country_code("Nigerian") == "NG" and country_code("Iranian") == "IR"
    assert country_code("Dominican") == "DO"


def test_two_capitals_stand_for_a_country_only_as_news_writes_them():
    from sitrep.events.geo.geocode import country_of_name

    gaz = default_gazetteer()
    for word in ("AP", "TV", "PM", "AI"):  # Brunei, Bolivia, Monaco, Aland by some initials
        assert country_of_name(word, gaz) == (None, 0.0)
    assert country_of_name("US", gaz)[0] == "US" and country_of_name("U.S.", gaz)[0] == "US"
    assert country_of_name("UK", gaz)[0] == "GB" and country_of_name("UAE", gaz)[0] == "AE"
    assert country_of_name("SA", gaz) == (None, 0.0)  # South Africa or Saudi Arabia
