"""Attribution across sentences and the combination of the rules with the learned tagger: a
speaker introduced by "He said:" goes on in what follows; quantifiers are unnamed people, not
the outlet; a nested frame of the same speaker adds no claim of its own; "cited" names as source
only someone who speaks."""
from __future__ import annotations

import pytest

from sitrep.model import Article, OffsetMap
from sitrep.vocab import SourceKind


@pytest.fixture(scope="module")
def run():
    from sitrep.claims import ClaimStage
    from sitrep.nlp.stage import ParseStage

    parse, claims = ParseStage(), ClaimStage()

    def _run(text: str, outlet: str | None = "Test Wire") -> Article:
        art = Article(id="t", source_path="t.txt", text=text, original=text, offsets=OffsetMap(), outlet=outlet)
        return next(claims.pipe(parse.pipe([art])))

    return _run


def test_a_colon_frame_gives_its_speaker_to_the_quoted_paragraph_after_it(run):
    art = run('Fighting went on in the north. The governor added:\n\n"The bridge is closed until further notice. '
              'Nobody may cross it."\n\nThe army denied that.')
    quoted = [c for c in art.claims if "bridge" in c.text or "Nobody" in c.text]
    assert len(quoted) == 2
    for c in quoted:
        assert c.chain[-1].name == "The governor" and c.cue is not None and c.cue.text == "added"
    # the colon frame itself asserts nothing; the next attribution ends the speaker
    assert not any(c.text.startswith("The governor") for c in art.claims)
    assert art.claims[-1].chain[-1].name != "The governor"


def test_a_colon_that_opens_a_list_is_no_frame(run):
    art = run("The report lists three demands:\n\nA ceasefire is the first of them.")
    # the learned tagger may read "lists" as a cue of its own sentence; what matters is that the
    # paragraph after the colon is not carried as the report's
    (after,) = [c for c in art.claims if c.text.startswith("A ceasefire")]
    assert len(after.chain) == 1 and after.cue is None


def test_quantifiers_are_unnamed_people_not_the_outlet(run):
    for text, name in (("Some argue that the sanctions have failed to change the regime's course.", "Some"),
                       ("Many of his supporters believe that the election was stolen from him.",
                        "Many of his supporters")):
        (c,) = run(text).claims
        assert len(c.chain) == 2, text
        assert c.chain[-1].name == name and c.chain[-1].kind == SourceKind.ANONYMOUS and not c.origin_named


def test_a_speakers_stance_inside_their_own_statement_adds_no_claim(run):
    art = run("Clinton said she thinks America is strongest when people work together.")
    (c,) = art.claims
    assert c.cue.text == "said" and c.chain[-1].name.endswith("Clinton")
    assert c.text.startswith("she thinks")


def test_cited_names_as_source_only_someone_who_speaks(run):
    (c,) = run("At the debate, Clinton cited disparaging remarks Trump had made about Machado as examples "
               "of his disrespect for women.").claims
    assert [h.name for h in c.chain][-1] == "Clinton"
    art = run("Reuters cited two military officials as saying that the base was evacuated.")
    assert any(c.text == "the base was evacuated" and [h.name for h in c.chain][1:] == ["Reuters", "two military officials"]
               for c in art.claims)


def test_a_note_on_why_a_source_is_unnamed_is_no_claim(run):
    art = run("According to two Iraqi security officials, the drill was held at a camp the group has "
              "controlled since 2014. The officials spoke on condition of anonymity.")
    assert [c.text for c in art.claims] == ["the drill was held at a camp the group has controlled since 2014"]
    # the note inside a frame's sentence leaves the frame as it was
    (c,) = run("A police spokesman, who declined to be named, said two people were hurt.").claims
    assert c.text == "two people were hurt" and c.chain[-1].name == "A police spokesman"
    assert not c.origin_named


def test_one_of_a_group_speaks_as_an_unnamed_member_not_as_the_outlet(run):
    (c,) = run("One of the officials said the base was hit twice overnight.").claims
    assert c.cue is not None and c.cue.text == "said"
    assert c.chain[-1].name == "One of the officials" and c.chain[-1].kind == SourceKind.ANONYMOUS
    assert not c.origin_named
    art = run("In a statement, one of the family's attorneys, Justin Bamberg, said the videos show Scott "
              "calmly leaving his car.")
    said = next(c for c in art.claims if c.cue is not None and c.cue.text == "said")
    assert said.chain[-1].name == "Justin Bamberg" and said.chain[-1].role == "one of the family's attorneys"


def test_those_described_are_unnamed_people_not_the_outlet(run):
    (c,) = run("Those close to him say that he would have to consider another candidate.").claims
    assert c.chain[-1].name == "Those close to him" and c.chain[-1].kind == SourceKind.ANONYMOUS


def test_a_relative_clause_frame_is_its_antecedents_mentioned_at_the_pronoun(run):
    art = run("The governor met Ana Ruiz, who said that the bridge would stay closed until March.")
    c = next(c for c in art.claims if c.cue is not None and c.cue.text == "said")
    origin = c.chain[-1]
    assert origin.name == "Ana Ruiz"
    assert art.text[origin.start:origin.end] == "who"


def _tokens(doc, words: str) -> tuple[int, int]:
    """The token range of the first occurrence of ``words`` in ``doc``."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    assert span is not None
    return span.start, span.end


def test_a_cue_inside_a_tagged_content_frames_only_the_quotation_next_to_it():
    from sitrep.claims.learned import _quotation_by
    from sitrep.nlp import get_nlp

    doc = get_nlp()('When Clinton noted that he paid no tax, Trump boasted, "That makes me smart."')
    content = (_tokens(doc, "he paid")[0], len(doc) - 2)  # the tagger's one content through both cues
    (part,) = _quotation_by(doc, content, _tokens(doc, "boasted"))
    assert doc[part[0] : part[1]].text == '"That makes me smart."'
    assert _quotation_by(doc, content, _tokens(doc, "noted")) == []  # no quotation next to it
    doc = get_nlp()('"We see charter schools offering hope," the letter reads.')
    (part,) = _quotation_by(doc, (0, len(doc) - 1), _tokens(doc, "reads"))
    assert doc[part[0] : part[1]].text == '"We see charter schools offering hope,"'


@pytest.mark.parametrize("text,cue,content,event", [
    ("The weekend's top films took $165m last year.", "took", "$165m", True),
    ("The album was named the best record of the year.", "was named", "the best record of the year", True),
    ("Trump unleashed a flurry of tweets about the debate.", "unleashed", "a flurry of tweets", False),
    ("The minister said the bridge was closed.", "said", "the bridge was closed", False),
    ("Mr Smith hopes that sales will recover.", "hopes", "sales will recover", False),
])
def test_an_event_verb_is_no_learned_cue(text, cue, content, event):
    from sitrep.claims.learned import _not_reported, shipped_model
    from sitrep.nlp import get_nlp

    model = shipped_model()
    if model is None:
        pytest.skip("no shipped tagger")
    doc = get_nlp()(text)
    assert _not_reported(doc, _tokens(doc, cue), _tokens(doc, content), model.cue_lemmas) is event


def test_a_rule_frame_the_tagger_does_not_mark_is_dropped_unless_nested():
    from sitrep.claims.learned import _unconfirmed_frames
    from sitrep.model import Claim, Cue, SourceHop

    text = "Voters said the debate mattered, Lopes said, which many of us think is true."

    def claim(content: str, cue: str, at: int = 0) -> Claim:
        s, c = text.index(content), text.index(cue, at)
        return Claim(id="", article_id="t", text=content, start=s, end=s + len(content),
                     chain=[SourceHop("Test Wire", SourceKind.OUTLET)], cue=Cue(cue, c, c + len(cue)))

    outer = claim("Voters said the debate mattered", "said", text.index("Lopes"))
    inner = claim("the debate mattered", "said")
    stance = claim("is true", "think")
    claims = [outer, inner, stance]
    lopes = (outer.cue.start, outer.cue.end)
    # the tagger marks only Lopes's "said": the unmarked "think" goes; the unmarked "said" inside
    # Lopes's content is left to the nested rule
    assert _unconfirmed_frames(claims, [True, True, True], [lopes]) == {2}
    alone = claim("the debate mattered", "said")
    assert _unconfirmed_frames([alone], [True], []) == {0}
    assert _unconfirmed_frames([alone], [True], [(alone.cue.start, alone.cue.end)]) == set()
    assert _unconfirmed_frames([alone], [False], []) == set()  # a carried claim is not touched
