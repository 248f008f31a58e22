"""The attribution tagger's sentence-wide layer (``learned.SequenceModel``): a BiLSTM run in numpy,
all sentences of an article at once. torch trained it; these tests cannot import torch, so the
batched forward pass is checked against a plain per-sentence, per-token loop written here, and the
shipped weights for their shapes, size and determinism."""
from __future__ import annotations

import json

import numpy as np
import pytest

from sitrep.claims.learned import MODEL_DIR, SequenceEnsemble, SequenceModel, load_model, load_sequence, log_probs


def _random_model(rng, rows=50, dims=4, feats=3, hidden=5) -> SequenceModel:
    inputs = feats * dims + 9
    return SequenceModel(
        rng.normal(size=(rows, dims)).astype(np.float32),
        rng.normal(scale=0.5, size=(2, inputs, 4 * hidden)).astype(np.float32),
        rng.normal(scale=0.5, size=(2, hidden, 4 * hidden)).astype(np.float32),
        rng.normal(scale=0.5, size=(2, 4 * hidden)).astype(np.float32),
        rng.normal(size=(2 * hidden, 9)).astype(np.float32),
        rng.normal(size=9).astype(np.float32),
    )


def _reference(m: SequenceModel, codes, lp) -> np.ndarray:
    """One sentence, token by token, each direction on its own (gates i, f, g, o as torch)."""
    x = np.concatenate([m.emb[(codes % np.uint64(len(m.emb))).astype(np.int64)].reshape(len(codes), -1), lp], axis=1)
    hid = m.w_rec.shape[1]
    outs = []
    for d, order in ((0, range(len(x))), (1, reversed(range(len(x))))):
        h, c = np.zeros(hid), np.zeros(hid)
        res = np.zeros((len(x), hid))
        for t in order:
            z = x[t] @ m.w_in[d] + h @ m.w_rec[d] + m.b[d]
            i, f, g, o = (z[k * hid : (k + 1) * hid] for k in range(4))
            c = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(g)
            h = 1 / (1 + np.exp(-o)) * np.tanh(c)
            res[t] = h
        outs.append(res)
    return np.concatenate(outs, axis=1) @ m.w_out + m.b_out


def test_batched_forward_equals_a_per_sentence_loop():
    rng = np.random.default_rng(1)
    m = _random_model(rng)
    lengths = [4, 9, 1, 9, 2, 6]
    sent = np.repeat(np.arange(len(lengths)), lengths)
    codes = rng.integers(0, 2**63, size=(len(sent), 3), dtype=np.uint64)
    lp = log_probs(rng.normal(size=(len(sent), 9)).astype(np.float32))
    got = m.scores(codes, lp, sent)
    assert got.shape == (len(sent), 9)
    at = 0
    for n in lengths:
        want = _reference(m, codes[at : at + n], lp[at : at + n])
        assert np.abs(got[at : at + n] - want).max() < 1e-4
        at += n
    # each sentence is read on its own: changing one leaves the others' scores as they were
    lp2 = lp.copy()
    lp2[sent == 1] += 1.0
    again = m.scores(codes, lp2, sent)
    assert np.array_equal(again[sent != 1], got[sent != 1]) and not np.allclose(again[sent == 1], got[sent == 1])


def test_an_ensemble_scores_the_mean_of_its_members_run_alone():
    rng = np.random.default_rng(2)
    members = [_random_model(rng, rows=rows) for rows in (50, 50, 31)]
    lengths = [3, 8, 1, 5]
    sent = np.repeat(np.arange(len(lengths)), lengths)
    codes = rng.integers(0, 2**63, size=(len(sent), 3), dtype=np.uint64)
    lp = log_probs(rng.normal(size=(len(sent), 9)).astype(np.float32))
    got = SequenceEnsemble(members).scores(codes, lp, sent)
    alone = [m.scores(codes, lp, sent) for m in members]
    assert np.abs(got - np.mean(alone, axis=0)).max() < 1e-5
    # the members differ, so the mean is none of them, and its order does not matter
    assert all(np.abs(got - a).max() > 1e-3 for a in alone)
    again = SequenceEnsemble(members[::-1]).scores(codes, lp, sent)
    assert np.abs(again - got).max() < 1e-5
    # a one-member ensemble is that member, per sentence as the plain loop computes it
    one = SequenceEnsemble(members[:1]).scores(codes, lp, sent)
    assert np.abs(one[:3] - _reference(members[0], codes[:3], lp[:3])).max() < 1e-4


def test_meta_files_load_an_ensemble_and_skip_a_missing_member(tmp_path):
    import shutil

    if load_model() is None:
        pytest.skip("no tagger shipped")
    for name in ("weights.npz", "sequence.npz"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    meta["sequence"].update(on=True, files=["sequence.npz", "sequence.npz"])
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    model = load_model(tmp_path)
    assert isinstance(model.sequence, SequenceEnsemble) and len(model.sequence.members) == 2
    meta["sequence"]["files"] = ["sequence.npz", "absent.npz"]
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert isinstance(load_model(tmp_path).sequence, SequenceModel)
    del meta["sequence"]["files"]
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert isinstance(load_model(tmp_path).sequence, SequenceModel)


def _shipped_files() -> list[str]:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    entry = meta.get("sequence") or {}
    return list(entry.get("files", [entry["file"]] if entry else []))


def test_the_shipped_ensemble_is_what_the_tagger_loads():
    files = _shipped_files()
    model = load_model()
    if len(files) < 2 or model is None or model.sequence is None:
        pytest.skip("no ensemble shipped")
    assert isinstance(model.sequence, SequenceEnsemble) and len(model.sequence.members) == len(files)
    for name in files:
        assert (MODEL_DIR / name).stat().st_size < 2_000_000
        seq = load_sequence(MODEL_DIR / name)
        assert seq is not None and seq.w_rec.shape == model.sequence.members[0].w_rec.shape
        assert all(np.isfinite(a).all() for a in (seq.emb, seq.w_in, seq.w_rec, seq.b, seq.w_out, seq.b_out))


def _shipped() -> SequenceModel | None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    entry = meta.get("sequence")
    if not entry:
        return None
    return load_sequence(MODEL_DIR / entry.get("file", "sequence.npz"))


def test_shipped_sequence_weights_are_small_consistent_and_deterministic():
    seq = _shipped()
    if seq is None:
        pytest.skip("no sequence layer shipped")
    assert (MODEL_DIR / "sequence.npz").stat().st_size < 2_000_000
    rows, dims = seq.emb.shape
    hidden = seq.w_rec.shape[1]
    inputs = seq.w_in.shape[1]
    assert (inputs - 9) % dims == 0
    assert seq.w_in.shape == (2, inputs, 4 * hidden) and seq.w_rec.shape == (2, hidden, 4 * hidden)
    assert seq.b.shape == (2, 4 * hidden) and seq.w_out.shape == (2 * hidden, 9) and seq.b_out.shape == (9,)
    assert all(np.isfinite(a).all() for a in (seq.emb, seq.w_in, seq.w_rec, seq.b, seq.w_out, seq.b_out))
    rng = np.random.default_rng(0)
    sent = np.repeat(np.arange(3), [7, 2, 11])
    codes = rng.integers(0, 2**63, size=(len(sent), (inputs - 9) // dims), dtype=np.uint64)
    lp = log_probs(rng.normal(size=(len(sent), 9)).astype(np.float32))
    a, b = seq.scores(codes, lp, sent), seq.scores(codes, lp, sent)
    assert a.shape == (len(sent), 9) and np.array_equal(a, b) and np.isfinite(a).all()


def test_tagger_with_the_shipped_sequence_layer_finds_a_stance_cue_and_its_source():
    from sitrep.claims.learned import doc_arrays, tag
    from sitrep.nlp import get_nlp

    seq = _shipped()
    model = load_model()
    if seq is None or model is None:
        pytest.skip("no sequence layer shipped")
    text = ("Senator Elizabeth Warren sharply criticized the new banking rules on Tuesday, saying they "
            "would hurt families.")
    doc = get_nlp()(text)
    shipped = model.sequence  # the ensemble of every shipped seed when meta.json lists several
    for layer in (seq, shipped):
        model.sequence = layer
        spans = tag(doc, text, doc_arrays(doc), [], model)
        assert any("criticized" in doc[a:b].text for a, b in spans["cue"])
        assert any("Warren" in doc[a:b].text for a, b in spans["source"])
