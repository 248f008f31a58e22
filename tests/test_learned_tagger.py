"""The learned tagger's span decoding: the best BIO sequence per element (``best_labels``)."""
from __future__ import annotations

import itertools

import numpy as np

from sitrep.claims.learned import best_labels, decode, log_probs


def _valid(seq: tuple[int, ...], sent: np.ndarray) -> bool:
    return all(not (y == 2 and (i == 0 or sent[i] != sent[i - 1] or seq[i - 1] == 0)) for i, y in enumerate(seq))


def _brute_force(scores: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """Every label sequence of each element, the most probable valid one."""
    lp = log_probs(scores).reshape(len(scores), 3, 3)
    out = np.zeros((len(scores), 3), dtype=np.int64)
    for k in range(3):
        best = max((s for s in itertools.product(range(3), repeat=len(scores)) if _valid(s, sent)),
                   key=lambda s: sum(lp[i, k, y] for i, y in enumerate(s)))
        out[:, k] = best
    return out


def test_best_labels_is_the_most_probable_valid_sequence():
    rng = np.random.default_rng(7)
    sent = np.array([0, 0, 0, 0, 1, 1, 1])
    for _ in range(20):
        scores = rng.normal(scale=2.0, size=(len(sent), 9)).astype(np.float32)
        got = best_labels(scores, sent)
        assert np.array_equal(got, _brute_force(scores, sent))
        for k in range(3):
            assert _valid(tuple(got[:, k]), sent)


def test_best_labels_is_the_argmax_where_that_is_already_valid():
    scores = np.zeros((5, 9), dtype=np.float32)
    scores[:, 0::3] = 2.0  # O everywhere ...
    scores[1, 1], scores[2, 2] = 5.0, 5.0  # ... but a B-I source at tokens 1-2
    labels = best_labels(scores, np.zeros(5, dtype=np.int64))
    assert labels[:, 0].tolist() == [0, 1, 2, 0, 0] and not labels[:, 1:].any()


def test_a_quotation_is_not_broken_at_an_uncertain_token():
    # content: B I (O by a hair) I I -- the argmax gives two spans, the best sequence one
    scores = np.zeros((5, 9), dtype=np.float32)
    scores[:, 6:9] = [[0, 3, 0], [0, 0, 3], [1.1, 0, 1.0], [0, 0, 3], [0, 0, 3]]
    sent = np.zeros(5, dtype=np.int64)
    assert decode(scores[:, 6:9].argmax(axis=1), sent) == [(0, 2), (3, 5)]
    assert decode(best_labels(scores, sent)[:, 2], sent) == [(0, 5)]
