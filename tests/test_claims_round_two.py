"""Issue 17, round two: page furniture that is no claim or event, inline link cards cut in
cleaning, document sources and their issuers, and hedging from the claim's own clause. Short
texts written for the tests; the figures on real pages are in bench/RESULTS.md."""
from __future__ import annotations

import pytest

from sitrep.clean import clean_document
from sitrep.clean.inline import link_boxes
from sitrep.model import Article, OffsetMap, RawDocument


class _Parsed:
    def __init__(self) -> None:
        from sitrep.claims import ClaimStage
        from sitrep.nlp.stage import ParseStage

        self.parse, self.claims = ParseStage(), ClaimStage()

    def run(self, text: str, outlet: str = "Test Wire") -> Article:
        art = Article(id="t", source_path="t.txt", text=text, original=text, offsets=OffsetMap(), outlet=outlet)
        return next(self.claims.pipe(self.parse.pipe([art])))


@pytest.fixture(scope="module")
def stage() -> _Parsed:
    return _Parsed()


def _claim_texts(art: Article) -> list[str]:
    return [c.text for c in art.claims]


# ------------------------------------------------------------------ inline link cards (cleaning)

CARD_LINE = (
    "A man pleaded guilty to threatening Rep. Jane RowanJane Rowan Elm Valley: Council votes on budget | "
    "Mayor names new chief Rowan asks court for mercy in threat case MORE (D-Ore.), the prosecutor's office "
    "announced Monday."
)


def test_a_link_card_glued_to_a_name_is_cut_and_the_name_stays():
    card_start = CARD_LINE.index("RowanJane") + len("Rowan")
    assert link_boxes(CARD_LINE) == [(card_start, CARD_LINE.index(" (D-Ore.)"))]
    raw = RawDocument(source_path="card.txt", record_key="", text=CARD_LINE + "\n\nRowan said she was grateful.\n",
                      format="txt")
    art = clean_document(raw)
    assert "threatening Rep. Jane Rowan (D-Ore.), the prosecutor's office" in art.text
    assert "Elm Valley" not in art.text and "MORE" not in art.text
    (cut,) = [r for r in art.removed if r.reason == "link_box"]
    assert cut.text.startswith("Jane Rowan Elm Valley") and cut.text.endswith("MORE")
    # every kept character still maps back to the same character of the original
    for i, ch in enumerate(art.text):
        if ch != "\n":
            assert art.original[art.offsets.to_original(i)] == ch


def test_prose_with_capitals_and_more_is_not_a_card():
    for line in [
        "McDonald's said it would hire MORE staff, in capitals on its posters, this summer.",
        "SEE MORE: Rebels take the town",
        "The DeSantis campaign raised money from donors who gave MORE than once (twice).",
        "Sen. John McCain said McCain Institute staff would get MORE (time) off.",  # "Mc|Cain" is one name
    ]:
        assert link_boxes(line) == [], line


# ------------------------------------------------------------------ furniture: no claims, no events

def test_labelled_links_credit_lines_headings_and_disclaimers_make_no_claims(stage):
    text = (
        "The rebels took the town on Monday, officials said.\n\n"
        "Related: The Fifteen Strangest Galaxies in Our Universe\n\n"
        "READ MORE: Army shells villages near the border as talks stall\n\n"
        "You may also like...\n\n"
        "Stadia's Current Roster Of Games Isn't Very Impressive\n\n"
        "The game library is thin at launch, with only a dozen titles.\n\n"
        "Reporting by Ann Lee; additional reporting by Bo Chan; Editing by Dan Grey\n\n"
        "Disclaimer: The views expressed by experts on this site are their own. "
        "The site advises users to check with certified experts before investing."
    )
    texts = _claim_texts(stage.run(text))
    assert texts == ["The rebels took the town on Monday", "The game library is thin at launch, with only a dozen titles"]


def test_a_press_releases_about_section_is_furniture_but_an_articles_about_section_is_not(stage):
    release = (
        "Acme Corp named Ann Lee its chief strategy officer on Monday, the company said.\n\n"
        "About Acme\n\n"
        "Acme offers an open advertising platform for networks and publishers around the world.\n\n"
        "For more information, please visit the company's website."
    )
    assert _claim_texts(stage.run(release)) == ["Acme Corp named Ann Lee its chief strategy officer on Monday"]
    article = "About the study\n\n" + "The researchers followed 2,000 patients for ten years in three countries. " * 30
    assert len(stage.run(article).claims) == 30


def test_a_headline_sentence_running_on_to_the_next_line_is_kept(stage):
    art = stage.run("The Council Voted On Monday To Close The Old Bridge For Repairs, the mayor said.")
    assert len(art.claims) == 1 and art.claims[0].chain[-1].name == "the mayor"


def test_related_link_headlines_make_no_events():
    from sitrep.events.extract import extract_events
    from sitrep.nlp import get_nlp

    nlp = get_nlp()

    def events(text: str) -> list:
        art = Article(id="e", source_path="e.txt", text=text, original=text, offsets=OffsetMap())
        return extract_events(art, nlp(text))

    assert events("Rebels attacked an army base in Idlib province on Sunday, killing three soldiers.")
    # in an article (a body beside it) the link line is furniture; a headline-only report keeps
    # its event (tests/test_events.py::test_headline_only_report_keeps_its_event)
    assert not events("The council met on Monday to discuss the budget for next year.\n\n"
                      "READ MORE: Rebels attacked an army base in Idlib province on Sunday")


def test_own_questions_and_commands_are_no_claims_but_a_speakers_are(stage):
    text = (
        "What Does The New Console Offer?\n\n"
        "If all you need are a few ports, get a cheap dock along with a cable for around $8.\n\n"
        '"Why would we leave? We live here," the farmer said.'
    )
    texts = _claim_texts(stage.run(text))
    assert texts == ['"Why would we leave?', "We live here"]


# ------------------------------------------------------------------ documents and their issuers

def test_the_statement_is_its_issuers_named_before(stage):
    art = stage.run(
        "Two soldiers were killed in a crash, the US military said in a statement on Wednesday.\n\n"
        '"The cause of the crash is under investigation," the statement said.'
    )
    last = art.claims[-1]
    assert last.chain[-1].name == "US military" and last.origin_named


def test_a_report_in_or_by_a_named_body_is_that_bodys(stage):
    art = stage.run("Aid will run out by March, a report by the United Nations said.")
    assert art.claims[-1].chain[-1].name == "United Nations"
    art = stage.run("Rents rose by a fifth last year, according to a report in The Boston Globe.")
    assert art.claims[-1].chain[-1].kind == "publication"


def test_a_document_naming_nobody_is_a_document_not_a_named_origin(stage):
    art = stage.run("A study found that cannabis use has risen in states where it is legal.")
    (c,) = art.claims
    assert c.chain[-1].kind == "document" and not c.origin_named


def test_a_document_origin_counts_with_the_outlet_that_heard_it():
    from sitrep.model import Claim, SourceHop
    from sitrep.stories.corroboration import origin_key

    def claim(outlet: str) -> Claim:
        chain = [SourceHop(outlet, "outlet"), SourceHop("a study", "document", 0, 7)]
        return Claim(id="x", article_id="a", text="t", start=0, end=1, chain=chain, cue=None,
                     origin_named=False, hedged=False, denied=False)

    # two outlets' unnamed studies are not one origin, whatever they are called
    assert origin_key(claim("Wire A")) != origin_key(claim("Wire B"))
    assert origin_key(claim("Wire A")).startswith("anon:")


def test_a_masthead_ending_in_a_noun_for_people_is_a_publication(stage):
    art = stage.run("Pine will be back on board the Enterprise, The Hollywood Reporter said.")
    hop = art.claims[-1].chain[-1]
    assert hop.kind == "publication" and art.claims[-1].origin_named


def test_a_titled_official_of_a_named_country_is_a_named_official(stage):
    art = stage.run("The house will be turned into a police station, Austria's interior minister said.")
    hop = art.claims[-1].chain[-1]
    assert hop.kind == "official" and art.claims[-1].origin_named


# ------------------------------------------------------------------ hedging

def test_modals_that_do_not_hedge_the_claim(stage):
    plain = [
        "You might be surprised by the results of the new survey of farmers in the region.",
        "The counselor was at lunch with the envoy when Holmes could hear the president's voice.",
        "It was not possible to independently verify the group's claim of responsibility.",
        "Traders cited uncertainty over whether the two countries could agree to end the trade war.",
        '"Must it have been a complicated conversation for the two of them?" the host said.',
        "I thought the game was over when they scored the third goal in the final minute.",
        "It's worth noting that it's not uncommon for artists to give up the rights to their recordings.",
        '"I cannot believe the council would close the library," she said.',  # disbelief, not a hedge
    ]
    for text in plain:
        assert not stage.run(text).claims[-1].hedged, text


def test_modals_and_evidentials_that_hedge(stage):
    hedged = [
        "Eventually, Disney is expected to switch gears again, a move that would probably cause the bundle to collapse.",
        '"We expect broader markets to outperform," the analyst said.',
        "It is possible that the dam will fail this week.",
        "The rebels could have withdrawn from the town before the strike, a commander said.",
        "The report claims the display will remain 13.3 inches wide.",  # a document naming nobody, present
    ]
    for text in hedged:
        assert stage.run(text).claims[-1].hedged, text


def test_a_relative_pronoun_opens_no_embedded_question(stage):
    art = stage.run("Life needs organics, which many of us think likely would have evolved in the ocean, Lopes said.")
    assert [c.hedged for c in art.claims] == [False, True]


def test_a_carried_claim_takes_the_frames_hedge_not_the_hedge_of_the_claim_before(stage):
    art = stage.run('"The bridge may collapse," the engineer said. "The town has three other bridges over the river."')
    first, second = art.claims
    assert first.hedged and not second.hedged
    art = stage.run('The rebels reportedly said the town had fallen. "Our fighters hold the main square."')
    assert all(c.hedged for c in art.claims)
