"""A division named after a comma ("Sarkh, Logar") keeps a place in that division's country."""
from __future__ import annotations

from sitrep.events.geo import geocode_mention
from sitrep.events.geo.apposition import apposed_division
from sitrep.vocab import PlacePrecision


def _at(text: str, name: str, countries=()):
    i = text.index(name)
    return geocode_mention(name, i, i + len(name), text, list(countries))


def test_sarkh_logar_stays_in_afghanistan():
    text = "Taliban fighters attacked a checkpoint in Sarkh, Logar on Monday, Afghan officials said."
    place = _at(text, "Sarkh", ["AF"])
    assert place.country == "AF" and place.admin1 == "Logar"
    assert place.precision == "province" and PlacePrecision(place.precision).acled_code == 3  # never drawn as a town
    assert "Logar" in place.note
    # without the division the alternate name still finds Sarh in Chad: the comma is what decides
    bare = _at("Taliban fighters attacked a checkpoint in Sarkh on Monday.", "Sarkh")
    assert bare.country == "TD"


def test_the_division_picks_the_namesake_inside_it():
    place = _at("He was born in Paris, Texas, in 1950.", "Paris")
    assert place.country == "US" and place.precision == "town"


def test_a_list_of_towns_is_not_a_division():
    text = "Clashes were reported in Kirkuk, Baghdad and Basra."
    assert _at(text, "Kirkuk", ["IQ"]).geonames_id == 94787
    assert apposed_division("Kirkuk, Tuesday", len("Kirkuk")) is None  # a weekday is no place
    assert apposed_division("Kirkuk and Mosul", len("Kirkuk")) is None


def test_a_state_after_the_comma_settles_a_namesake_in_the_same_country():
    from sitrep.events.geo.apposition import apposed_division_entry

    name, cand = apposed_division_entry("Springfield, Illinois, on Monday", len("Springfield"))
    assert name == "Illinois" and cand.place.country == "US" and cand.place.admin1 == "IL"
    place = _at("Voters in Springfield, Illinois, went to the polls.", "Springfield")
    assert place.country == "US" and place.precision == "town"
    assert abs(place.lat - 39.8) < 0.3 and abs(place.lon + 89.65) < 0.3  # the capital of Illinois
