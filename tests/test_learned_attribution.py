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


def test_shipped_second_pass_loads_when_switched_on_and_tags(nlp, tmp_path):
    import json
    import shutil

    from sitrep.claims.learned import doc_arrays, tag

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert load_model().weights2 is None or meta.get("second_pass", True)  # the switch is honoured
    shutil.copy(MODEL_DIR / "weights.npz", tmp_path / "weights.npz")
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "second_pass": True}), encoding="utf-8")
    model = load_model(tmp_path)
    assert model is not None and model.weights2 is not None and model.mix is not None and model.bias2 is not None
    assert model.weights2.shape == (meta["buckets2"], 9) and model.mix.shape == (9, 9)
    doc = nlp(STANCE)
    spans = tag(doc, STANCE, doc_arrays(doc), [], model)
    assert any("criticized" in doc[a:b].text for a, b in spans["cue"])
    assert any("Warren" in doc[a:b].text for a, b in spans["source"])


def test_log_probs_are_normalised_per_element():
    from sitrep.claims.learned import log_probs

    scores = np.array([[1.0, 2.0, 3.0, 0.0, 0.0, 0.0, -5.0, 4.0, 1.0]], dtype=np.float32)
    probs = np.exp(log_probs(scores)).reshape(3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert probs[0].argmax() == 2 and probs[2].argmax() == 1


def test_speaker_is_the_span_bound_to_the_cue_not_the_nearest(nlp):
    from sitrep.claims.learned import _speaker

    doc = nlp("Christie, who has campaigned for him since he quit, blasted the plan.")
    words = [t.text for t in doc]
    cue = (words.index("blasted"), words.index("blasted") + 1)
    christie, he = (0, 1), (words.index("he"), words.index("he") + 1)
    heads = [t.head.i for t in doc]
    assert _speaker(heads, cue, [christie, he]) == (christie, True)  # the subject, though "he" is nearer
    assert _speaker(heads, cue, [he]) == (he, False)  # none bound: the nearest
    assert _speaker(heads, cue, []) == (None, False)
