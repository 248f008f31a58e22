"""Each record is written once and read back by the same codec: ``from_json(to_json(x)) == x``.

The store keeps the public JSON (plus an article's private fields) and the API sends it; a field
one direction forgets would vanish on the first store round trip, so every record is checked here
fully populated, and through JSON text, as the store holds it.
"""
from __future__ import annotations

import json
from datetime import date

from sitrep.model import (
    Article,
    Caption,
    Claim,
    ClaimGroup,
    Cue,
    DateRange,
    Entity,
    Event,
    GeoPoint,
    Mention,
    OffsetMap,
    Place,
    RemovedSpan,
    SearchHit,
    SourceHop,
    StoredError,
    Story,
    StoryEvent,
    TimeSpan,
)


def _through_text(data):
    return json.loads(json.dumps(data, ensure_ascii=False))


def _event() -> Event:
    return Event(
        id="a1:e0", article_id="a1", type="deploy", trigger=Cue("moved", 8, 13), status="planned",
        actor="United States", target="Iraq", equipment="Patriot",
        place=Place("Harir", 36.54, 44.35, "site", geonames_id=99, resolved_name="Harir Air Base", country="IQ",
                    admin1="Erbil", note="placed at Harir", start=20, end=25),
        time=TimeSpan(date(2020, 3, 1), date(2020, 3, 31), "month", text="in March", inferred_publication=True),
        acled_event_type="Strategic developments", acled_sub_event_type="Other", claim_ids=["a1:c0"],
        article_ids=["a1"],
    )


def _claim() -> Claim:
    return Claim(id="a1:c0", article_id="a1", text="Troops moved.", start=0, end=13,
                 chain=[SourceHop("Press TV", "outlet"),
                        SourceHop("Qais", "person", 30, 34, role="spokesman", affiliation="Hashd")],
                 cue=Cue("said", 35, 39), origin_named=True, hedged=True, denied=False)


def test_claim_event_entity_story_round_trip_through_text():
    event, claim = _event(), _claim()
    assert Event.from_json(_through_text(event.to_json())) == event
    assert Claim.from_json(_through_text(claim.to_json())) == claim
    bare = Claim("a1:c1", "a1", "x", 0, 1, chain=[SourceHop("Press TV", "outlet")])
    assert Claim.from_json(_through_text(bare.to_json())) == bare
    entity = Entity("E1", "Harir Air Base", "FACILITY", aliases=["Harir", "Harir Air Base"],
                    mentions=[Mention("a1", 20, 25, "Harir", "FACILITY", entity_id="E1")],
                    geo=GeoPoint(36.54, 44.35, "site", geonames_id=99, name="Harir"), mention_count=1)
    assert Entity.from_json(_through_text(entity.to_json())) == entity
    story = Story("S1", "Troops move", ["a1", "a2"], date(2020, 3, 1), date(2020, 3, 31), key_entities=["Harir"],
                  outlets=["Press TV"],
                  events=[StoryEvent(event, ["a1:e0", "a2:e0"], reports=2, outlets=["Press TV"], independent_origins=1)],
                  claims=[ClaimGroup("g1", ["a1:c0"], "Troops moved.", 1, ["Press TV"], 1, ["Qais"], True, ["g2"])])
    assert Story.from_json(_through_text(story.to_json())) == story
    error = StoredError("f.jsonl", "does not parse", record_key="line:4", line=4, kind="parse", run_id=3,
                        created_at="2026-12-02T10:00:00+00:00")
    assert StoredError.from_json(_through_text(error.to_json())) == error
    hit = SearchHit("a1", "Title", "Press TV", "2020-03-29", "2020-03-29", "[Harir] base", -1.5)
    assert SearchHit.from_json(_through_text(hit.to_json())) == hit
    assert hit.to_json()["published"] == {"start": "2020-03-29", "end": "2020-03-29"}


def test_article_record_keeps_private_fields_out_of_the_public_json():
    article = Article(
        id="a1", source_path="in/a.html", text="Body text", original="Home\n\nBody text\n\nPhoto: x",
        offsets=OffsetMap([(0, 6, 9)]), title="Title", outlet="Press TV", outlet_basis="metadata",
        url="https://example.org/a", source_id="x-1", record_key="line:1", format="html",
        published=DateRange(date(2020, 3, 29), date(2020, 3, 30), inferred=True, basis="text"),
        captions=[Caption("Photo: x", 17, 25)], removed=[RemovedSpan(0, 4, "Home", "breadcrumb")],
        content_hash="abc", reprint_of="a0",
    )
    assert Article.from_record(_through_text(article.to_record())) == article
    public = article.to_json()
    assert public["captions"] == ["Photo: x"]  # captions as their texts; their spans are private
    for private in Article.PRIVATE_FIELDS:
        assert private not in public
        assert private in article.to_record()


def test_event_json_names_the_article_it_was_read_from():
    event = Event("a1:e0", "a1", "attack", Cue("hit", 0, 3))
    assert event.to_json()["article_id"] == "a1" and event.to_json()["article_ids"] == ["a1"]
    assert Event.from_json(event.to_json()).article_id == "a1"


def test_every_to_json_has_exactly_the_keys_of_its_declared_shape():
    """The API documents ``sitrep.shapes``; a key ``to_json`` adds or drops would make the
    OpenAPI document lie (the type checker sees the dict literals, this sees ``asdict`` too)."""
    from pydantic import TypeAdapter

    from sitrep import shapes

    event, claim = _event(), _claim()
    story_event = StoryEvent(event, ["a1:e0"], 1, ["Press TV"], 1)
    records = [
        (event, shapes.EventJSON), (event.place, shapes.PlaceJSON), (event.time, shapes.TimeSpanJSON),
        (event.trigger, shapes.CueJSON), (claim, shapes.ClaimJSON), (claim.chain[1], shapes.SourceHopJSON),
        (story_event, shapes.StoryEventJSON),
        (ClaimGroup("g1", ["c"], "t", 1, ["o"], 1, ["x"], False), shapes.ClaimGroupJSON),
        (Story("S1", "t", ["a1"], events=[story_event]), shapes.StoryJSON),
        (Entity("E1", "n", "PLACE", geo=GeoPoint(1.0, 2.0, "town", 5, "n")), shapes.EntityJSON),
        (Mention("a1", 0, 1, "x", "PLACE"), shapes.MentionJSON),
        (RemovedSpan(0, 1, "x", "footer"), shapes.RemovedSpanJSON), (Caption("x", 0, 1), shapes.CaptionJSON),
        (DateRange(date(2020, 1, 1), date(2020, 1, 2)), shapes.DateRangeJSON),
        (StoredError("f", "m", run_id=1, created_at="t"), shapes.StoredErrorJSON),
        (SearchHit("a1", "t", "o", None, None, "s", 1.0), shapes.SearchHitJSON),
        (Article("a1", "p", "t", "t", OffsetMap(), published=DateRange(date(2020, 1, 1), date(2020, 1, 1))),
         shapes.ArticleJSON),
    ]
    for record, shape in records:
        data = _through_text(record.to_json())
        declared = shape.__required_keys__ | shape.__optional_keys__
        assert shape.__required_keys__ <= set(data) <= declared, (shape.__name__, set(data) ^ declared)
        TypeAdapter(shape).validate_python(data, strict=True)
