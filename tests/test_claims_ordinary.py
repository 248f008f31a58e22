"""Claims on ordinary news: an attribution runs on into the sentences after its frame only where
they go on quoting or relaying the source, not into the writer's own plain sentences (on BBC
copy, where a feed rarely keeps paragraph breaks, "Souness said ..." used to make every later
sentence of the article Souness's)."""
from __future__ import annotations

import pytest

from sitrep.model import Article, OffsetMap


class _Parsed:
    def __init__(self) -> None:
        from sitrep.claims import ClaimStage
        from sitrep.nlp.stage import ParseStage

        self.parse, self.claims = ParseStage(), ClaimStage()

    def run(self, text: str) -> Article:
        art = Article(id="t", source_path="t.txt", text=text, original=text, offsets=OffsetMap(), outlet="Test Wire")
        return next(self.claims.pipe(self.parse.pipe([art])))


@pytest.fixture(scope="module")
def stage() -> _Parsed:
    return _Parsed()


def _claim(art: Article, words: str):
    found = [c for c in art.claims if words in c.text]
    assert len(found) == 1, [(c.text, [h.name for h in c.chain]) for c in art.claims]
    return found[0]


def test_the_writers_sentence_after_a_frame_is_the_writers(stage):
    art = stage.run("Newcastle boss Graeme Souness said the striker did not score enough goals. "
                    "Bellamy left Newcastle to join Celtic on loan in January. "
                    "He has scored twice since then.")
    said = _claim(art, "did not score enough goals")
    assert said.origin.name == "Graeme Souness" and said.cue is not None and said.cue.text == "said"
    for words in ("Bellamy left Newcastle", "He has scored twice"):
        c = _claim(art, words)
        assert [h.kind for h in c.chain] == ["outlet"] and c.cue is None, words


def test_a_quotation_after_its_frame_keeps_the_speaker(stage):
    art = stage.run("Lopes made the following comment:\n\nThe mine will close before the winter. "
                    "It has three exits.")
    assert _claim(art, "mine will close").origin.name == "Lopes"  # what the colon introduces
    assert [h.kind for h in _claim(art, "three exits").chain] == ["outlet"]
    # a sentence that opens with a quotation mark, or closes a quotation opened before it (a feed
    # that ran the paragraphs together keeps the mark that reopened it, so the marks pair up)
    art = stage.run('Santini said: "My time at Tottenham has been memorable. I wish the club all the best. '
                    '"Private issues in my life have arisen. I very much hope the fans will respect my decision." '
                    'The club will name a new coach next week.')
    for words in ("I wish the club", "Private issues", "I very much hope"):
        assert _claim(art, words).origin.name == "Santini", words
    coach = _claim(art, "new coach")
    assert [h.kind for h in coach.chain] == ["outlet"]


def test_a_scare_quote_does_not_make_the_writers_sentence_a_quotation(stage):
    art = stage.run('Prosecutors said Jaynes sold useless wares over the internet. '
                    'A "refund processor" was supposed to let people earn $75 an hour at home.')
    c = _claim(art, "refund processor")
    assert [h.kind for h in c.chain] == ["outlet"] and c.cue is None


def test_a_paragraph_relayed_according_to_a_source_stays_relayed(stage):
    art = stage.run("According to the Interior Ministry, three soldiers were killed near the border. "
                    "Two more were wounded in the attack.")
    wounded = _claim(art, "Two more were wounded")
    assert wounded.origin.name == "Interior Ministry"


def test_the_writers_question_after_a_frame_is_no_claim(stage):
    art = stage.run("The minister said the plant would close in June. But what will the workers do now?")
    assert not [c for c in art.claims if "workers" in c.text]
    assert _claim(art, "plant would close").origin.name.lower().endswith("minister")


def test_a_sentence_after_a_frame_is_never_credited_to_that_frames_speaker_by_default(stage):
    # the old running attribution made the fans' comparison Souness's
    art = stage.run("Newcastle boss Graeme Souness said the striker did not score enough goals. "
                    "Opposition fans have likened the decision to a betrayal of the club.")
    fans = _claim(art, "betrayal of the club")
    assert "Souness" not in fans.origin.name


def test_the_taggers_own_attribution_in_such_a_sentence_stands(stage):
    # "slam" is a cue word of PolNeAR's annotators and of the tagger, not of the rules: its claim is
    # made in the sentence, and withdrawing the carried reading from the writer's sentences leaves it
    art = stage.run("The minister said the plant would close. "
                    "Union leaders have slammed the plan as a betrayal of the workers. The plant opened in 1950.")
    slammed = _claim(art, "betrayal of the workers")
    assert slammed.origin.name == "Union leaders" and slammed.cue is not None and "slammed" in slammed.cue.text
    opened = _claim(art, "opened in 1950")
    assert [h.kind for h in opened.chain] == ["outlet"] and opened.cue is None


def test_a_withdrawn_speaker_is_not_lent_to_the_taggers_claim_in_that_sentence(stage):
    # the tagger reads "Estimates" as a cue with no speaker in its sentence; the speaker the rules
    # carried there from "Microsoft said" is withdrawn, so the claim keeps none either
    art = stage.run("Microsoft said the new version would be far less vulnerable to bugs. "
                    "In particular the Firefox browser has been winning fans since its first full version was "
                    "released in November 2004. Estimates of how many users Firefox has won over vary widely.")
    for c in art.claims:
        if "Firefox" in c.text:
            assert "Microsoft" not in [h.name for h in c.chain], c.text


def test_a_source_that_did_not_comment_makes_no_claim(stage):
    """'The Pentagon did not respond to a request for comment' says the source said nothing: no
    claim by the Pentagon (the tagger read 'did not respond to' as a cue) and none in the outlet's
    voice either; a real statement beside it in the same sentence still counts."""
    art = stage.run("Rockets struck the base on Tuesday, officials said. "
                    "The Pentagon did not respond to a request for comment. "
                    "A spokesman for the ministry declined to comment. "
                    "The company declined to comment on the deal but said talks would continue.")
    texts = [c.text for c in art.claims]
    assert not [t for t in texts if "request for comment" in t or "declined to comment" in t], texts
    assert not any(h.name == "Pentagon" for c in art.claims for h in c.chain), texts
    talks = _claim(art, "talks would continue")
    assert talks.cue is not None and talks.cue.text == "said"
