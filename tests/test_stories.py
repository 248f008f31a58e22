"""Stories: online clustering, event coreference, claim matching, corroboration by origin."""
from __future__ import annotations

import json
from datetime import date

import pytest

from sitrep.model import (
    Article,
    Claim,
    Cue,
    DateRange,
    Event,
    Mention,
    OffsetMap,
    Place,
    SourceHop,
    TimeSpan,
)
from sitrep.stories import StoryClusterer, build_story, corroborate, merge_events, origin_key
from sitrep.stories.cluster import story_id_for
from sitrep.stories.features import name_key, quantities


def art(aid, outlet, title, text, day=date(2020, 3, 30), **kw) -> Article:
    return Article(
        id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
        title=title, outlet=outlet, published=DateRange(day, day) if day else None, **kw,
    )


def claim(cid, article, text, chain, denied=False, named=False) -> Claim:
    start = article.text.find(text)
    assert start >= 0, text
    hops = [SourceHop(article.outlet or "", "outlet")] + [SourceHop(n, k) for n, k in chain]
    c = Claim(id=cid, article_id=article.id, text=text, start=start, end=start + len(text),
              chain=hops, denied=denied, origin_named=named)
    article.claims.append(c)
    return c


# ------------------------------------------------------------------------------------ clustering

SAME_EVENT = [
    ("a1", "Outlet One", "Fire destroys Harbourview warehouse in Marlow",
     "A fire destroyed the Harbourview warehouse in Marlow on Monday night. Firefighters from "
     "Marlow and Brixley fought the blaze for six hours; the warehouse owner, Delia Mortensen, said "
     "nobody was hurt. The Marlow fire chief suspects faulty wiring."),
    ("a2", "Outlet Two", "Blaze guts Marlow warehouse; owner says no one hurt",
     "The Harbourview warehouse in Marlow burned down overnight, fire crews said. Delia Mortensen, "
     "who owns the warehouse, told reporters nobody was injured in the blaze. Investigators are "
     "looking at the wiring."),
    ("a3", "Outlet Three", "Marlow firefighters battle warehouse fire for six hours",
     "Firefighters in Marlow spent six hours fighting a fire at the Harbourview warehouse. The "
     "owner Delia Mortensen said no one was hurt; the fire chief named faulty wiring as a likely cause."),
]
UNRELATED = ("b1", "Outlet Two", "City council approves new budget for school buses",
             "The Elmford city council approved a budget that adds twelve school buses and raises "
             "teacher pay. Council member Ivo Petrakis voted against the tax increase.")


def test_same_event_in_three_outlets_is_one_story_and_unrelated_is_another():
    c = StoryClusterer()
    ids = [c.add(art(*row)) for row in SAME_EVENT]
    other = c.add(art(*UNRELATED))
    assert len(set(ids)) == 1
    assert other != ids[0]
    assert ids[0] == story_id_for("a1")  # deterministic: from the first article
    info = c.info(ids[0])
    assert info.article_ids == ["a1", "a2", "a3"]
    assert info.outlets == ["Outlet One", "Outlet Three", "Outlet Two"]
    assert info.title in {row[2] for row in SAME_EVENT}
    assert info.start == info.end == date(2020, 3, 30)


def test_reprint_joins_its_original_story_whatever_its_text():
    c = StoryClusterer()
    sid = c.add(art(*SAME_EVENT[0]))
    c.add(art(*UNRELATED))
    reprint = art("r1", "Aggregator", "Completely different headline", "Short teaser text only.",
                  reprint_of="a1")
    assert c.add(reprint) == sid


def test_story_closes_after_the_window():
    c = StoryClusterer(window_days=5, index_days=10, late_threshold=2.0, late_two_threshold=None)  # no late joins
    first = c.add(art(*SAME_EVENT[0], day=date(2020, 3, 1)))
    c.add(art(*UNRELATED, day=date(2020, 3, 20)))  # the clock moves on: the fire story closes
    assert first not in c.active_story_ids()
    later = art("a4", "Outlet Four", "Marlow fire chief blames faulty wiring for warehouse blaze",
                "The Marlow fire chief said faulty wiring caused the fire at the Harbourview warehouse.",
                day=date(2020, 3, 21))
    assert c.add(later) != first


def test_late_report_naming_the_same_person_joins_past_the_window():
    c = StoryClusterer(window_days=5)
    first = c.add(art(*SAME_EVENT[0], day=date(2020, 3, 1)))
    c.add(art(*UNRELATED, day=date(2020, 3, 20)))
    assert c.add(art(*SAME_EVENT[1], day=date(2020, 5, 21))) == first  # names Delia Mortensen


def test_state_round_trips_and_resumes():
    c = StoryClusterer()
    sid = c.add(art(*SAME_EVENT[0]))
    c.add(art(*UNRELATED))
    resumed = StoryClusterer.from_json(json.loads(json.dumps(c.to_json())))
    assert resumed.add(art(*SAME_EVENT[1])) == sid
    assert resumed.info(sid).article_ids == ["a1", "a2"]


def test_candidate_retrieval_stays_bounded():
    """Unrelated stories far in the past are not scored: the candidate list only holds stories
    sharing a strong term or entity, and closed stories leave the index."""
    c = StoryClusterer(window_days=3)
    for i in range(60):
        c.add(art(f"n{i}", "X", f"Story number {i} about topic{i}",
                  f"Unique words topic{i} zeta{i} omega{i}.", day=date(2020, 1, 1 + i % 28)))
    assert len(c.active_story_ids()) < 60
    vec = c._terms.weigh(c._term_counts(art(*SAME_EVENT[0])), learn=False)
    assert c.candidates(vec, {}) == []


# ------------------------------------------------------------------------------------ corroboration


def test_reprint_counts_once():
    a = art("o1", "Wire Daily", "t", "Rebels captured the town of Zarvik on Tuesday.")
    b = art("o2", "Reprinter", "t", "Rebels captured the town of Zarvik on Tuesday.", reprint_of="o1")
    claim("c1", a, "Rebels captured the town of Zarvik on Tuesday.", [])
    claim("c2", b, "Rebels captured the town of Zarvik on Tuesday.", [])
    (group,) = corroborate([a, b])
    assert group.reports == 2
    assert group.outlets == ["Reprinter", "Wire Daily"]
    assert group.independent_origins == 1


def test_two_outlets_relaying_one_anonymous_source_is_one_origin():
    a = art("p1", "Press One", "t", "Planes carrying American soldiers landed at the Ain al-Asad base.")
    b = art("p2", "Press Two", "t", "American soldiers arrived by plane at Ain al-Assad air base.")
    claim("c1", a, a.text, [("Almaalomah", "publication"), ("a security source", "anonymous")])
    claim("c2", b, b.text, [("Almaalomah", "publication"), ("security sources", "anonymous")])
    (group,) = corroborate([a, b])
    assert group.reports == 2
    assert group.independent_origins == 1
    assert group.any_origin_named is False
    # ... while the same descriptor heard by another publication is another origin.
    k1 = origin_key(a.claims[0], a, a.outlet)
    other = Claim("x", "p2", "t", 0, 1, [SourceHop("Press Two", "outlet"), SourceHop("Reuters", "publication"),
                                         SourceHop("a security source", "anonymous")])
    assert origin_key(other, b, b.outlet) != k1


def test_named_source_and_anonymous_source_are_two_origins():
    a = art("q1", "Press One", "t", "US troops deployed Patriot missiles at Ain al-Asad.")
    b = art("q2", "Press Two", "t", "Patriot missiles were deployed by US troops at Ain al-Asad.")
    claim("c1", a, a.text, [("Almaalomah", "publication"), ("Qusay al-Anbari", "person")], named=True)
    claim("c2", b, b.text, [("EADaily", "publication"), ("sources in the Arab Republic", "anonymous")])
    (group,) = corroborate([a, b])
    assert group.independent_origins == 2
    assert group.any_origin_named is True
    assert group.origins == ["EADaily: source", "Qusay al-Anbari"]


def test_relays_of_one_publication_collapse_to_it():
    a = art("e1", "Front A", "t", "Two Patriot batteries wait in Kuwait to be shipped to Iraq.")
    b = art("e2", "Front B", "t", "Two more Patriot batteries are waiting in Kuwait for shipment to Iraq.")
    claim("c1", a, a.text, [("EADaily", "publication")], named=True)
    claim("c2", b, b.text, [("EADaily", "publication"), ("sources", "anonymous")])
    (group,) = corroborate([a, b])
    assert group.independent_origins == 1


def test_outlet_voice_and_an_outlet_citing_it_are_one_origin():
    a = art("v1", "Press TV", "t", "Iranian missiles hit Ain al-Asad base in January.")
    b = art("v2", "Relay News", "t", "Iranian missiles hit the Ain al-Asad base in January, Press TV reported.")
    claim("c1", a, "Iranian missiles hit Ain al-Asad base in January.", [])
    claim("c2", b, "Iranian missiles hit the Ain al-Asad base in January", [("Press TV", "publication")], named=True)
    (group,) = corroborate([a, b])
    assert group.independent_origins == 1 and group.origins == ["Press TV"]


def test_denial_contradicts_assertion():
    a = art("d1", "Press TV", "t",
            "The US blamed the PMU for rocket attacks on American troops. "
            "The PMU strongly denied any role in the rocket attacks.")
    claim("c1", a, "the PMU for rocket attacks on American troops", [("The US", "organization")], named=True)
    claim("c2", a, "any role in the rocket attacks", [("The PMU", "organization")], denied=True, named=True)
    b = art("d2", "Other", "t", "Elsewhere, the weather in Baghdad was hot.")
    claim("c3", b, b.text, [])
    groups = {tuple(g.claim_ids): g for g in corroborate([a, b])}
    assert ("c1",) in groups and ("c2",) in groups  # never grouped together
    assert groups[("c1",)].contradicted_by == [groups[("c2",)].id]
    assert groups[("c2",)].contradicted_by == [groups[("c1",)].id]
    assert groups[("c3",)].contradicted_by == []


def test_number_contradiction():
    a = art("m1", "One", "t", "The parliament vote concerns some 5,200 American troops stationed in Iraq.")
    b = art("m2", "Two", "t", "The parliament vote concerns about 2,500 American troops stationed in Iraq.")
    c = art("m3", "Three", "t", "Some 5,200 American troops stationed in Iraq are concerned by the parliament vote.")
    claim("c1", a, a.text, [])
    claim("c2", b, b.text, [])
    claim("c3", c, c.text, [])
    groups = corroborate([a, b, c])
    assert len(groups) == 2
    by_claim = {cid: g for g in groups for cid in g.claim_ids}
    assert by_claim["c1"] is by_claim["c3"]
    assert by_claim["c1"].independent_origins == 2
    assert by_claim["c2"].contradicted_by == [by_claim["c1"].id]
    assert by_claim["c1"].contradicted_by == [by_claim["c2"].id]


def test_large_story_groups_without_all_pairs_agglomeration():
    """Above MAX_AGGLOMERATE claims in one matching component the greedy path takes over."""
    arts = []
    for i in range(320):
        a = art(f"L{i}", f"Outlet {i % 4}", "t", "Rebels captured the town of Zarvik on Tuesday.")
        claim(f"c{i}", a, a.text, [])
        arts.append(a)
    (group,) = corroborate(arts)
    assert group.reports == 320
    assert group.independent_origins == 4  # four outlets, each in its own voice


def test_unrelated_claims_stay_apart():
    a = art("u1", "One", "t", "Kata'ib Hezbollah held a military drill near Baghdad. Oil prices fell sharply in Asia.")
    claim("c1", a, "Kata'ib Hezbollah held a military drill near Baghdad.", [])
    claim("c2", a, "Oil prices fell sharply in Asia.", [])
    assert len(corroborate([a])) == 2


def test_quantities_read_counted_subjects():
    assert (5200.0, frozenset({"american", "forc"})) in quantities("including some 5,200 American forces")
    assert quantities("in January 2020") == []


# ------------------------------------------------------------------------------------ coreference

AIN_AL_ASAD = dict(lat=33.7856, lon=42.4412, precision="site", country="IQ")


def event(eid, article_id, etype, place=None, actor=None, target=None, equipment=None, time=None,
          claim_ids=(), status="asserted") -> Event:
    return Event(id=eid, article_id=article_id, type=etype, trigger=Cue(etype, 0, 1), status=status,
                 actor=actor, target=target, equipment=equipment, place=place, time=time,
                 claim_ids=list(claim_ids))


def test_same_deployment_reported_twice_is_one_event_with_two_origins():
    nf_claim = Claim("k1", "nf", "Patriot placed at Ain al-Assad", 0, 10,
                     [SourceHop("News Front", "outlet"), SourceHop("EADaily", "publication"),
                      SourceHop("sources in the Arab Republic", "anonymous")])
    pt_claim = Claim("k2", "pt", "deployed Patriot missiles in Ain al-Asad", 0, 10,
                     [SourceHop("Press TV", "outlet"), SourceHop("Almaalomah", "publication"),
                      SourceHop("Qusay al-Anbari", "person")], origin_named=True)
    events = [
        event("e1", "nf", "deploy", Place("Ain al-Assad base", **AIN_AL_ASAD), actor="U.S.",
              equipment="Patriot air defense missile systems", claim_ids=["k1"]),
        event("e2", "nf", "deploy", Place("Kharir base", 36.54, 44.35, "site", country="IQ"),
              actor="U.S.", equipment="SAMs"),
        event("e3", "pt", "deploy", Place("Ain al-Asad", 33.80, 42.44, "site", country="IQ"),
              actor="US", equipment="Patriot missiles", claim_ids=["k2"]),
        event("e4", "pt", "deploy", Place("Ain al-Asad", 33.80, 42.44, "site", country="IQ"),
              actor="US", equipment="troops and military advisers"),
    ]
    merged = merge_events(events, {"nf": "News Front", "pt": "Press TV"}, {"k1": nf_claim, "k2": pt_claim})
    by_ids = {tuple(se.event_ids): se for se in merged}
    assert ("e1", "e3") in by_ids
    patriot = by_ids[("e1", "e3")]
    assert patriot.reports == 2
    assert patriot.outlets == ["News Front", "Press TV"]
    assert patriot.independent_origins == 2
    assert patriot.event.article_ids == ["nf", "pt"]
    assert ("e2",) in by_ids and ("e4",) in by_ids


def test_events_apart_in_time_or_place_stay_apart():
    jan = TimeSpan(date(2020, 1, 1), date(2020, 1, 31), "month")
    mar = TimeSpan(date(2020, 3, 1), date(2020, 3, 31), "month")
    events = [
        event("e1", "a", "attack", Place("Ain al-Asad", **AIN_AL_ASAD), actor="Iran", time=jan),
        event("e2", "b", "strike", Place("Ain al-Assad", **AIN_AL_ASAD), actor="Iran",
              time=TimeSpan(None, date(2020, 3, 29), "before_publication")),
        event("e3", "c", "attack", Place("Ain al-Asad", **AIN_AL_ASAD), actor="Iran", time=mar),
        event("e4", "d", "attack", Place("Kirkuk", 35.47, 44.39, "town", country="IQ"), actor="Iran", time=jan),
        event("e5", "e", "protest", Place("Ain al-Asad", **AIN_AL_ASAD), time=jan),
    ]
    merged = merge_events(events, {k: k.upper() for k in "abcde"}, {})
    groups = sorted(tuple(se.event_ids) for se in merged)
    assert ("e1", "e2") in groups  # January is before the publication date: compatible
    assert ("e3",) in groups or ("e2", "e3") not in groups
    assert ("e4",) in groups and ("e5",) in groups
    jan_strike = next(se for se in merged if se.event_ids[:2] == ["e1", "e2"])
    assert jan_strike.independent_origins == 2  # two outlets in their own voice


def test_merged_event_prefers_a_region_to_an_unknown_place():
    """A region has coordinates and an unknown place has none: the merged event takes the
    region even when the unknown place's name sorts first (the two once ranked equal here)."""
    from sitrep.stories.coref import _merged_event

    unknown = event("e1", "a", "attack", Place("Aaa", None, None, "unknown"), actor="Iran")
    region = event("e2", "b", "attack", Place("Zzz Middle East", 29.0, 41.0, "region"), actor="Iran")
    for members in ([unknown, region], [region, unknown]):
        assert _merged_event(members, {}).place.precision == "region"


def test_missing_place_needs_strong_agreement():
    events = [
        event("e1", "a", "attack", Place("Ain al-Asad", **AIN_AL_ASAD), actor="Iran", equipment="missiles"),
        event("e2", "b", "attack", None),  # only the type agrees: not enough
        event("e3", "c", "attack", None, actor="Iran", target="United States", equipment="ballistic missiles"),
    ]
    merged = merge_events(events, {"a": "A", "b": "B", "c": "C"}, {})
    groups = sorted(tuple(se.event_ids) for se in merged)
    assert ("e2",) in groups
    assert ("e1", "e3") in groups


def test_generic_equipment_borrows_the_specific_one_named_before():
    text = "Washington sent Patriot batteries to Iraq. The weapons are placed at the Ain al-Asad base."
    a = art("g1", "Front", "t", text)
    a.mentions = [Mention("g1", text.find("Patriot"), text.find("Patriot") + 7, "Patriot", "EQUIPMENT")]
    placed = text.find("placed")
    e1 = Event("e1", "g1", "deploy", Cue("placed", placed, placed + 6), actor="United States",
               equipment="weapons", place=Place("Ain al-Asad base", **AIN_AL_ASAD))
    e2 = event("e2", "g2", "deploy", Place("Ain al-Assad", **AIN_AL_ASAD), actor="US",
               equipment="Patriot missiles")
    e3 = event("e3", "g3", "deploy", Place("Ain al-Asad", **AIN_AL_ASAD), actor="US", equipment="howitzers")
    outlets = {"g1": "Front", "g2": "Two", "g3": "Three"}
    merged = merge_events([e1, e2, e3], outlets, {}, articles={"g1": a})
    groups = sorted(tuple(se.event_ids) for se in merged)
    assert ("e1", "e2") in groups and ("e3",) in groups
    patriot = next(se for se in merged if se.event_ids == ["e1", "e2"])
    assert "Patriot" in patriot.event.equipment
    # Without the article (no way to read the reference), "weapons" stays unresolved but generic
    # enough not to block a match with either deployment.
    assert len(merge_events([e1, e2, e3], outlets, {})) == 2


def test_claims_carrying_one_event_match_despite_wording():
    a = art("w1", "One", "t", "The weapons are placed at the Ain al-Assad base, sources say.")
    b = art("w2", "Two", "t", "US troops have deployed Patriot missiles in Ain al-Asad to provide cover.")
    claim("c1", a, "The weapons are placed at the Ain al-Assad base", [])
    claim("c2", b, "US troops have deployed Patriot missiles in Ain al-Asad to provide cover.", [])
    assert len(corroborate([a, b])) == 2
    (group,) = corroborate([a, b], same_event=[["c1", "c2"]])
    assert group.reports == 2 and group.contradicted_by == []


def test_build_story_puts_it_together():
    arts = [art(*row) for row in SAME_EVENT]
    for a in arts:
        a.mentions = [Mention(a.id, i, i + 6, "Marlow", "PLACE") for i in [a.text.find("Marlow")]]
    claim("c1", arts[0], "the warehouse owner, Delia Mortensen, said nobody was hurt", [])
    story = build_story("S1", arts)
    assert story.article_ids == ["a1", "a2", "a3"]
    assert story.key_entities[0] == "Marlow"
    assert story.title in {row[2] for row in SAME_EVENT}
    assert story.start == date(2020, 3, 30)
    assert len(story.claims) == 1 and story.claims[0].reports == 1
    assert json.dumps(story.to_json())


def test_name_key_folds_spellings():
    assert name_key("Ain al-Assad") == name_key("Ain al-Asad")
    assert name_key("Kata'ib Hezbollah") == name_key("Kata’ib Hezbollah")


# ------------------------------------------------------------------------------------ seeds


@pytest.fixture(scope="module")
def seed_story():
    from conftest import shared_path

    from sitrep.claims import ClaimStage
    from sitrep.clean import clean_document
    from sitrep.entities import EntityResolver
    from sitrep.events.stage import EventStage
    from sitrep.model import RawDocument

    from sitrep.engines.local import run_stages
    from sitrep.nlp.stage import ParseStage

    seeds = shared_path("corpus", "seeds")
    paths = sorted(seeds.glob("*.txt"))
    assert paths, f"no seed reports in {seeds}"
    articles = []
    for path in paths:
        raw = RawDocument(source_path=str(path), record_key="", text=path.read_text(encoding="utf-8"),
                          format="txt")
        articles.append(clean_document(raw))
    articles = run_stages([ParseStage(), ClaimStage(), EventStage()], articles)
    resolver = EntityResolver()
    for a in articles:
        a.mentions = resolver.add(a.mentions, a.text)
    clusterer = StoryClusterer()
    story_ids = {clusterer.add(a) for a in articles}
    return articles, story_ids, build_story(sorted(story_ids)[0], articles)


def _by_file(articles, name):
    return next(a for a in articles if a.source_path.endswith(name))


def test_seeds_form_one_story(seed_story):
    _, story_ids, _ = seed_story
    assert len(story_ids) == 1


def test_seed_patriot_deployment_at_ain_al_asad(seed_story):
    articles, _, story = seed_story
    patriot = [se for se in story.events
               if se.event.type == "deploy" and se.event.place
               and name_key(se.event.place.name).startswith("ainalasad")
               and "patriot" in (se.event.equipment or "").lower()]
    assert patriot, [e.to_json() for e in story.events]
    assert patriot[0].reports == 2
    assert patriot[0].independent_origins == 2


def test_seed_iranian_strike_on_ain_al_asad(seed_story):
    _, _, story = seed_story
    strikes = [se for se in story.events
               if se.event.type in ("attack", "strike", "assault")
               and se.event.place and name_key(se.event.place.name).startswith("ainalasad")]
    assert strikes and strikes[0].reports == 2
    assert strikes[0].independent_origins == 2


def test_seed_rocket_attacks_denial_contradicts(seed_story):
    articles, _, story = seed_story
    ptv = _by_file(articles, "presstv-ain-al-asad.txt")
    ids = {c.id for c in ptv.claims if "rocket attacks" in c.text}
    groups = [g for g in story.claims if set(g.claim_ids) & ids]
    assert any(g.contradicted_by for g in groups), [g.to_json() for g in groups]


def test_similarity_matrix_by_row_blocks_equals_the_whole_formula(monkeypatch):
    """The blockwise build (bounded memory for stories of thousands of claims) gives exactly the
    numbers of the plain n × n formula, across block edges and with and without entities."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    from sitrep.stories import corroboration as corr
    from sitrep.stories.features import content_tokens

    subjects = ["Rockets struck Ain al-Asad", "A drone hit a convoy near Erbil", "Troops moved to Taji",
                "Protesters gathered in Tahrir Square", "Patriot batteries were deployed in Iraq"]
    texts = [f"{subjects[i % 5]} on day {i % 7}, said {['Reuters', 'a source', 'the ministry'][i % 3]}"
             for i in range(40)] + ["and the of", "it was so"]
    feats = [corr._features(Claim(f"c{i}", f"a{i % 9}", t, 0, len(t), [SourceHop("Wire", "outlet")]), None)
             for i, t in enumerate(texts)]
    assert any(f.entities for f in feats) and any(not f.entities for f in feats)

    m = TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True).fit_transform(texts)
    cos = (m @ m.T).toarray()
    keys = sorted({k for f in feats for k in f.entities})
    col = {k: x for x, k in enumerate(keys)}
    rows = [i for i, f in enumerate(feats) for _ in f.entities]
    cols = [col[k] for f in feats for k in f.entities]
    ents = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(keys)))
    shared = (ents @ ents.T).toarray()
    size = np.array([len(f.entities) for f in feats], dtype=float)
    smaller = np.minimum(size[:, None], size[None, :])
    both = smaller > 0
    overlap = np.divide(shared, smaller, out=np.zeros_like(shared), where=both)
    expected = np.where(both, 0.75 * cos + 0.25 * overlap, cos)
    np.fill_diagonal(expected, 1.0)

    for block in (7, 16, 256):
        monkeypatch.setattr(corr, "_ROW_BLOCK", block)
        assert np.array_equal(corr.similarity_matrix(feats), expected)
