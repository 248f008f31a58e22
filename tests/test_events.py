"""Event extraction: the seed reports' events, argument reading, status, and the ontology."""
from __future__ import annotations

import re
from datetime import date

import pytest
from anyascii import anyascii
from rapidfuzz import fuzz

from sitrep.clean import clean_document
from sitrep.events import ontology
from sitrep.events.extract import country_code, extract_events
from sitrep.events.stage import EventStage, load_nlp
from sitrep.geodesy import haversine_km
from sitrep.model import Article, Claim, DateRange, OffsetMap, RawDocument, SourceHop


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def make_article(text: str, published: DateRange | None = None, aid: str = "a1") -> Article:
    return Article(id=aid, source_path="test", text=text, original=text, offsets=OffsetMap(), published=published)


def events_of(nlp, text: str, published: DateRange | None = None, claims=()):
    article = make_article(text, published)
    article.claims = list(claims)
    return extract_events(article, nlp(text))


def seed_article(path) -> Article:
    """The seed as the pipeline sees it: cleaned."""
    text = path.read_text(encoding="utf-8")
    return clean_document(RawDocument(source_path=str(path), record_key="", text=text, format="txt"))


# --------------------------------------------------------------------------------------------
# Ontology
# --------------------------------------------------------------------------------------------


def test_acled_names_match_acled_spelling():
    assert ontology.acled_for("attack", "air strike") == ("Explosions/Remote violence", "Air/drone strike")
    assert ontology.acled_for("attack", "drone strike") == ("Explosions/Remote violence", "Air/drone strike")
    for sub in ("missile attack", "rocket attack", "shelling"):
        assert ontology.acled_for("attack", sub) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert ontology.acled_for("clash", "armed clash") == ("Battles", "Armed clash")
    assert ontology.acled_for("kill") == ("Violence against civilians", "Attack")
    assert ontology.acled_for("protest") == ("Protests", "Peaceful protest")
    assert ontology.acled_for("riot") == ("Riots", "Violent demonstration")
    assert ontology.acled_for("agree") == ("Strategic developments", "Agreement")
    assert ontology.acled_for("arrest") == ("Strategic developments", "Arrests")
    assert ontology.acled_for("deploy")[0] == "Strategic developments"
    assert ontology.acled_for("accuse") == (None, None)
    assert ontology.acled_for("no such type") == (None, None)


def test_acled_names_exist_in_acled_data():
    import csv

    from conftest import shared_path

    path = shared_path("eval", "acled-middle-east-2020", "acled_middle_east.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seen_types = {r["event_type"] for r in rows}
    seen_subs = {r["sub_event_type"] for r in rows}
    for et in ontology.EVENT_TYPES.values():
        if et.acled_event_type:
            assert et.acled_event_type in seen_types
    for et_name, sub in ontology.ATTACK_SUBTYPES.values():
        assert et_name in seen_types and sub in seen_subs


def test_attack_acled_category_follows_means_and_target():
    # No remote means: a battle; on civilians: violence against civilians; remote means first.
    assert ontology.acled_for("attack") == ("Battles", "Armed clash")
    assert ontology.acled_for("attack", None, civilian_target=True) == ("Violence against civilians", "Attack")
    assert ontology.acled_for("attack", "air strike", civilian_target=True)[0] == "Explosions/Remote violence"
    assert ontology.acled_for("attack", "explosive") == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert ontology.acled_for("loot") == ("Strategic developments", "Looting/property destruction")
    assert ontology.acled_for("defuse") == ("Strategic developments", "Disrupted weapons use")


def test_lexicon_and_families():
    assert ontology.trigger_for("deploy", "VERB").type == "deploy"
    assert ontology.trigger_for("storming", "NOUN").type == "riot"
    assert ontology.trigger_for("drill", "NOUN").type == "exercise"
    assert ontology.trigger_for("oblige", "VERB").type == "legislate"
    assert ontology.trigger_for("table", "NOUN") is None
    assert ontology.same_family("riot", "protest") and ontology.root_type("riot") == "protest"
    assert not ontology.same_family("deploy", "attack")


def test_country_words():
    assert country_code("Iranian") == "IR"
    assert country_code("U.S.") == "US"
    assert country_code("Iraqi") == "IQ"
    assert country_code("Washington", capitals=True) == "US"
    assert country_code("Washington") is None
    assert country_code("Hezbollah") is None


# --------------------------------------------------------------------------------------------
# Argument reading on constructed sentences
# --------------------------------------------------------------------------------------------


def test_passive_attack_actor_from_agent_nationality(nlp):
    text = "The Taji base was hit by Syrian rockets on Tuesday."
    ev = [e for e in events_of(nlp, text, DateRange(date(2021, 6, 10), date(2021, 6, 10))) if e.type == "attack"]
    assert ev, "no attack event"
    e = ev[0]
    assert e.actor == "Syria"
    assert "Taji" in (e.target or "")
    assert e.equipment and "rockets" in e.equipment
    assert e.time.start == date(2021, 6, 8) and e.time.precision == "day"
    assert text[e.trigger.start:e.trigger.end] == e.trigger.text == "hit"
    assert e.acled_event_type == "Explosions/Remote violence"


def test_noun_trigger_possessor_and_subtype(nlp):
    text = "A Turkish drone strike on a village near Qamishli killed three people."
    ev = [e for e in events_of(nlp, text) if e.type == "attack"]
    assert ev
    e = ev[0]
    assert e.actor == "Turkey"
    assert e.trigger.text == "drone strike"
    assert e.acled_sub_event_type == "Air/drone strike"


def test_status_threatened_planned_denied_hypothetical(nlp):
    cases = {
        "Iran threatened to strike American bases in the region.": "threatened",
        "The Pentagon plans to deploy more troops to Syria next month.": "planned",
        "The army denied that it shelled the town of Idlib.": "denied",
        "Russian troops have not withdrawn from the Kherson region.": "denied",
        "Officials said Israel could bomb the port of Hodeidah.": "hypothetical",
    }
    for text, status in cases.items():
        evs = [e for e in events_of(nlp, text) if e.type in ("attack", "deploy", "withdraw")]
        assert evs, text
        assert evs[0].status == status, (text, evs[0])


def test_noise_gate_drops_bare_triggers(nlp):
    # "protests" with no actor, target, place or equipment says too little to count.
    assert [e for e in events_of(nlp, "That led to protests.") if e.type == "protest"] == []
    # "send" is a deploy trigger only when what is sent is force.
    assert [e for e in events_of(nlp, "The ministry sent a letter to the embassy in Amman.") if e.type == "deploy"] == []


def test_events_link_to_the_claim_containing_their_trigger(nlp):
    text = "Officials said US troops were deployed to Erbil. The weather was fine."
    claim = Claim(id="a1:c1", article_id="a1", text=text[:48], start=0, end=48,
                  chain=[SourceHop("Outlet", "outlet"), SourceHop("Officials", "anonymous", 0, 9)])
    ev = [e for e in events_of(nlp, text, claims=[claim]) if e.type == "deploy"]
    assert ev and ev[0].claim_ids == ["a1:c1"]
    assert ev[0].id == "a1:e1" and ev[0].article_ids == ["a1"]
    assert ev[0].actor == "United States"
    assert ev[0].place is not None and ev[0].place.name == "Erbil"
    assert text[ev[0].place.start:ev[0].place.end] == "Erbil"


def test_no_time_expression_means_before_publication(nlp):
    pub = DateRange(date(2020, 5, 2), date(2020, 5, 2))
    ev = events_of(nlp, "Protesters stormed the parliament building in Baghdad.", pub)
    assert ev and ev[0].type == "riot"
    assert ev[0].time.precision == "before_publication" and ev[0].time.end == date(2020, 5, 2)


def test_stage_reads_the_parse_stage_doc(nlp):
    from sitrep.nlp.stage import ParseStage

    article = make_article("Iraqi forces arrested five suspects in Mosul on Monday.", DateRange(date(2020, 5, 6), date(2020, 5, 6)))
    out = list(EventStage().pipe(ParseStage(nlp).pipe([article])))
    assert out[0] is article and article.doc is not None
    assert [e.type for e in article.events] == ["arrest"]
    assert article.events[0].time.start == date(2020, 5, 4)


def test_stage_without_a_parse_names_the_missing_stage():
    article = make_article("Iraqi forces arrested five suspects in Mosul on Monday.")
    with pytest.raises(ValueError, match="run the parse stage before it"):
        list(EventStage().pipe([article]))


# --------------------------------------------------------------------------------------------
# The seed reports: what a careful analyst reads out of them
# --------------------------------------------------------------------------------------------


def _fold(s: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", anyascii(s or "").lower().replace("'", "")).strip()


def _km(a, b) -> float:
    return haversine_km(a[0], a[1], b[0], b[1])


@pytest.fixture(scope="module")
def seed_events(nlp):
    from conftest import shared_path

    seeds = shared_path("corpus", "seeds")
    out = {}
    paths = sorted(seeds.glob("*.txt"))
    assert paths, f"no seed reports in {seeds}"
    for path in paths:
        article = seed_article(path)
        out[path.name] = (article, extract_events(article, nlp(article.text)))
    return out


def _matches(event, want, article) -> tuple[bool, str]:
    if not ontology.same_family(event.type, want["type"]):
        return False, "type"
    if want.get("actor") and _fold(event.actor) != _fold(want["actor"]):
        return False, "actor"
    if want.get("when") and article.published is not None:
        lo, hi = (date.fromisoformat(d) for d in want["when"])
        t = event.time
        if t is None or t.start is None or t.end is None or t.start < lo or t.end > hi:
            return False, "time"
    if want.get("where"):
        if event.place is None:
            return False, "place"
        if want.get("lat_lon"):
            if event.place.lat is None or _km((event.place.lat, event.place.lon), want["lat_lon"]) > 25:
                return False, "place-distance"
        else:
            name = want["where"].split(",")[0]
            if fuzz.partial_ratio(_fold(event.place.name), _fold(name)) < 75:
                return False, "place-name"
    return True, ""


def test_seed_events_are_extracted(seeds_expected, seed_events):
    failures = []
    for want in seeds_expected["events"]:
        for name in want["reported_by"]:
            article, events = seed_events[name]
            results = [_matches(e, want, article) for e in events]
            if not any(ok for ok, _ in results):
                failures.append((want["what"], name, sorted({why for _, why in results})))
    assert not failures, failures


def test_seed_event_places_within_25km(seeds_expected, seed_events):
    located = [want for want in seeds_expected["events"] if want.get("lat_lon")]
    assert located, "seeds-expected.json gives no event coordinates"
    for want in located:
        for name in want["reported_by"]:
            article, events = seed_events[name]
            assert any(_matches(e, want, article)[0] for e in events), (want["what"], name)


def test_seed_spans_are_exact(seed_events):
    for article, events in seed_events.values():
        assert events
        for e in events:
            assert article.text[e.trigger.start:e.trigger.end] == e.trigger.text
            assert e.id.startswith(article.id + ":e")
            if e.place is not None and e.place.start is not None:
                assert 0 <= e.place.start < e.place.end <= len(article.text)


def test_newsfront_relative_dates_stay_unresolved(seed_events):
    article, events = seed_events["newsfront-patriot-iraq.txt"]
    assert article.published is None  # the seed carries no date, so "on Tuesday" has no anchor
    strikes = [e for e in events if e.type == "attack" and e.actor == "Iran"]
    assert strikes and all(e.time.start is None for e in strikes)


def test_means_set_the_attack_subtype(nlp):
    ev = events_of(nlp, "Houthi forces fired mortar shells at government positions in Taiz.")
    attacks = [e for e in ev if e.type == "attack"]
    assert attacks and attacks[0].acled_sub_event_type == "Shelling/artillery/missile attack"
    ev = events_of(nlp, "Gunmen attacked a checkpoint near Kirkuk.")
    attacks = [e for e in ev if e.type == "attack"]
    assert attacks and attacks[0].acled_event_type == "Battles"


def test_clash_sides_and_riot_cues(nlp):
    ev = [e for e in events_of(nlp, "Clashes erupted between Kurdish fighters and Turkish troops in Afrin.") if e.type == "clash"]
    assert ev and ev[0].actor and "Kurdish fighters" in ev[0].actor
    assert ev[0].place is not None and ev[0].place.name == "Afrin"
    ev = events_of(nlp, "Protesters gathered in Beirut and hurled stones at the police.")
    assert any(e.type == "riot" and e.acled_event_type == "Riots" for e in ev)


# --------------------------------------------------------------------------------------------
# ACLED coding of violence: victims, means, outcomes (issue 16)


def _acled(events, trigger: str) -> tuple[str | None, str | None]:
    e = next(e for e in events if e.trigger.text == trigger or e.trigger.text.endswith(trigger))
    return e.acled_event_type, e.acled_sub_event_type


def test_violence_against_combatants_is_a_battle_and_against_civilians_is_not(nlp):
    fighter = events_of(nlp, "On 7 May, unknown gunmen shot and killed a QSD fighter in Raqqa city.")
    assert _acled(fighter, "killed") == ("Battles", "Armed clash")
    member = events_of(nlp, "On 8 May, unidentified gunmen assassinated a member of the regime's 4th Division in Bait Jan.")
    assert _acled(member, "assassinated")[0] == "Battles"
    civilian = events_of(nlp, "On 1 May, gunmen riding a motorcycle killed a civilian in the town of Mastumeh.")
    assert _acled(civilian, "killed")[0] == "Violence against civilians"


def test_outcomes_are_coded_by_the_means_their_sentence_tells(nlp):
    mine = events_of(nlp, "On 1 May, 2 children were killed when a landmine exploded in front of a house in the town of Basira.")
    assert _acled(mine, "killed") == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    shelled = events_of(nlp, "The military base in Kirkuk was shelled, which resulted in the death of an American citizen.")
    assert _acled(shelled, "death")[0] == "Explosions/Remote violence"
    crash = events_of(nlp, "Two United States service members have been killed in a helicopter crash in Afghanistan.")
    assert _acled(crash, "killed")[0] != "Explosions/Remote violence"  # a crash is no air strike


def test_remote_means_read_from_the_subject_and_what_is_fired(nlp):
    air = events_of(nlp, "On 7 May, 4 Saudi-led coalition airstrikes reportedly targeted Al Arqoub area in Sanaa.")
    assert _acled(air, "targeted") == ("Explosions/Remote violence", "Air/drone strike")
    guns = events_of(nlp, "On 4 May, pro-Houthi forces reportedly fired medium weapons and sniper rifles at residential neighbourhoods of Hays city.")
    assert _acled(guns, "fired") == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    rockets = events_of(nlp, "On 6 May, 3 unidentified Katyusha rockets fell near Baghdad airport causing no damage.")
    assert _acled(rockets, "fell")[0] == "Explosions/Remote violence"
    opened = events_of(nlp, "On 2 May, pro-Houthi snipers reportedly opened fire on a civilian in the east of Hays city, killing him.")
    attack = next(e for e in opened if e.trigger.text == "opened fire")
    assert attack.target == "civilian" and attack.acled_event_type == "Violence against civilians"


def test_wishes_efforts_and_purposes_are_not_asserted(nlp):
    eager = events_of(nlp, "President Trump has been eager to withdraw from Afghanistan, officials said.")
    assert all(e.status != "asserted" for e in eager if e.type == "withdraw")
    effort = events_of(nlp, "Volker said he had no knowledge of any efforts to urge Ukraine to investigate the Bidens.")
    assert all(e.status != "asserted" for e in effort if e.type == "demand")


def test_sources_and_opponents_are_not_places(nlp):
    un = events_of(nlp, "More than 2,500 Afghan civilians have been killed in the fighting so far this year, according to the United Nations.")
    assert all(e.place is None or "United Nations" not in e.place.name for e in un)
    against = events_of(nlp, "The protests had broadened into a resistance movement against the territory's government and Beijing.")
    assert all(e.place is None or e.place.name != "Beijing" for e in against if e.type == "protest")
    crowd = events_of(nlp, "On 7 May, hundreds of protesters gathered in Najaf city in rejection of the new cabinet.")
    assert any(e.type == "protest" for e in crowd)


def test_an_answered_shelling_is_an_armed_clash(nlp):
    text = ("On 9 May, pro-Houthi forces reportedly fired 120mm mortar shells at anti-Houthi forces in At Tuhayta district. "
            "The anti-Houthi forces reportedly responded to the fire, killing several pro-Houthi fighters.")
    events = events_of(nlp, text)
    assert _acled(events, "fired") == ("Battles", "Armed clash")
    alone = events_of(nlp, "On 9 May, pro-Houthi forces reportedly fired 120mm mortar shells at villages in At Tuhayta district.")
    assert _acled(alone, "fired")[0] == "Explosions/Remote violence"


def test_strategic_developments_of_forces(nlp):
    forts = events_of(nlp, "On 8 May, anti-Houthi National Resistance forces reportedly established new fortifications east of Ad Durayhimi city.")
    assert _acled(forts, "established")[0] == "Strategic developments"
    firm = events_of(nlp, "The carmaker established its headquarters in Munich in 1916.")
    assert not any(e.trigger.text == "established" for e in firm)  # a firm is no force
    arson = events_of(nlp, "On 6 May, the group carried out an arson attack targeting a textile factory in Esenyurt district of Istanbul.")
    assert any(e.type == "loot" and e.acled_event_type == "Strategic developments" for e in arson)
    convoy = events_of(nlp, "On 5 May, a US military column entered Syrian territory via the Al Waleed border crossing.")
    assert any(e.type == "deploy" for e in convoy)
    curfew = events_of(nlp, "On 2 May, the governor instituted a curfew in Hadramawt governorate to combat the spread of the coronavirus.")
    assert any(e.type == "restrict" and e.acled_event_type == "Strategic developments" for e in curfew)


def test_a_craft_shot_down_is_the_victim_not_the_means(nlp):
    text = ('"US Chinook helicopter shot down and completely destroyed last night while trying to raid Mujahideen position '
            'in Pangram area of Sarkh, Logar," Taliban spokesman Zabihullah Mujahid said in a tweet.')
    shot = next(e for e in events_of(nlp, text) if e.trigger.text == "shot")
    assert shot.actor != "United States"
    assert shot.acled_event_type == "Battles"


# --------------------------------------------------------------------------------------------
# Headline-only reports
# --------------------------------------------------------------------------------------------


def test_headline_only_report_keeps_its_event(nlp):
    """A report that is only a headline (Title Case, a "The Latest:" label, a credit line under
    it) has no body for the headline to be furniture of: its event stands."""
    for text in ("Gunmen Kill Seven Villagers Near Kirkuk",
                 "The Latest: Roadside bomb kills 4 in Baghdad market",
                 "Militants Kill 3 Police Officers in Western Iraq - Ministry\nXY \tAgency"):
        events = events_of(nlp, text, DateRange(date(2018, 4, 6), date(2018, 4, 6)))
        violent = [e for e in events if e.type in ("attack", "kill")]
        assert violent, text
        assert violent[0].confidence is not None and violent[0].confidence >= 0.5, (text, violent[0].confidence_reasons)


def test_heading_over_a_body_is_still_furniture(nlp):
    """With a body under it, a Title Case heading stays furniture: the body tells the event."""
    text = "Gunmen Kill Seven Villagers Near Kirkuk\n\nThe village elders met on Monday to discuss the harvest."
    assert not [e for e in events_of(nlp, text) if e.type in ("attack", "kill")]
