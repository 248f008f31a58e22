"""The learned attribution tagger: its span decoding, the shipped weights, and how its
attributions join the rules' claims (exact spans, resolved sources, renumbered ids)."""
from __future__ import annotations

import numpy as np
import pytest

from sitrep.claims.learned import MODEL_DIR, decode, load_model
from sitrep.model import Article, OffsetMap


def test_decode_opens_at_b_or_stray_i_and_stops_at_sentence_ends():
    labels = np.array([0, 1, 2, 2, 0, 2, 2, 1, 2, 2, 2])
    sent = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    assert decode(labels, sent) == [(1, 4), (5, 7), (7, 9), (9, 11)]


def test_shipped_weights_are_small_and_load():
    weights = MODEL_DIR / "weights.npz"
    assert weights.exists() and (MODEL_DIR / "meta.json").exists() and (MODEL_DIR / "MODEL_CARD.md").exists()
    assert weights.stat().st_size < 5_000_000
    model = load_model()
    assert model is not None
    assert model.weights.shape == (model.buckets, 9)
    assert {"say", "accord"} <= set(model.cue_lemmas)


@pytest.fixture(scope="module")
def nlp():
    from sitrep.nlp import get_nlp

    return get_nlp()


def _claims(nlp, text: str, learned: bool):
    from sitrep.claims.extract import extract_claims

    art = Article(id="t", source_path="t.txt", text=text, original=text, offsets=OffsetMap(), outlet="Test Wire")
    return extract_claims(art, nlp(text), learned=learned)


STANCE = (
    "Senator Elizabeth Warren sharply criticized the new banking rules on Tuesday.\n\n"
    "The Democratic senator also called for an investigation into the lenders."
)


def test_learned_claims_keep_exact_spans_and_resolved_origins(nlp):
    claims = _claims(nlp, STANCE, learned=True)
    ids = [c.id for c in claims]
    assert ids == [f"t:c{n}" for n in range(1, len(claims) + 1)]
    for c in claims:
        assert STANCE[c.start : c.end] == c.text
        if c.cue is not None:
            assert STANCE[c.cue.start : c.cue.end] == c.cue.text
        for hop in c.chain[1:]:
            assert hop.start is not None and hop.end is not None
            assert hop.name.lower() not in {"he", "she", "it", "they"}


def test_stance_verb_gains_an_attribution_the_rules_miss(nlp):
    rules = _claims(nlp, STANCE, learned=False)
    both = _claims(nlp, STANCE, learned=True)
    cues = lambda cs: {c.cue.text for c in cs if c.cue is not None}  # noqa: E731
    assert not any("criticized" in cue for cue in cues(rules))
    claim = next(c for c in both if c.cue is not None and "criticized" in c.cue.text)  # PolNeAR cues keep "sharply"
    assert "banking rules" in claim.text
    assert claim.origin.name == "Elizabeth Warren"
    assert claim.origin_named


def test_rule_claims_with_a_cue_stay_as_the_rules_made_them(nlp):
    text = 'The minister said the border would reopen on Monday, according to the Interior Ministry.'
    rules = [c for c in _claims(nlp, text, learned=False) if c.cue is not None]
    both = _claims(nlp, text, learned=True)
    for c in rules:
        assert any((d.start, d.end, d.cue.start if d.cue else None) == (c.start, c.end, c.cue.start) for d in both)
