"""Attributions across a sentence break in the combination of the rules with the learned tagger:
a cue with no content in its sentence frames the sentence it introduces with a colon, the
quotation it closes (all of the quotation's sentences in the paragraph), or the sentence before
a sentence that is nothing but the frame; claims carried from a frame the tagger does not
confirm return to the outlet's voice; "it was ... by X" re-attributes the sentence before only
as the sentence's main verb. The helpers are tested on parses of text written here, with the
tagger's spans given, so the figures do not hang on the shipped weights."""
from __future__ import annotations

import pytest

from sitrep.model import Article, Claim, Cue, OffsetMap, SourceHop
from sitrep.vocab import SourceKind


@pytest.fixture(scope="module")
def nlp():
    from sitrep.nlp import get_nlp

    return get_nlp()


def _tokens(doc, words: str) -> tuple[int, int]:
    """The token range of the first occurrence of ``words``."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words), alignment_mode="expand")
    assert span is not None
    return span.start, span.end


def _sentence_of(doc, words: str) -> int:
    i = doc.text.index(words)
    return next(n for n, s in enumerate(doc.sents) if s.start_char <= i < s.end_char)


def test_a_cue_before_a_colon_frames_the_next_sentence(nlp):
    from sitrep.claims.learned import _adjacent_sentences

    doc = nlp("The debate went on for hours. On Tuesday, Senator Lopes made the following comment:\n\n"
              "The mine will close before the winter.")
    sents = list(doc.sents)
    s = _sentence_of(doc, "made the following")
    assert _adjacent_sentences(doc, sents, s, _tokens(doc, "made"), _tokens(doc, "Senator Lopes")) == [s + 1]
    # a colon far after the cue opens a list of the sentence's own, not the speaker's words
    doc = nlp("The minister said nothing. Lopes wrote a long report on the state of the three mines:\n\n"
              "Two of them are closed.")
    sents = list(doc.sents)
    s = _sentence_of(doc, "Lopes wrote")
    assert _adjacent_sentences(doc, sents, s, _tokens(doc, "wrote"), _tokens(doc, "Lopes")) == []


def test_a_cue_after_a_closing_quotation_frames_every_sentence_of_the_quotation(nlp):
    from sitrep.claims.learned import _adjacent_sentences

    doc = nlp('The hearing was tense. "The bank broke the law. The workers paid for it. Nobody was fired." '
              "Senator Lopes demanded.\n\nThe bank declined to comment.")
    sents = list(doc.sents)
    s = _sentence_of(doc, "Senator Lopes demanded")
    got = _adjacent_sentences(doc, sents, s, _tokens(doc, "demanded"), _tokens(doc, "Senator Lopes"))
    assert got == [_sentence_of(doc, "The bank broke"), _sentence_of(doc, "The workers paid"),
                   _sentence_of(doc, "Nobody was fired")]
    assert _sentence_of(doc, "The hearing") not in got


def test_a_sentence_that_is_only_a_frame_attributes_the_sentence_before(nlp):
    from sitrep.claims.learned import _adjacent_sentences

    doc = nlp("The port will reopen next week. According to the harbour master, basically.")
    sents = list(doc.sents)
    assert _adjacent_sentences(doc, sents, 1, _tokens(doc, "According to"), _tokens(doc, "the harbour master")) == [0]
    # a cue alone in a sentence of its own words is a stance, not a frame of the sentence before
    doc = nlp("The port will reopen next week. The harbour master has delivered a mostly positive message.")
    sents = list(doc.sents)
    assert _adjacent_sentences(doc, sents, 1, _tokens(doc, "has delivered"), _tokens(doc, "The harbour master")) == []
    # nor is a short sentence whose other words are the verb's complement
    doc = nlp("The port will reopen next week. Many of the coal companies have filed for bankruptcy.")
    sents = list(doc.sents)
    assert _adjacent_sentences(doc, sents, 1, _tokens(doc, "have filed"), _tokens(doc, "Many of the coal companies")) == []
    # and a frame with no speaker frames nothing
    doc = nlp("The port will reopen next week. Basically, as reported.")
    sents = list(doc.sents)
    assert _adjacent_sentences(doc, sents, 1, _tokens(doc, "reported"), None) == []


def test_claims_carried_from_a_dropped_frame_return_to_the_outlets_voice():
    from sitrep.claims.learned import _unattribute_carried

    text = "Lopes thinks the mine is safe. It has three exits. Ana said the roof held."
    outlet = SourceHop("Test Wire", SourceKind.OUTLET)
    lopes = SourceHop("Lopes", SourceKind.PERSON, 0, 5)
    ana = SourceHop("Ana", SourceKind.PERSON, text.index("Ana"), text.index("Ana") + 3)
    think = Cue("thinks", 6, 12)
    said = Cue("said", text.index("said"), text.index("said") + 4)

    def claim(content: str, chain: list[SourceHop], cue: Cue | None) -> Claim:
        s = text.index(content)
        return Claim(id="", article_id="t", text=content, start=s, end=s + len(content), chain=chain, cue=cue)

    framed = claim("the mine is safe", [outlet, lopes], think)
    carried = claim("It has three exits", [outlet, lopes], think)
    other = claim("the roof held", [outlet, ana], said)
    art = Article(id="t", source_path="t", text=text, original=text, offsets=OffsetMap(), outlet="Test Wire")
    _unattribute_carried(art, [framed, carried, other], [True, False, True], {0})
    assert carried.cue is None and [h.kind for h in carried.chain] == [SourceKind.OUTLET] and carried.origin_named
    # the dropped frame itself is the caller's to drop; a frame that stays keeps its speaker
    assert other.cue == said and other.chain[-1].name == "Ana"


@pytest.mark.parametrize("text, verb, guarded", [
    ("The fighting continued for three days.", "continued", True),
    ("Lopes continued to insist that the bridge was safe.", "continued", False),
    ("Lopes continued:\n\nThe bridge is safe.", "continued", False),
    ("Lopes asked the court to delay the hearing.", "asked", True),
    ("Lopes called the minister on Monday.", "called", True),
    ("Lopes calls the new tax 'a disgrace' during a rally.", "calls", False),
    ('The mayor called the protesters "thugs" and "losers."', "called", False),
])
def test_continue_and_call_are_read_where_they_frame_words(nlp, text, verb, guarded):
    """"continue" with a verb it goes on with or before a colon, "call" with a name in quotation
    marks after its object, are stances; "the fighting continued", "called the minister" are not."""
    from sitrep.claims.learned import _request_or_naming

    doc = nlp(text)
    assert _request_or_naming(doc[_tokens(doc, verb)[0]]) is guarded


@pytest.fixture(scope="module")
def rules():
    from sitrep.claims.extract import extract_claims
    from sitrep.nlp.stage import ParseStage

    def _run(text: str) -> list[Claim]:
        art = Article(id="t", source_path="t", text=text, original=text, offsets=OffsetMap(), outlet="Test Wire")
        art = next(ParseStage().pipe([art]))
        return extract_claims(art, art.doc, learned=False)

    return _run


def test_this_was_reported_by_re_attributes_the_sentence_before(rules):
    claims = rules("Two battalions have left the city.\n\nThis was reported by the Kyiv Independent.")
    first = next(c for c in claims if c.text.startswith("Two battalions"))
    assert first.chain[-1].name != "Test Wire" and first.cue is not None and first.cue.text == "reported"


@pytest.mark.parametrize("text", [
    "The war on drugs was long. It was first declared by President Nixon in 1971.",
    "Miller said the plan covers single mothers. He could not explain why it was mentioned by Ivanka Trump "
    "in an interview.",
])
def test_it_was_done_by_someone_is_no_re_attribution_of_the_sentence_before(rules, text):
    claims = rules(text)
    first = min(claims, key=lambda c: c.start)
    if first.cue is not None:
        assert first.cue.text in {"said"}
    else:
        assert [h.kind for h in first.chain] == [SourceKind.OUTLET]


def test_it_was_done_by_someone_is_no_frame_of_its_own_sentence_either(rules):
    claims = rules("The war on drugs was long. It was first declared by President Nixon in 1971.")
    assert [c.cue for c in claims] == [None, None]


def test_a_quotation_opening_on_the_speakers_name_is_no_inverted_frame(rules):
    """'"Bryan already asserted ...' opens a quotation: the mark before "Bryan" is not the end of
    one, so the sentence before is not Bryan's."""
    text = ('The witness was ready to appear before the committee in private.\n\n'
            '"Bryan already asserted his right on the record before this committee. He was ready to do it again."')
    claims = rules(text)
    first = min(claims, key=lambda c: c.start)
    assert first.cue is None and [h.kind for h in first.chain] == [SourceKind.OUTLET]
    # a closing mark before the speaker still makes the inverted frame
    claims = rules('The hearing ended early.\n\n"Who will pay for the damage to the town?" Graham asked.')
    assert any(c.cue is not None and c.cue.text == "asked" and "Who will pay" in c.text for c in claims)
