"""The vocabularies are StrEnums whose members are their strings: JSON and stored values do not
change, and a place precision carries its rank and its ACLED geo_precision code."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

from sitrep.model import Cue, Event, Place, SourceHop, TimeSpan
from sitrep.vocab import EntityType, EventStatus, PlacePrecision, SourceKind, TimePrecision


def test_members_serialise_as_their_strings():
    with_members = Event(
        "e1", "a1", "attack", Cue("hit", 0, 3), status=EventStatus.DENIED,
        place=Place("Kirkuk", 35.47, 44.39, PlacePrecision.TOWN),
        time=TimeSpan(None, date(2020, 3, 29), TimePrecision.BEFORE_PUBLICATION))
    with_strings = Event(
        "e1", "a1", "attack", Cue("hit", 0, 3), status="denied",
        place=Place("Kirkuk", 35.47, 44.39, "town"),
        time=TimeSpan(None, date(2020, 3, 29), "before_publication"))
    assert json.dumps(with_members.to_json()) == json.dumps(with_strings.to_json())
    assert json.dumps(SourceHop("X", SourceKind.OFFICIAL).to_json(), indent=1) == json.dumps(
        SourceHop("X", "official").to_json(), indent=1)
    assert f"{EntityType.PERSON}" == str(EntityType.PERSON) == "PERSON"


def test_members_are_stored_as_plain_text():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (PlacePrecision.REGION,))
    assert db.execute("SELECT v, typeof(v) FROM t").fetchone() == ("region", "text")


def test_place_precision_rank_orders_finest_first():
    order = ["site", "town", "district", "province", "country", "region", "unknown"]
    assert [p.value for p in sorted(PlacePrecision, key=lambda p: p.rank)] == order
    assert [PlacePrecision.rank_of(v) for v in order] == list(range(7))
    # A stored value outside the vocabulary (or none) ranks with unknown, the coarsest.
    assert PlacePrecision.rank_of("galaxy") == PlacePrecision.rank_of(None) == PlacePrecision.UNKNOWN.rank


def test_acled_geo_precision_codes():
    assert {p.value: p.acled_code for p in PlacePrecision} == {
        "site": 1, "town": 1, "district": 2, "province": 3, "country": 3, "region": 3, "unknown": 3}


def test_time_precision_covers_what_timex_produces():
    from sitrep.events.timex import before_publication
    from sitrep.model import DateRange

    span = before_publication(DateRange(date(2020, 3, 30), date(2020, 3, 30)))
    assert span.precision is TimePrecision.BEFORE_PUBLICATION
    assert DateRange.from_json({"start": "2020-03-30", "end": "2020-03-30", "precision": "week"}).precision \
        is TimePrecision.WEEK
