"""The learned tagger's span decoding: the best BIO sequence per element (``best_labels``)."""
from __future__ import annotations

import itertools

import numpy as np

from sitrep.claims.learned import best_labels, content_beside_cues, decode, log_probs


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


def test_a_sentence_with_a_cue_and_no_content_gets_its_content_decoded_again():
    # two sentences of four tokens; both have a sure cue at token 1, and a content slightly
    # less likely than O over tokens 2-3; the second already has a sure content at token 3
    scores = np.zeros((8, 9), dtype=np.float32)
    scores[:, 0] = 5.0  # source: O everywhere
    scores[:, 3] = 5.0  # cue: O ...
    scores[[1, 5], 3], scores[[1, 5], 4] = 0.0, 5.0  # ... but B at tokens 1 and 5
    scores[:, 6] = 5.0  # content: O ...
    scores[[2, 6], 6], scores[[2, 6], 7] = 1.0, 0.5  # B a little less likely than O
    scores[[3], 6], scores[[3], 8] = 1.0, 0.5
    scores[7, 6], scores[7, 8] = 0.0, 5.0  # a sure I after token 6 (Viterbi makes it a span)
    sent = np.repeat([0, 1], 4)
    labels = best_labels(scores, sent)
    assert (labels[:4, 2] == 0).all()  # no content in the first sentence
    again = content_beside_cues(scores, labels, sent, 2.0)
    assert again[2, 2] == 1 and again[3, 2] == 2  # now "B I" over tokens 2-3
    assert np.array_equal(again[4:], labels[4:])  # the second sentence had a content: untouched
    assert np.array_equal(again[:, :2], labels[:, :2])  # sources and cues untouched
    assert np.array_equal(content_beside_cues(scores, labels, sent, 0.0), labels)
    # no cue, no second look
    no_cue = scores.copy()
    no_cue[[1, 5], 3], no_cue[[1, 5], 4] = 5.0, 0.0
    plain = best_labels(no_cue, sent)
    assert np.array_equal(content_beside_cues(no_cue, plain, sent, 2.0), plain)
    # the same when the sentence without a content is not the article's first
    swapped = np.roll(scores, 4, axis=0)
    labels = best_labels(swapped, sent)
    again = content_beside_cues(swapped, labels, sent, 2.0)
    assert again[6, 2] == 1 and again[7, 2] == 2 and np.array_equal(again[:4], labels[:4])
