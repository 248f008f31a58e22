"""Claims and sourcing chains: the seed reports' expected chains, and attribution frames on
sentences written for these tests."""
from __future__ import annotations

import pytest

from sitrep.clean import clean_document
from sitrep.model import Article, OffsetMap, RawDocument


class ParsedClaims:
    """The parse stage, then the claims stage: what the pipeline runs before reading claims."""

    def __init__(self) -> None:
        from sitrep.claims import ClaimStage
        from sitrep.nlp.stage import ParseStage

        self.parse, self.claims = ParseStage(), ClaimStage()

    def pipe(self, articles):
        return self.claims.pipe(self.parse.pipe(articles))


@pytest.fixture(scope="module")
def stage():
    return ParsedClaims()


def _article(text: str, outlet: str | None = "Test Wire", aid: str = "t") -> Article:
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(), outlet=outlet)


def _seed_article(path, outlet: str) -> Article:
    text = path.read_text(encoding="utf-8")
    art = clean_document(RawDocument(source_path=str(path), record_key="", text=text, format="txt"))
    if not art.outlet or art.outlet.lower() != outlet.lower():
        art.outlet = outlet
    return art


def _names(claim) -> list[str]:
    return [h.name.lower().removeprefix("the ") for h in claim.chain]


def _run(stage, text: str, outlet: str | None = "Test Wire"):
    art = next(stage.pipe([_article(text, outlet)]))
    for c in art.claims:
        assert art.text[c.start : c.end] == c.text
        for h in c.chain[1:]:
            assert h.start is not None and h.end is not None
    return art


def test_seed_sourcing_chains(stage, seeds_dir, seeds_expected):
    arts = {}
    for name, meta in seeds_expected["articles"].items():
        arts[name] = _seed_article(seeds_dir / name, meta["outlet"])
    done = {a.source_path: a for a in stage.pipe(list(arts.values()))}
    for item in seeds_expected["sourcing_chains"]:
        art = done[arts[item["article"]].source_path]
        want = [n.lower().removeprefix("the ") for n in item["chain"]]
        candidates = [c for c in art.claims if item["claim_contains"].lower() in c.text.lower()]
        assert candidates, f"no claim contains {item['claim_contains']!r}"
        ok = [c for c in candidates if _names(c) == want and c.origin_named == item["origin_named"]]
        assert ok, (item, [(_names(c), c.origin_named) for c in candidates])
        for c in ok:
            assert art.text[c.start : c.end] == c.text
            for hop in c.chain[1:]:  # every source is located in the text
                assert hop.start is not None and art.text[hop.start : hop.end]


def test_seed_roles_and_affiliation(stage, seeds_dir, seeds_expected):
    art = next(stage.pipe([_seed_article(seeds_dir / "presstv-ain-al-asad.txt", "Press TV")]))
    anbari = [h for c in art.claims for h in c.chain if h.name == "Qusay al-Anbari"]
    assert anbari and anbari[0].role == "a high-ranking member" and anbari[0].affiliation == "Hashd al-Shaabi"
    spokesman = [h for c in art.claims for h in c.chain if h.name == "Jaafar al-Husseini"]
    assert spokesman and spokesman[0].kind == "official" and spokesman[0].role == "spokesman"


def test_according_to_cuts_the_frame(stage):
    art = _run(stage, "According to the Interior Ministry, three soldiers were killed near the border.")
    (c,) = art.claims
    assert c.text == "three soldiers were killed near the border"
    assert c.cue.text == "According to"
    assert _names(c) == ["test wire", "interior ministry"]
    assert c.origin_named


def test_cited_as_saying_builds_a_relay_chain(stage):
    art = _run(stage, "The Daily Star cited a military official as saying that the convoy had been ambushed.")
    (c,) = art.claims
    assert c.text == "the convoy had been ambushed"
    assert _names(c) == ["test wire", "daily star", "a military official"]
    assert c.chain[1].kind == "publication" and c.chain[2].kind == "anonymous"
    assert not c.origin_named


def test_continuation_he_said_resolves_to_the_last_person(stage):
    text = (
        "Colonel Ahmed Karimi, a commander of the border guard, said the village was shelled overnight.\n\n"
        "The attackers, he said, fled towards the river."
    )
    art = _run(stage, text)
    last = [c for c in art.claims if "fled towards the river" in c.text][0]
    assert last.origin.name == "Ahmed Karimi"
    assert last.origin.kind == "official"
    assert last.origin_named
    first = [c for c in art.claims if "village was shelled" in c.text][0]
    assert first.origin.role and "commander" in first.origin.role


def test_surname_and_the_paper_resolve_back(stage):
    text = (
        "The Washington Post reported that officials were weighing new sanctions.\n\n"
        "Two diplomats told the paper that a decision was due within days.\n\n"
        "Minister Lena Hoffmann said talks would resume. According to Hoffmann, the delegation arrives on Monday."
    )
    art = _run(stage, text)
    dipl = [c for c in art.claims if "decision was due" in c.text][0]
    assert _names(dipl) == ["test wire", "washington post", "two diplomats"]
    hoff = [c for c in art.claims if "delegation arrives" in c.text][0]
    assert hoff.origin.name == "Lena Hoffmann"


def test_hedging(stage):
    art = _run(stage, "Militants reportedly seized the checkpoint on Tuesday.")
    assert art.claims[0].hedged
    art = _run(stage, "It was reported that the airport had been closed.")
    (c,) = art.claims
    assert c.hedged and not c.origin_named and c.cue.text == "reported"
    art = _run(stage, "Local sources say the dam could collapse within weeks.")
    assert art.claims[0].hedged
    art = _run(stage, "The army said the road was reopened on Friday.")
    assert not art.claims[0].hedged


def test_denial(stage):
    art = _run(stage, "The ministry denied that its forces had entered the town.")
    (c,) = art.claims
    assert c.denied and c.text == "its forces had entered the town"
    art = _run(stage, "The army said the road was reopened on Friday.")
    assert not art.claims[0].denied


def test_own_voice_claims_have_the_outlet_alone(stage):
    art = _run(stage, "Heavy fighting broke out in the northern district on Sunday.", outlet="Press TV")
    (c,) = art.claims
    assert c.cue is None
    assert [h.kind for h in c.chain] == ["outlet"] and c.chain[0].name == "Press TV"
    assert c.chain[0].start is None
    art = _run(stage, "Heavy fighting broke out in the northern district on Sunday.", outlet=None)
    assert art.claims[0].chain[0].name == "unknown outlet"


def test_demonstrative_frame_reattributes_the_previous_sentence(stage):
    text = "Two battalions have left the city.\n\nThis was reported by the Kyiv Independent, citing local residents."
    art = _run(stage, text)
    (c,) = art.claims
    assert c.text.startswith("Two battalions have left the city")
    assert _names(c) == ["test wire", "kyiv independent", "local residents"]


def test_outlet_citing_itself_adds_no_hop(stage):
    art = _run(stage, "As Press TV previously reported, the base was evacuated in March.", outlet="Press TV")
    (c,) = art.claims
    assert _names(c) == ["press tv"] and c.cue.text == "reported"


def test_claim_ids_and_spans(stage):
    art = _run(stage, "The army said the road was reopened. Residents said shops were still closed.")
    assert [c.id for c in art.claims] == ["t:c1", "t:c2"]
    assert all(art.text[c.start : c.end] == c.text for c in art.claims)
    assert art.doc is not None


def test_mentions_types_and_full_form(stage):
    text = (
        "Qusay al-Anbari, a member of Hashd al-Shaabi, told The New York Times that Patriot missiles "
        "were deployed at Ain al-Asad base. Al-Anbari added that drones were seen."
    )
    art = _run(stage, text)
    types = {m.text: m.type for m in art.mentions}
    assert types.get("New York Times") == "OUTLET"
    assert types.get("Hashd al-Shaabi") == "GROUP"
    assert types.get("Patriot missiles") == "EQUIPMENT"
    assert types.get("Ain al-Asad base") == "FACILITY"
    for m in art.mentions:
        assert art.text[m.start : m.end] == m.text


def test_is_said_to_is_hedged_and_unattributed(stage):
    art = _run(stage, "The commander is said to have fled to Turkey.")
    (c,) = art.claims
    assert c.hedged and not c.origin_named and [h.kind for h in c.chain] == ["outlet"]


def test_quoted_as_saying_and_the_agency_continuation(stage):
    art = _run(stage, "Reuters quoted a police officer as saying that five people died.\n\nThe agency also said the curfew was lifted.")
    first, second = art.claims
    assert first.text == "five people died" and first.cue.text == "quoted"
    assert _names(first) == ["test wire", "reuters", "a police officer"]
    assert _names(second) == ["test wire", "reuters"] and second.chain[1].kind == "publication"
    assert art.text[second.chain[1].start : second.chain[1].end].lower().endswith("agency")


def test_it_said_resolves_to_the_last_publication(stage):
    art = _run(stage, "The Guardian reported that the talks had collapsed. The negotiations would resume in May, it said.")
    last = art.claims[-1]
    assert last.text == "The negotiations would resume in May"
    assert _names(last) == ["test wire", "guardian"]


def test_inverted_frame_after_a_quotation(stage):
    art = _run(stage, '"We will not leave," said Ali Hassan, a spokesman for the Badr Organization.')
    (c,) = art.claims
    assert c.text == "We will not leave"
    assert c.origin.name == "Ali Hassan" and c.origin.kind == "official"
    assert c.origin.role == "a spokesman" and c.origin.affiliation == "Badr Organization"
    art = _run(stage, "Officials rejected the claims as baseless.")
    assert art.claims[0].denied


def test_definite_title_resolves_to_the_person_with_that_role(stage):
    text = "Kata’ib spokesman Jaafar al-Husseini said the drill went well. The spokesman added that more drills were planned."
    art = _run(stage, text)
    last = [c for c in art.claims if "more drills" in c.text][0]
    assert last.origin.name == "Jaafar al-Husseini" and last.origin_named


def test_clause_verbs_report_only_with_a_clause(stage):
    art = _run(stage, "The senator pointed out that the bill had already passed.")
    (c,) = art.claims
    assert c.cue.text == "pointed out" and c.text == "the bill had already passed"
    assert c.origin.kind == "anonymous" and not c.origin_named
    art = _run(stage, "Soldiers found weapons in the house.")
    assert art.claims[0].cue is None


def test_pronoun_without_a_named_source_resolves_to_the_person_named_before(stage):
    text = ("Prince Andrew gave an interview to the BBC on Saturday. "
            "Going to Pizza Express is an unusual thing for me to do, he said.")
    art = _run(stage, text)
    c = [c for c in art.claims if "Pizza Express" in c.text][0]
    assert c.origin.name == "Prince Andrew" and c.origin.kind == "person" and c.origin_named
    assert art.text[c.origin.start : c.origin.end] == "he"  # located at the pronoun
    art = _run(stage, "Boeing delayed the flight again. It said the capsule was safe.")
    assert art.claims[-1].origin.name == "Boeing"


def test_pronoun_with_nobody_before_it_is_an_unnamed_speaker_not_the_pronoun(stage):
    art = _run(stage, "He said the war was over.")
    (c,) = art.claims
    assert c.origin.kind == "anonymous" and c.origin.name.lower() not in {"he", "she", "it", "they"}
    assert not c.origin_named


def test_quotation_cut_off_its_inverted_frame_takes_that_speaker(stage):
    text = ("“I then heard President Trump ask, quote, ‘So he’s going to do the investigation?’” "
            "Holmes testified.")
    art = _run(stage, text)
    (c,) = art.claims
    assert c.origin.name == "Holmes" and c.cue.text == "testified"
    art = _run(stage, "Andrew spoke at length.\n\n“Oh, actually? Yes,” he assures himself. “I didn’t sweat at the time.”")
    last = art.claims[-1]
    assert "sweat" in last.text and last.origin.name == "Andrew"


def test_a_quotation_runs_on_into_the_next_paragraph(stage):
    text = ("Cheuk Hau-yip, the commander of Kowloon West district, said: “These rioters are criminals. "
            "They have to face the consequences of their acts.\n\n"
            "“Other than coming out to surrender, I don’t see that there’s any viable option for them.”")
    art = _run(stage, text)
    last = art.claims[-1]
    assert "surrender" in last.text and last.origin.name == "Cheuk Hau-yip"
    text = ('Officials said the road was reopened on Friday.\n\n'
            '"In fact, we never closed it for long," the mayor, Ana Ruiz, said.\n\n'
            '"We do not have the money to keep it closed anywhere."\n\n'
            'The weather in the valley was mild for the season.')
    art = _run(stage, text)
    money, weather = art.claims[-2], art.claims[-1]
    assert money.origin.name == "Ana Ruiz"
    assert [h.kind for h in weather.chain] == ["outlet"]  # no quotation: the speaker stops


def test_a_paragraph_with_its_own_speaker_does_not_continue_the_last(stage):
    text = ('Minister Lena Hoffmann said talks would resume on Monday.\n\n'
            '"We are ready to sign," said Piotr Nowak, the envoy of Poland.')
    art = _run(stage, text)
    assert art.claims[-1].origin.name == "Piotr Nowak"


def test_recounted_is_a_reporting_verb(stage):
    art = _run(stage, "“My people had $20 billion done,” Mr. Trump recounted in a cabinet meeting.")
    assert art.claims[0].origin.name == "Trump" and art.claims[0].text == "My people had $20 billion done"


def test_the_paper_is_a_mention_of_the_outlet_named_before_it(stage, seeds_dir):
    art = next(stage.pipe([_seed_article(seeds_dir / "presstv-ain-al-asad.txt", "Press TV")]))
    paper = [m for m in art.mentions if m.text == "the paper"]
    assert paper and paper[0].type == "OUTLET" and paper[0].full_form == "New York Times"
    art = _run(stage, "Officials told the paper that the talks had failed.")  # no outlet named before
    assert not [m for m in art.mentions if m.text == "the paper"]


def test_a_title_named_by_its_apposition_is_that_person(stage):
    art = _run(stage, '"We never closed it for long," the mayor, Ana Ruiz, said.')
    (c,) = art.claims
    assert c.origin.name == "Ana Ruiz" and c.origin.kind == "official" and c.origin.role == "mayor"
    assert c.origin_named


def test_hedging_from_modal_and_evidential_cues_in_the_claims_own_clause(stage):
    hedged = [
        "Disney is expected to buy the studio, and the price would probably exceed $50 billion.",
        "The deal is likely to close next week.",
        "The rebels appear to have withdrawn from the town.",
        "It is possible that the dam will fail this week.",
        "Officials said the bridge could collapse.",
    ]
    for text in hedged:
        assert _run(stage, text).claims[-1].hedged, text
    plain = [
        "Fun as that might sound, the plan is to keep the rover parked for a month.",  # rhetorical
        "The company, which may face fines, said it would cut jobs.",  # the hedge is another clause's
        "Taylor could not perform at the show, the label said.",  # an inability, not a guess
        "The deal is possible.",
    ]
    for text in plain:
        assert not _run(stage, text).claims[-1].hedged, text


def test_nominal_sources_resolve_to_who_they_stand_for(stage):
    art = _run(stage, "Interior Minister Herbert Kickl met police chiefs on Monday. "
                      "The minister said the border would stay open.")
    c = art.claims[-1]
    assert c.origin.name == "Herbert Kickl" and c.origin.kind == "official" and c.origin_named
    art = _run(stage, "The US military said in a statement that two soldiers were wounded. "
                      "The statement said the attack came at dawn.")
    first, second = art.claims
    assert first.origin.name == "US military" and first.origin.kind == "organization"
    assert second.origin.name == "US military" and second.origin_named
    art = _run(stage, "According to a statement by the Interior Ministry, three soldiers were killed.")
    assert art.claims[0].origin.name.endswith("Interior Ministry")


def test_the_holder_of_a_named_office_is_a_named_official(stage):
    art = _run(stage, "Austria's interior minister said the border would stay open.")
    (c,) = art.claims
    assert c.origin.kind == "official" and c.origin_named and c.origin.affiliation == "Austria"
    for text in ("A senior official said the talks failed.", "Israeli officials said the talks failed."):
        (c,) = _run(stage, text).claims
        assert c.origin.kind == "anonymous" and not c.origin_named, text


def test_page_furniture_never_becomes_a_claim(stage):
    text = (
        "The central bank raised its key rate by half a point on Tuesday.\n\n"
        "- Gronk, Serena perform with Laker Girls Gronk may have found his true calling\n\n"
        "- The bank's governor said more rises would follow in the spring.\n\n"
        "Get access to India's fastest growing financial subscriptions service Moneycontrol Pro for as "
        "little as Rs 599 for first year. Moneycontrol Pro offers you all the information you need for "
        "wealth creation including actionable investment ideas.\n\n"
        "There's plenty more where that came from. Sign up for The Water Coolest today to get the free "
        "daily newsletter delivered to your inbox daily.\n\n"
        "There was an error processing your subscription.\n\n"
        "Stadia launched with only twelve games on Tuesday. The subscription fee of $10 takes your "
        "money for a single free game."
    )
    art = _run(stage, text)
    texts = [c.text for c in art.claims]
    assert texts[0].startswith("The central bank raised")
    assert any("more rises would follow" in t for t in texts)  # a bullet of the article's own stays
    for gone in ("Laker Girls", "Moneycontrol", "plenty more", "Water Coolest", "error processing", "$10"):
        assert not any(gone in t for t in texts), gone
    # a paragraph that talks to "you" about a subscription loses that sentence, not the others
    assert any("only twelve games" in t for t in texts)


def test_a_quotation_whose_speaker_comes_at_its_end_is_that_speakers_throughout(stage):
    text = ('The court sentenced him to life in prison on Tuesday.\n\n'
            '"We believe that justice has been served in this case. And we are thankful for the '
            'decision," the family of the victim said in a statement.\n\n'
            '"Markets usually run ahead of the economy. Three indicators point to growth."')
    art = _run(stage, text)
    first = [c for c in art.claims if "justice has been served" in c.text][0]
    assert first.origin.name != "Test Wire" and first.cue is not None
    assert first.chain == [c for c in art.claims if "thankful" in c.text][0].chain
    assert [h.kind for h in art.claims[0].chain] == ["outlet"]


def test_stance_by_call(stage):
    art = _run(stage, "At a fundraiser in New York, Clinton called half of Trump’s supporters “deplorables.”")
    (c,) = art.claims
    assert c.origin.name == "Clinton" and c.cue.text == "called" and c.text.startswith("half of Trump")
    art = _run(stage, "Palmieri called on Trump to stop attacking Machado and apologize.")
    (c,) = art.claims
    assert c.origin.name == "Palmieri" and c.cue.text == "called on" and c.text.startswith("Trump to stop")
    art = _run(stage, "Republican nominee Donald Trump has called for the complete repeal of Obamacare.")
    assert art.claims[0].cue.text == "called for" and art.claims[0].text == "the complete repeal of Obamacare"
    art = _run(stage, "The president called the prime minister on Tuesday evening.")
    assert art.claims[0].cue is None  # a phone call reports nothing


def test_a_quoted_paragraph_continues_its_speaker_whatever_the_next_paragraph_says(stage):
    text = ('Minister Lena Hoffmann said talks would resume on Monday.\n\n'
            '"We are ready to sign the treaty this week."\n\n'
            'Piotr Nowak, the envoy of Poland, said the talks were over.')
    art = _run(stage, text)
    ready = [c for c in art.claims if "ready to sign" in c.text][0]
    assert ready.origin.name == "Lena Hoffmann"
    assert art.claims[-1].origin.name == "Piotr Nowak"


def test_clause_verbs_frame_a_quotation_without_a_clause(stage):
    art = _run(stage, "“Does anybody know what the platform of the Republican Party is?” Graham asked.")
    (c,) = art.claims
    assert c.origin.name == "Graham" and c.cue.text == "asked"
    art = _run(stage, "“The health issue overall is very much a partisan issue,” Caddell continued.")
    (c,) = art.claims
    assert c.origin.name == "Caddell" and c.text == "The health issue overall is very much a partisan issue"
    for text in ("The fighting continued for three days in the north of the city.",
                 "He asked the court to delay the hearing by a week."):
        assert _run(stage, text).claims[0].cue is None, text
