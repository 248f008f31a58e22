"""Learned attribution: a token tagger for source, cue and content trained on PolNeAR, and its
combination with the rules.

The rules (``frames``) are precise but miss what they have no pattern for: stance verbs
("criticized", "called for"), noun cues ("in a statement"), whole-noun-phrase sources. A linear
tagger over the parse sitrep already has adds that recall cheaply. For every token it scores
O/B/I for each of the three elements from hashed features of the parse (word, lemma, tags,
dependency, the head, the path up to the nearest cue-like ancestor, quotation state, distance
to cue words, and the rules' own spans, so it learns where the rules are right). A second,
stacked pass reads the first pass's labels around each token and along the tree (the arc by
which a token's path reaches a cue the first pass found, whether its sentence has a cue, a
source, a content; its neighbours' labels): a source is the subject of a cue and a content its
clause, which a bag of features around one token cannot see (PolNeAR dev, tagger alone, overlap
F1 source / cue / content 0.763 / 0.776 / 0.754 with one pass, 0.786 / 0.786 / 0.804 with two).
The spans are the most probable label sequence in which every I follows a B or an I
(``best_labels``, a Viterbi pass over the sentences where the per-token argmax breaks that):
the argmax broke quotations into pieces at every uncertain token (content 0.804 -> 0.870).
Both the second pass (``"second_pass"`` in ``meta.json``) and the decoding are on; together
they cost about 2.3 ms of CPU an article (the model card has the figures with and without them).
Everything is numpy over ``Doc.to_array``: no per-token Python.

Round four adds a sentence-wide layer (``SequenceModel``, ``"sequence"`` in ``meta.json``): a
bidirectional LSTM over each sentence reading embeddings of hashed features and the first pass's
log-probabilities, blended with the second pass. The linear passes see ±2 words; a source ten
words before its cue needs the sentence (tagger alone, overlap F1 0.754 / 0.790 / 0.871 ->
0.811 / 0.810 / 0.883; claims 0.768 / 0.768 / 0.827 -> 0.778 / 0.786 / 0.841; ≈ 7 ms of CPU an
article). torch trains it (``scripts/train_attribution_sequence.py``); numpy runs it here.
Round five ships it trained from three seeds and averaged (``SequenceEnsemble``, ``"files"`` in
``meta.json``): tagger alone 0.812 / 0.810 / 0.883 -> 0.819 / 0.812 / 0.887, the claims unchanged
(0.796 / 0.794 / 0.836 -> 0.795 / 0.794 / 0.837), about 13 ms of CPU an article more; and a
sentence with a cue but no content has its content decoded again less strictly
(``content_beside_cues``): claims 0.798 / 0.797 / 0.837, but on ordinary news it makes claims
of cues that report nothing, so it is off (``"content_with_cue": 0``; its docstring).

The weights (``sitrep/data/attribution/``) come from ``scripts/train_attribution.py`` over
PolNeAR's train split only; the model card beside them gives the figures.

Combination (``combine``): a rule claim with a cue stays as the rules made it. A sentence where
the rules found no attribution of their own but the tagger finds a cue and a content gets a
claim for it, its source the tagger's source span bound to the cue by the tree (else the
nearest), resolved through ``describe_source`` like the rules' sources, so the origin is a
resolved entity (a pronoun stands for its antecedent), never the raw span text; the hop's span
is the mention in the claim's own sentence.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, LEMMA, LENGTH, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc, Token

from sitrep.claims.extract import OPENING_QUOTES, numbered, quote_open
from sitrep.claims.lexicon import ANONYMOUS_HEADS, CLAUSE_REPORTING_VERBS, DENIAL_VERBS, REPORTING_VERBS
from sitrep.claims.sources import Source, SourceMemory, describe_source, np_tokens
from sitrep.model import Article, Claim, Cue, SourceHop
from sitrep.vocab import SourceKind

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "attribution"
ELEMENTS = ("source", "cue", "content")
_ATTRS = [LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, ENT_IOB, IDX, LENGTH, SENT_START, ORTH, IS_PUNCT]
_QUOTE_OPEN, _QUOTE_CLOSE, _QUOTE_BOTH = ("“", "«", "``"), ("”", "»", "''"), ('"',)
# How far up the dependency tree a token looks for a cue-like ancestor (PolNeAR sources and
# contents sit at most a few arcs below their cue; deeper ones are carried by the span decoding).
_ANCESTOR_DEPTH = 6
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)


@lru_cache(maxsize=256)
def _hash_str(s: str) -> np.uint64:
    """A stable 64-bit code for a feature template's name."""
    h = 1469598103934665603
    for ch in s.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return np.uint64(h)


@dataclass
class DocArrays:
    """The parse as arrays, one row per token (hash codes of spaCy's strings)."""

    lower: np.ndarray
    lemma: np.ndarray
    pos: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    head: np.ndarray  # absolute index of the head
    ent: np.ndarray
    start: np.ndarray  # character offsets
    end: np.ndarray
    sent: np.ndarray  # sentence number
    orth: np.ndarray
    punct: np.ndarray


def doc_arrays(doc: Doc) -> DocArrays:
    a = doc.to_array(_ATTRS)
    n = len(doc)
    idx = np.arange(n, dtype=np.int64)
    head = idx + a[:, 5].astype(np.int64)
    start = a[:, 8].astype(np.int64)
    sent_start = a[:, 10].astype(np.int64) == 1
    if n:
        sent_start[0] = True
    ent = a[:, 6] * _M1 + a[:, 7]
    return DocArrays(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], head, ent, start, start + a[:, 9].astype(np.int64),
                     np.cumsum(sent_start) - 1, a[:, 11], a[:, 12].astype(bool))


def token_range(arr: DocArrays, start: int, end: int) -> tuple[int, int]:
    """Tokens overlapping the character range [start, end)."""
    lo = int(np.searchsorted(arr.end, start, side="right"))
    hi = int(np.searchsorted(arr.start, end, side="left"))
    return lo, hi


def rule_flags(arr: DocArrays, claims: list[Claim]) -> np.ndarray:
    """Per token, a code of what the rules said about it: bit 0/1 source begin/inside, 2/3 cue,
    4/5 content of a claim whose cue is in its sentence, 6 content carried from elsewhere."""
    n = len(arr.start)
    flags = np.zeros(n, dtype=np.uint64)
    cued = [c for c in claims if c.cue is not None]
    if not cued:
        return flags
    starts, ends = [], []
    for c in cued:
        origin = c.chain[-1]
        has_source = origin.kind != SourceKind.OUTLET and origin.start is not None and origin.end is not None
        cue = c.cue
        assert cue is not None
        starts += [cue.start, c.start, origin.start if has_source and origin.start is not None else -1]
        ends += [cue.end, c.end, origin.end if has_source and origin.end is not None else -1]
    lo = np.searchsorted(arr.end, np.array(starts), side="right").tolist()
    hi = np.searchsorted(arr.start, np.array(ends), side="left").tolist()
    sent = arr.sent
    for k in range(0, len(lo), 3):
        (cl, ch), (tl, th), (sl, sh) = (lo[k], hi[k]), (lo[k + 1], hi[k + 1]), (lo[k + 2], hi[k + 2])
        if ch > cl:
            flags[cl] |= 1 << 2
            flags[cl + 1 : ch] |= 1 << 3
        if th > tl:
            if ch > cl and sent[tl] == sent[cl]:
                flags[tl] |= 1 << 4
                flags[tl + 1 : th] |= 1 << 5
            else:
                flags[tl:th] |= 1 << 6
        if starts[k + 2] >= 0 and sh > sl:
            flags[sl] |= 1
            flags[sl + 1 : sh] |= 1 << 1
    return flags


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in ``sorted_set`` (a binary search: cheaper than ``np.isin`` here)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[pos] == values


def _shift(x: np.ndarray, k: int, fill: int = 0) -> np.ndarray:
    """x moved by k places (x[t - k] at t), ``fill`` where it falls off."""
    out = np.full_like(x, fill)
    if k > 0:
        out[k:] = x[:-k]
    elif k < 0:
        out[:k] = x[-k:]
    else:
        out[:] = x
    return out


def _bucket(d: np.ndarray) -> np.ndarray:
    """Distances in a few buckets: 0, 1, 2, 3-4, 5-8, 9-16, more."""
    d = np.abs(d)
    return np.searchsorted(np.array([1, 2, 3, 5, 9, 17]), d, side="right").astype(np.uint64)


@dataclass
class Context:
    """Per token: quotation state (bit 0 inside a quotation, bit 1 a quotation mark), whether it
    opens a sentence, and whether its sentence opens a paragraph."""

    inside: np.ndarray
    sent_first: np.ndarray
    par_first: np.ndarray


class _Templates:
    """Feature templates being collected: ``add(name, *columns)`` records one, ``codes()`` hashes
    them all, those of one arity in one numpy pass (the order of templates does not matter to
    the model: it sums their weights)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.by_arity: dict[int, tuple[list[np.uint64], list[tuple[np.ndarray, ...]]]] = {}

    def add(self, name: str, *vals: np.ndarray) -> None:
        names, columns = self.by_arity.setdefault(len(vals), ([], []))
        names.append(_hash_str(name))
        columns.append(vals)

    def codes(self) -> np.ndarray:
        out = []
        for arity, (names, columns) in sorted(self.by_arity.items()):
            v = np.broadcast_to(np.array(names, dtype=np.uint64), (self.n, len(names)))
            for j in range(arity):
                x = np.stack([c[j].astype(np.uint64, copy=False) for c in columns], axis=1)
                v = (v ^ x) * _M1
            out.append(np.ascontiguousarray(v))
        return np.concatenate(out, axis=1)


def _up_to(arr: DocArrays, target: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every token, the path up the tree to the nearest ``target`` ancestor (itself counts,
    at 1): the arc by which the path enters it, that ancestor's index (-1: none) and the depth."""
    n = len(arr.start)
    cur = np.arange(n, dtype=np.int64)
    arc = np.zeros(n, dtype=np.uint64)
    found = np.where(target, cur, -1)
    k_at = np.where(target, 1, 0).astype(np.uint64)
    done = target.copy()
    for k in range(1, depth + 1):
        nxt = arr.head[cur]
        hit = ~done & target[nxt] & (nxt != cur)
        arc[hit] = arr.dep[cur[hit]]
        found[hit] = nxt[hit]
        k_at[hit] = k + 1
        done |= hit
        cur = nxt
    return arc, found, k_at


def _nearest_index(mark: np.ndarray, sent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance buckets (0 = none in the sentence) to the nearest marked token strictly before
    and strictly after each token in its sentence."""
    n = len(mark)
    idx = np.arange(n, dtype=np.int64)
    left = _shift(np.maximum.accumulate(np.where(mark, idx, -1)), 1, -1)
    right = _shift(np.minimum.accumulate(np.where(mark, idx, n)[::-1])[::-1], -1, n)
    has_left = (left >= 0) & (sent[np.clip(left, 0, n - 1)] == sent)
    has_right = (right < n) & (sent[np.clip(right, 0, n - 1)] == sent)
    return (np.where(has_left, _bucket(idx - left) + 1, 0).astype(np.uint64),
            np.where(has_right, _bucket(right - idx) + 1, 0).astype(np.uint64))


def stacked_codes(arr: DocArrays, ctx: Context, first: np.ndarray) -> np.ndarray:
    """The second pass's templates: the first pass's labels (``first``: (n, 3) of O/B/I per
    element) around each token and along the tree. A source is the subject of a cue, a content
    its clause: with the cue the first pass found (not just a cue-like word) these relations
    become visible, and a token learns from its neighbours' labels (a BIO structure without a
    decoder)."""
    n = len(arr.start)
    if not n:
        return np.zeros((0, 0), dtype=np.uint64)
    t = _Templates(n)
    add = t.add
    f = first.astype(np.uint64)
    lab = f[:, 0] * 9 + f[:, 1] * 3 + f[:, 2]
    is_src, is_cue, is_con = first[:, 0] > 0, first[:, 1] > 0, first[:, 2] > 0
    sent = arr.sent
    n_sent = int(sent[-1]) + 1
    sent_bits = np.zeros(n_sent, dtype=np.uint64)
    for k, m in enumerate((is_src, is_cue, is_con)):
        sent_bits[sent[m]] |= np.uint64(1 << k)
    bits = sent_bits[sent]
    prev_bits = np.r_[np.uint64(0), sent_bits[:-1]][sent]
    arc, anchor, depth = _up_to(arr, is_cue, _ANCESTOR_DEPTH)
    anchor_lemma = np.where(anchor >= 0, arr.lemma[np.maximum(anchor, 0)], 0).astype(np.uint64)
    cl, cr = _nearest_index(is_cue, sent)
    sl, sr = _nearest_index(is_src, sent)
    tl, tr = _nearest_index(is_con, sent)
    head_lab = lab[arr.head]
    pos, dep = arr.pos, arr.dep
    add("l", lab)
    add("l-1", _shift(lab, 1))
    add("l+1", _shift(lab, -1))
    add("l-2", _shift(lab, 2))
    add("l+2", _shift(lab, -2))
    add("l-1,l,l+1", _shift(lab, 1), lab, _shift(lab, -1))
    add("l,pos", lab, pos)
    add("l,dep", lab, dep)
    add("hl,dep", head_lab, dep)
    add("hl,l", head_lab, lab)
    add("bits,l", bits, lab)
    add("prevbits,inside,l", prev_bits, ctx.inside, lab)
    add("arc,depth", arc, np.minimum(depth, 4))
    add("arc,depth,l", arc, np.minimum(depth, 4), lab)
    add("arc,anchorlemma", arc, anchor_lemma)
    add("arc,inside", arc, ctx.inside)
    add("cue-lr,l", cl, cr, lab)
    add("cue-lr,pos", cl, cr, pos)
    add("src-lr,cue-lr", sl, sr, cl, cr)
    add("con-lr,cue-lr", tl, tr, cl, cr)
    add("lemma,l", arr.lemma, lab)
    return t.codes()


class Features:
    """The feature templates. ``codes(doc)`` gives an (n_tokens, n_templates) array of uint64
    feature codes; the model maps each to a bucket of its weight table."""

    def __init__(self, cue_lemmas: list[str], strings) -> None:
        self.lexicon = np.array(sorted({int(strings[w]) for w in REPORTING_VERBS | CLAUSE_REPORTING_VERBS}),
                                dtype=np.uint64)
        self.cues = np.array(sorted({int(strings[w]) for w in cue_lemmas}), dtype=np.uint64)
        self.q_open = np.array(sorted(int(strings[q]) for q in _QUOTE_OPEN), dtype=np.uint64)
        self.q_close = np.array(sorted(int(strings[q]) for q in _QUOTE_CLOSE), dtype=np.uint64)
        self.q_both = np.array(sorted(int(strings[q]) for q in _QUOTE_BOTH), dtype=np.uint64)

    def context(self, text: str, arr: DocArrays) -> Context:
        """What both passes read beside the parse: quotation state and paragraph starts."""
        n = len(arr.start)
        q_open = _member(arr.orth, self.q_open)
        q_close = _member(arr.orth, self.q_close)
        q_both = _member(arr.orth, self.q_both)
        is_q = q_open | q_close | q_both
        # Quotation state within the sentence's paragraph: curly marks nest, straight ones toggle.
        # a paragraph starts at a sentence whose preceding whitespace holds a newline
        sent_first = np.r_[True, arr.sent[1:] != arr.sent[:-1]] if n else np.zeros(0, dtype=bool)
        firsts = np.flatnonzero(sent_first)
        new_par = np.zeros(n, dtype=np.int64)
        for i in firsts[1:]:
            if "\n" in text[int(arr.end[i - 1]) : int(arr.start[i])]:
                new_par[i] = 1
        par = np.cumsum(new_par)
        par_first = np.searchsorted(par, par, side="left")
        depth = np.cumsum(q_open.astype(np.int64) - q_close.astype(np.int64))
        depth_before = depth - q_open + q_close
        depth_in_par = depth_before - depth_before[par_first] if n else depth_before
        straight = np.cumsum(q_both.astype(np.int64)) - q_both
        straight_in_par = (straight - straight[par_first]) % 2 if n else straight
        inside = ((depth_in_par > 0) | (straight_in_par == 1)).astype(np.uint64) + is_q.astype(np.uint64) * 2
        sent_head = np.maximum.accumulate(np.where(sent_first, np.arange(n), 0)) if n else np.zeros(0, dtype=np.int64)
        return Context(inside, sent_first, new_par[sent_head] if n else new_par)

    def codes(self, text: str, arr: DocArrays, flags: np.ndarray, ctx: Context | None = None) -> np.ndarray:
        n = len(arr.start)
        idx = np.arange(n, dtype=np.int64)
        ctx = ctx or self.context(text, arr)
        inside, sent_first = ctx.inside, ctx.sent_first
        t = _Templates(n)
        add = t.add
        lex = _member(arr.lemma, self.lexicon)
        cue = _member(arr.lemma, self.cues) | lex

        # Nearest cue-like word before/after in the same sentence.
        left = np.maximum.accumulate(np.where(cue, idx, -1)) if n else idx
        right = np.minimum.accumulate(np.where(cue, idx, n)[::-1])[::-1] if n else idx
        left_prev = _shift(left, 1, -1)
        right_next = _shift(right, -1, n)
        has_left = (left_prev >= 0) & (arr.sent[np.clip(left_prev, 0, max(n - 1, 0))] == arr.sent)
        has_right = (right_next < n) & (arr.sent[np.clip(right_next, 0, max(n - 1, 0))] == arr.sent)
        d_left = np.where(has_left, _bucket(idx - left_prev) + 1, 0).astype(np.uint64)
        d_right = np.where(has_right, _bucket(right_next - idx) + 1, 0).astype(np.uint64)

        # The path up to the nearest cue-like ancestor: the arc it enters the cue by, and how far.
        cur = idx.copy()
        found_dep = np.zeros(n, dtype=np.uint64)
        found_lemma = np.zeros(n, dtype=np.uint64)
        found_k = np.zeros(n, dtype=np.uint64)
        done = cue.copy()
        found_k[done] = 1
        for k in range(1, _ANCESTOR_DEPTH + 1):
            nxt = arr.head[cur]
            hit = ~done & cue[nxt] & (nxt != cur)
            found_dep[hit] = arr.dep[cur[hit]]  # the arc by which the path enters the cue
            found_lemma[hit] = arr.lemma[nxt[hit]]
            found_k[hit] = k + 1
            done |= hit
            cur = nxt
        head_lemma = arr.lemma[arr.head]
        head_dep = arr.dep[arr.head]
        head_pos = arr.pos[arr.head]

        lower, pos = arr.lower, arr.pos
        sent_pos = idx - np.maximum.accumulate(np.where(sent_first, idx, 0)) if n else idx
        sent_pos_b = _bucket(sent_pos)
        rules = flags
        add("bias")
        add("lower", lower)
        add("lemma", arr.lemma)
        add("pos", pos)
        add("tag", arr.tag)
        add("dep", arr.dep)
        add("ent", arr.ent)
        add("lower-1", _shift(lower, 1))
        add("lower+1", _shift(lower, -1))
        add("lower-2", _shift(lower, 2))
        add("lower+2", _shift(lower, -2))
        add("pos-1", _shift(pos, 1))
        add("pos+1", _shift(pos, -1))
        add("pos-1,pos,pos+1", _shift(pos, 1), pos, _shift(pos, -1))
        add("lemma,lemma+1", arr.lemma, _shift(arr.lemma, -1))
        add("lemma-1,lemma", _shift(arr.lemma, 1), arr.lemma)
        add("dep,headlemma", arr.dep, head_lemma)
        add("headlemma", head_lemma)
        add("dep,headdep", arr.dep, head_dep)
        add("dep,headpos", arr.dep, head_pos)
        add("pos,dep", pos, arr.dep)
        add("lex", lex)
        add("cue,pos", cue, pos)
        add("lex-head", lex[arr.head], arr.dep)
        add("anc", found_dep, np.minimum(found_k, 4))
        add("anc-dep", found_dep)
        add("anc-lemma", found_lemma, found_dep)
        add("anc,inside", found_dep, inside)
        add("inside", inside)
        add("inside,pos", inside, pos)
        add("dleft,dright", d_left, d_right)
        add("dleft,pos", d_left, pos)
        add("dright,pos", d_right, pos)
        add("dleft,dright,inside", d_left, d_right, inside)
        add("sentpos", sent_pos_b)
        add("sentpos,pos", sent_pos_b, pos)
        add("rules", rules)
        add("rules-1", _shift(rules, 1))
        add("rules+1", _shift(rules, -1))
        add("rules,pos", rules, pos)
        add("rules,inside", rules, inside)
        add("rules,anc", rules, found_dep)
        add("rules-head", rules[arr.head], arr.dep)
        add("par-first-sent", ctx.par_first)
        return t.codes() if n else np.zeros((0, 0), dtype=np.uint64)


def _hashed_sum(codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The sum of each row's feature weights (``codes`` taken modulo the table's rows), as a
    sparse product: about 0.6 ms for 900 tokens and 44 templates, where a dense gather and sum
    costs 2-3 ms."""
    n, f = codes.shape
    rows = (codes % np.uint64(len(weights))).astype(np.int32).ravel()
    x = sparse.csr_matrix((np.ones(n * f, dtype=np.float32), rows, np.arange(0, n * f + 1, f, dtype=np.int32)),
                          shape=(n, len(weights)))
    return np.asarray(x @ weights)


def log_probs(scores: np.ndarray) -> np.ndarray:
    """Per element, the O/B/I scores as log-probabilities (what the second pass reads). Row-wise
    over the transposed scores: numpy's reductions over a last axis of 3 cost ten times more."""
    t = np.ascontiguousarray(scores.T)
    out = np.empty_like(t)
    for k in range(0, 9, 3):
        top = np.maximum(np.maximum(t[k], t[k + 1]), t[k + 2])
        z = t[k : k + 3] - top
        out[k : k + 3] = z - np.log(np.exp(z).sum(axis=0))
    return out.T


@dataclass
class TaggerModel:
    """Weights of the tagger: one row of 3 (O, B, I) scores per element per bucket for the first
    pass, and for the second (stacked) pass a table over ``stacked_codes`` plus a (9, 9) map of
    the first pass's log-probabilities."""

    weights: np.ndarray  # (buckets, 9), float32
    bias: np.ndarray  # (9,)
    cue_lemmas: list[str]
    buckets: int
    # Added to the O score of each element: below 0 the tagger marks more (chosen on dev).
    o_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    weights2: np.ndarray | None = None  # (buckets2, 9)
    bias2: np.ndarray | None = None  # (9,)
    mix: np.ndarray | None = None  # (9, 9): first-pass log-probabilities -> second-pass scores
    # The sentence-wide layer that replaces the second pass when present, and its own O offsets.
    sequence: SequenceModel | SequenceEnsemble | None = None
    sequence_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    blend: float = 0.0  # weight of the second pass's log-probabilities beside the sequence layer's
    # Lowered O score of content in sentences with a cue and no content (``content_beside_cues``).
    content_with_cue: float = 0.0

    def scores(self, codes: np.ndarray) -> np.ndarray:
        """(n_tokens, 9) first-pass scores."""
        return _hashed_sum(codes, self.weights) + self.bias

    def final(self, first: np.ndarray, arr: DocArrays, ctx: Context) -> np.ndarray:
        """(n_tokens, 9) scores of the last pass, with the O offset added."""
        out = first
        if self.weights2 is not None and self.bias2 is not None and self.mix is not None:
            labels = first.reshape(len(first), 3, 3).argmax(axis=2)
            out = _hashed_sum(stacked_codes(arr, ctx, labels), self.weights2) + log_probs(first) @ self.mix + self.bias2
        else:
            out = out.copy()
        out[:, 0::3] += np.array(self.o_offset, dtype=np.float32)
        return out


def sequence_codes(arr: DocArrays, ctx: Context, flags: np.ndarray, feats: Features) -> np.ndarray:
    """(n_tokens, 10) hashed codes of what the sequence layer embeds per token: the word, its
    lemma, tag, dependency, its head's lemma, the rules' flags, the quotation state, the distances
    to the nearest cue-like words before / after it, and the arc by which its path up the tree
    enters a cue-like ancestor (with the depth)."""
    n = len(arr.start)
    t = _Templates(n)
    cue = _member(arr.lemma, feats.cues) | _member(arr.lemma, feats.lexicon)
    d_left, d_right = _nearest_index(cue, arr.sent)
    arc, _, depth = _up_to(arr, cue, _ANCESTOR_DEPTH)
    t.add("s:lower", arr.lower)
    t.add("s:lemma", arr.lemma)
    t.add("s:tag", arr.tag)
    t.add("s:dep", arr.dep)
    t.add("s:headlemma", arr.lemma[arr.head])
    t.add("s:rules", flags)
    t.add("s:inside", ctx.inside)
    t.add("s:ent", arr.ent)
    t.add("s:cue-lr", d_left, d_right)
    t.add("s:anc", arc, np.minimum(depth, 4))
    return t.codes()


@lru_cache(maxsize=1)
def _blas_threads():
    """threadpoolctl's controller (scikit-learn's own dependency), to run the layer's small
    products on one BLAS thread: OpenBLAS's threads spin on them, tripling the CPU time (PolNeAR
    dev article: ≈ 24 ms of CPU with the default threads, ≈ 7 ms with one)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - always there beside scikit-learn
        return None
    return ThreadpoolController()


@dataclass
class SequenceModel:
    """A bidirectional LSTM over each sentence that replaces the stacked second pass: it reads,
    per token, embeddings of hashed features (``sequence_codes``) and the first pass's
    log-probabilities, and scores O/B/I per element with the whole sentence in view (a source
    is the subject of a cue ten words on; a content runs to the end of its clause). Trained with
    torch (``scripts/train_attribution_sequence.py``); run here in numpy, all of an article's
    sentences at once, one step per position."""

    emb: np.ndarray  # (rows, dims): the hashed feature embeddings
    w_in: np.ndarray  # (2, inputs, 4 * hidden): forward / backward input weights, gates i f g o
    w_rec: np.ndarray  # (2, hidden, 4 * hidden)
    b: np.ndarray  # (2, 4 * hidden)
    w_out: np.ndarray  # (2 * hidden, 9)
    b_out: np.ndarray  # (9,)

    def scores(self, codes: np.ndarray, first_lp: np.ndarray, sent: np.ndarray) -> np.ndarray:
        """(n_tokens, 9) O/B/I scores per element."""
        return SequenceEnsemble([self]).scores(codes, first_lp, sent)


@dataclass
class SequenceEnsemble:
    """Several sentence-wide layers trained alike from different seeds, their scores averaged.
    Averaging the members' scores is averaging their log-probabilities (the difference is a
    constant per token and element, which ``log_probs`` removes), i.e. a product of experts that
    smooths one seed's mistakes. All members run in the same loop, one step per position, their
    directions stacked as more batches of one batched product; at these sizes the arithmetic
    dominates, so k members still cost about k times one (PolNeAR dev, CPU per article under
    load: one layer 6.9 ms, three 19.9 ms, three run one after the other 20.4 ms). PolNeAR dev,
    three seeds against seed 0 alone: tagger overlap F1 0.812 / 0.810 / 0.883 -> 0.819 / 0.812 /
    0.887, the claims 0.796 / 0.794 / 0.836 -> 0.795 / 0.794 / 0.837 (the model card)."""

    members: list[SequenceModel]

    def scores(self, codes: np.ndarray, first_lp: np.ndarray, sent: np.ndarray) -> np.ndarray:
        """(n_tokens, 9) O/B/I scores per element, the mean of the members'."""
        ctrl = _blas_threads()
        with ctrl.limit(limits=1, user_api="blas") if ctrl is not None else nullcontext():
            return self._scores(codes, first_lp, sent)

    def _scores(self, codes: np.ndarray, first_lp: np.ndarray, sent: np.ndarray) -> np.ndarray:
        n = len(codes)
        k = len(self.members)
        hidden = self.members[0].w_rec.shape[1]
        # sigmoid(z) = 0.5 + 0.5 tanh(z / 2): halving the i, f, o gates' weights lets one tanh serve all four
        half = np.r_[np.full(2 * hidden, 0.5), np.ones(hidden), np.full(hidden, 0.5)].astype(np.float32)
        firsts = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])
        lengths = np.diff(np.r_[firsts, n])
        # sentences longest first, so those still running at a position are a prefix of them
        order = np.argsort(-lengths, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        pos = np.arange(n) - np.repeat(firsts, lengths)
        row = np.repeat(rank, lengths)
        back = np.repeat(lengths, lengths) - 1 - pos  # the backward direction reads each sentence reversed
        width = int(lengths.max())
        active = (lengths[order][None, :] > np.arange(width)[:, None]).sum(axis=1)
        # axis 1 of the grid: member m's forward direction at 2m, its backward one at 2m + 1
        grid = np.zeros((width, 2 * k, len(lengths), 4 * hidden), dtype=np.float32)
        lp = first_lp.astype(np.float32)
        for m, mem in enumerate(self.members):
            rows = len(mem.emb)
            x = mem.emb[(codes % np.uint64(rows)).astype(np.int64)].reshape(n, -1)
            x = np.concatenate([x, lp], axis=1)
            grid[pos, 2 * m, row] = x @ (mem.w_in[0] * half) + mem.b[0] * half
            grid[back, 2 * m + 1, row] = x @ (mem.w_in[1] * half) + mem.b[1] * half
        w_rec = np.concatenate([mem.w_rec for mem in self.members]) * half
        out = np.zeros((width, 2 * k, len(lengths), hidden), dtype=np.float32)
        h = np.zeros((2 * k, len(lengths), hidden), dtype=np.float32)
        c = np.zeros_like(h)
        for j in range(width):
            a = int(active[j])
            t = np.tanh(grid[j, :, :a] + np.matmul(h[:, :a], w_rec))
            g = t[..., 2 * hidden : 3 * hidden].copy()
            t *= 0.5
            t += 0.5
            cm = c[:, :a]
            cm *= t[..., hidden : 2 * hidden]
            cm += t[..., :hidden] * g
            h[:, :a] = t[..., 3 * hidden :] * np.tanh(cm)
            out[j, :, :a] = h[:, :a]
        total = np.zeros((n, 9), dtype=np.float32)
        for m, mem in enumerate(self.members):
            both = np.concatenate([out[pos, 2 * m, row], out[back, 2 * m + 1, row]], axis=1)
            total += both @ mem.w_out + mem.b_out
        return total / k if k > 1 else total


def load_sequence(path: Path) -> SequenceModel | None:
    """The sequence layer's weights (float16 on disk), or None when absent."""
    if not path.exists():
        return None
    with np.load(path) as z:
        return SequenceModel(*(z[k].astype(np.float32) for k in ("emb", "w_in", "w_rec", "b", "w_out", "b_out")))


def load_model(directory: Path = MODEL_DIR) -> TaggerModel | None:
    """The shipped tagger, or None when its weights are absent (the rules then work alone)."""
    weights = directory / "weights.npz"
    meta = directory / "meta.json"
    if not weights.exists() or not meta.exists():
        return None
    info = json.loads(meta.read_text(encoding="utf-8"))
    with np.load(weights) as z:
        w = z["weights"].astype(np.float32)
        b = z["bias"].astype(np.float32)
        # "second_pass": false in meta.json runs the first pass alone (cheaper, a little less
        # accurate: the model card gives both)
        stacked = "weights2" in z and info.get("second_pass", True)
        second = [z[k].astype(np.float32) for k in ("weights2", "bias2", "mix")] if stacked else [None] * 3
    offset = tuple(float(v) for v in info.get("o_offset", (0.0, 0.0, 0.0)))
    model = TaggerModel(w, b, list(info["cue_lemmas"]), int(info["buckets"]), offset, *second)  # type: ignore[arg-type]
    # "sequence": {"on": false, ...} in meta.json ships the sentence-wide layer switched off
    seq = info.get("sequence") or {}
    if seq.get("on", False):
        # "files": several seeds' layers, averaged (``SequenceEnsemble``); "file": one layer
        members = [load_sequence(directory / f) for f in seq.get("files", [seq.get("file", "sequence.npz")])]
        found = [m for m in members if m is not None]
        if found:
            model.sequence = found[0] if len(found) == 1 else SequenceEnsemble(found)
        model.sequence_offset = tuple(float(v) for v in seq.get("o_offset", (0.0, 0.0, 0.0)))  # type: ignore[assignment]
        model.blend = float(seq.get("blend", 0.0))
    model.content_with_cue = float(info.get("content_with_cue", 0.0))
    return model


@lru_cache(maxsize=1)
def shipped_model() -> TaggerModel | None:
    return load_model()


_FEATURES: dict[int, Features] = {}


def features_for(model_lemmas: list[str], strings) -> Features:
    key = id(strings) ^ hash(tuple(model_lemmas))
    f = _FEATURES.get(key)
    if f is None:
        f = _FEATURES[key] = Features(model_lemmas, strings)
    return f


def decode(labels: np.ndarray, sent: np.ndarray) -> list[tuple[int, int]]:
    """Token spans from per-token labels (0 = O, 1 = B, 2 = I): a span opens at B or at an I
    after O, runs over I, and never crosses a sentence boundary."""
    inside = labels != 0
    new_sent = np.r_[True, sent[1:] != sent[:-1]]
    opens = inside & ((labels == 1) | ~np.r_[False, inside[:-1]] | new_sent)
    closes = inside & np.r_[opens[1:] | ~inside[1:] | new_sent[1:], True]
    return list(zip(np.flatnonzero(opens).tolist(), (np.flatnonzero(closes) + 1).tolist()))


_NEVER = np.float32(-1e9)


def best_labels(scores: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """(n_tokens, 3) labels O=0 / B=1 / I=2 per element: the most probable sequence in which an
    I follows a B or an I of its own sentence (Viterbi over the per-token log-probabilities, each
    element on its own). Where the per-token argmax already obeys that, it is the answer; only
    the sentences where it does not (an I after an O, or opening the sentence) are decoded, all
    of them at once, position by position (≈ 1.4 ms an article). On PolNeAR dev (tagger alone,
    two passes, shipped weights) this turned content overlap F1 0.804 into 0.870 (the argmax broke
    a quotation into pieces at every uncertain token), source 0.787 -> 0.789, cue 0.781 -> 0.786."""
    n = len(scores)
    lp = log_probs(scores).reshape(n, 3, 3)
    labels = lp.argmax(axis=2)
    new_sent = np.r_[True, sent[1:] != sent[:-1]]
    prev = np.concatenate([np.zeros((1, 3), dtype=labels.dtype), labels[:-1]])
    bad = (labels == 2) & ((prev == 0) | new_sent[:, None])
    if not bad.any():
        return labels
    firsts = np.flatnonzero(new_sent)
    lengths = np.diff(np.r_[firsts, n])
    todo = np.unique(sent[bad.any(axis=1)])
    width = int(lengths[todo].max())
    # sentences right-aligned in a (sentences, width) grid; the padding in front is O for sure
    col = np.repeat(width - lengths[todo], lengths[todo]) + np.concatenate([np.arange(k) for k in lengths[todo]])
    row = np.repeat(np.arange(len(todo)), lengths[todo])
    tok = np.concatenate([np.arange(firsts[s], firsts[s] + lengths[s]) for s in todo])
    grid = np.full((width, len(todo), 3, 3), _NEVER, dtype=np.float32)
    grid[..., 0] = 0.0
    grid[col, row] = lp[tok]
    back_any = np.zeros((width, len(todo), 3), dtype=np.int8)
    back_in = np.zeros((width, len(todo), 3), dtype=np.int8)
    d = grid[0].copy()
    d[..., 2] = _NEVER
    for j in range(1, width):
        back_any[j] = d.argmax(axis=2)
        best = d.max(axis=2)
        back_in[j] = np.where(d[..., 1] >= d[..., 2], 1, 2)
        inner = np.maximum(d[..., 1], d[..., 2])
        d = grid[j] + np.stack([best, best, inner], axis=2)
    path = np.zeros((width, len(todo), 3), dtype=np.int8)
    k = d.argmax(axis=2).astype(np.int8)
    for j in range(width - 1, -1, -1):
        path[j] = k
        k = np.where(k == 2, back_in[j], back_any[j])
    labels[tok] = path[col, row]
    return labels


def content_beside_cues(scores: np.ndarray, labels: np.ndarray, sent: np.ndarray, lower: float) -> np.ndarray:
    """``labels`` with the content decoded again, its O score lowered by ``lower``, in the
    sentences where the tagger marks a cue but no content. A PolNeAR cue's content is nearly
    always in its own sentence, and a cue with none there makes no claim; where the tagger marks
    a cue it is worth being less strict about the content. On PolNeAR dev (three seeds,
    claims overlap F1 source / cue / content): lower 0 0.795 / 0.794 / 0.837, 1 0.797 / 0.796 /
    0.837, **2 0.798 / 0.797 / 0.837** (meta.json's ``"content_with_cue"``), 3 0.797 / 0.796 /
    0.836, 5 0.798 / 0.797 / 0.837: recall up (source 0.741 -> 0.749), precision down less
    (0.859 -> 0.853); over the 100 real pages + seeds one claim more (3,350 -> 3,351); the
    tagger's own content F1 falls 0.887 -> 0.883. Lowering the source's O score the same way
    instead (1.5) loses 0.001 / 0.000.

    Shipped OFF (``"content_with_cue": 0`` in meta.json): on the 225 BBC non-politics dev articles
    (bench/RESULTS.md, "Main after the merges of 2026-12-03 (sixth session)") it raised the attributed
    claims whose cue has no reporting lemma from 256 to 289 ("more memory | Adding | ...",
    "Century | painted | ..."), for +0.002 / +0.002 / 0.000 on PolNeAR dev (merged main: 0.802 /
    0.801 / 0.844 off, 0.804 / 0.803 / 0.844 on). Precision on ordinary news comes first."""
    if lower <= 0 or not len(sent):
        return labels
    n_sent = int(sent.max()) + 1
    with_cue = np.bincount(sent[labels[:, 1] != 0], minlength=n_sent) > 0
    with_content = np.bincount(sent[labels[:, 2] != 0], minlength=n_sent) > 0
    todo = (with_cue & ~with_content)[sent]
    if not todo.any():
        return labels
    again = scores[todo].copy()
    again[:, 6] -= np.float32(lower)
    out = labels.copy()
    # best_labels numbers sentences from 0 without gaps
    renumbered = np.unique(sent[todo], return_inverse=True)[1].reshape(-1)
    out[todo, 2] = best_labels(again, renumbered)[:, 2]
    return out


def tag(doc: Doc, text: str, arr: DocArrays, claims: list[Claim], model: TaggerModel) -> dict[str, list[tuple[int, int]]]:
    """Token spans per element that the tagger finds in ``doc`` (given the rules' ``claims``)."""
    if not len(arr.start):
        return {e: [] for e in ELEMENTS}
    feats = features_for(model.cue_lemmas, doc.vocab.strings)
    ctx = feats.context(text, arr)
    flags = rule_flags(arr, claims)
    first = model.scores(feats.codes(text, arr, flags, ctx))
    if model.sequence is not None:
        scores = log_probs(model.sequence.scores(sequence_codes(arr, ctx, flags, feats), log_probs(first), arr.sent))
        if model.blend > 0 and model.weights2 is not None:
            # a product of the two experts: the sentence-wide layer and the linear second pass
            stacked = model.final(first, arr, ctx)
            stacked[:, 0::3] -= np.array(model.o_offset, dtype=np.float32)
            scores = (1 - model.blend) * scores + model.blend * log_probs(stacked)
        scores[:, 0::3] += np.array(model.sequence_offset, dtype=np.float32)
    else:
        scores = model.final(first, arr, ctx)
    labels = content_beside_cues(scores, best_labels(scores, arr.sent), arr.sent, model.content_with_cue)
    return {elem: decode(labels[:, k], arr.sent) for k, elem in enumerate(ELEMENTS)}


def _char_span(arr: DocArrays, rng: tuple[int, int]) -> tuple[int, int]:
    return int(arr.start[rng[0]]), int(arr.end[rng[1] - 1])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _nearest(spans: list[tuple[int, int]], cue: tuple[int, int]) -> tuple[int, int] | None:
    """The span closest to the cue in tokens, never one overlapping it."""
    best, gap = None, 1 << 30
    for s in spans:
        if _overlaps(s, cue):
            continue
        d = cue[0] - s[1] if s[1] <= cue[0] else s[0] - cue[1]
        if d < gap:
            best, gap = s, d
    return best


def _governs(doc: Doc, cue: tuple[int, int], rule_cue: Cue) -> bool:
    """Whether the learned cue is a verb whose clause holds the rule's cue ("had mocked the
    complaint, saying ..."): a stance of its own, not a word of the rule's frame."""
    root = doc[cue[0] : cue[1]].root
    if root.pos_ != "VERB":
        return False
    target = doc.char_span(rule_cue.start, rule_cue.end, alignment_mode="expand")
    return target is not None and target.root.i != root.i and root.is_ancestor(target.root)


def _speaker(heads: list[int], cue: tuple[int, int], spans: list[tuple[int, int]],
             verbs: Collection[int] = ()) -> tuple[tuple[int, int] | None, bool]:
    """The source span of a cue: one bound to it by the tree (a token of the span hangs from
    the cue, directly or through one word: "according to X", "said by X"), else the nearest;
    and whether it was bound."""
    if not spans:
        return None, False
    lo, hi = cue
    # a span hanging from the cue itself before one hanging through a word ("officials" of
    # "before officials had weighed in, Trump said" hangs from "said" through "weighed")
    for s in spans:
        if any(lo <= heads[t] < hi for t in range(*s)):
            return s, True
    for s in spans:
        if any(lo <= heads[heads[t]] < hi and heads[t] not in verbs for t in range(*s)):
            return s, True
    return _nearest(spans, cue), False


def _subject(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> tuple[int, int] | None:
    """The cue's grammatical subject as a token range, for a cue the tagger gave no source: the
    subject of the cue's verb, or of the verb it shares its subject with ("came out and said",
    "wants to know"), never a word of the content."""
    verb = doc[cue[0] : cue[1]].root
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ in {"xcomp", "conj"}:
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    toks = np_tokens(subj)
    rng = (toks[0].i, toks[-1].i + 1)
    return None if _overlaps(rng, content) or _overlaps(rng, cue) else rng


class _RuleSources:
    """The sources the rules resolved, in text order, from which a ``SourceMemory`` as it stood
    at any position is cut (so "he" in a learned source finds the person the rules last quoted)."""

    def __init__(self, article: Article, claims: list[Claim]) -> None:
        self.outlet = article.outlet
        found = []
        for c in claims:
            origin = c.chain[-1]
            if len(c.chain) > 1 and origin.start is not None:
                head = "person" if origin.kind in (SourceKind.PERSON, SourceKind.OFFICIAL) else str(origin.kind)
                found.append((origin.start, Source(origin, list(c.chain), c.origin_named, head)))
        found.sort(key=lambda f: f[0])
        self.starts = [f[0] for f in found]
        self.sources = [f[1] for f in found]

    def memory_before(self, position: int) -> SourceMemory:
        memory = SourceMemory(self.outlet)
        memory.items = self.sources[: bisect_left(self.starts, position)]
        return memory


def _resolve(doc: Doc, arr: DocArrays, article: Article, known: _RuleSources, rng: tuple[int, int] | None,
             lemma: str) -> tuple[list[SourceHop], bool]:
    """The chain of a learned source span: the outlet, then the source as the rules' resolution
    names it (a resolved entity; a pronoun its antecedent). The hop keeps the span as written."""
    outlet = SourceHop(article.outlet or "unknown outlet", SourceKind.OUTLET)
    if rng is None:
        return [outlet], False
    head = doc[rng[0] : rng[1]].root
    memory = known.memory_before(int(arr.start[rng[0]]))
    src = describe_source(head, memory, lemma)
    if src is None:  # the outlet itself
        return [outlet], article.outlet is not None
    # the mention is the span in this sentence, the whole noun phrase ("Republican nominee
    # Donald Trump"), also where the name comes from an antecedent ("he", "the statement")
    start, end = _char_span(arr, rng)
    hop = SourceHop(src.hop.name, src.hop.kind, start, end, src.hop.role, src.hop.affiliation)
    if src.chain and len(src.chain) > 1:
        return [outlet] + list(src.chain[1:-1]) + [hop], src.named
    return [outlet, hop], src.named


def _with_learned_source(claim: Claim, doc: Doc, arr: DocArrays, article: Article, known: _RuleSources,
                         sources: dict[int, list[tuple[int, int]]], heads: list[int], verbs: Collection[int],
                         cue: tuple[int, int], content: tuple[int, int]) -> Claim:
    """A rule claim with its source as the tagger delimits it: the whole noun phrase when it
    holds the rules' mention ("Republican nominee Donald Trump" for "Donald Trump"); the
    resolved learned source when the rules left only the outlet. Name and kind stay resolved."""
    if claim.cue is None or cue[1] <= cue[0] or not sources.get(int(arr.sent[cue[0]])):
        return claim
    if content[1] <= content[0] or arr.sent[cue[0]] != arr.sent[content[0]]:
        return claim
    near, bound = _speaker(heads, cue, [x for x in sources[int(arr.sent[cue[0]])] if not _overlaps(x, content)], verbs)
    if near is None:
        return claim
    start, end = _char_span(arr, near)
    origin = claim.chain[-1]
    if len(claim.chain) > 1 and origin.start is not None and origin.end is not None:
        inside = start <= origin.start and origin.end <= end
        hops = [(h.start, h.end) for h in claim.chain if h.start is not None and h.end is not None]
        if bound and not inside and not any(_overlaps((start, end), h) for h in hops):
            # the tree binds another mention to the cue than any hop of the rules' chain ("Clinton
            # called ..., but she noted": "she"; '"...," said James Acton' where the rules read
            # "it"): the bound mention is the speaker, resolved as the rules resolve one
            lemma = doc[cue[0] : cue[1]].root.lemma_.lower()
            chain, named = _resolve(doc, arr, article, known, near, lemma)
            if len(chain) > 1:
                claim.chain, claim.origin_named = chain, named
                return claim
        # the rules named the speaker from an antecedent elsewhere ("he" -> Prince Andrew): the
        # mention is the cue's own subject in this sentence
        elsewhere = bound and arr.sent[token_range(arr, origin.start, origin.end)[0]] != arr.sent[cue[0]]
        if (inside or elsewhere) and (start, end) != (origin.start, origin.end):
            hop = SourceHop(origin.name, origin.kind, start, end, origin.role, origin.affiliation)
            claim.chain = claim.chain[:-1] + [hop]
        return claim
    if len(claim.chain) == 1:
        lemma = doc[cue[0] : cue[1]].root.lemma_.lower()
        chain, named = _resolve(doc, arr, article, known, near, lemma)
        if len(chain) > 1:
            claim.chain, claim.origin_named = chain, named
    return claim


def _frame_envelope(claim: Claim, reaches_content: bool = True) -> tuple[int, int]:
    """The characters of a rule frame outside its content: cue, source, and, when the content is
    in the cue's sentence (``reaches_content``), what lies between them and the content ("cited a
    military official as saying that")."""
    cue = claim.cue
    assert cue is not None
    lo, hi = cue.start, cue.end
    origin = claim.chain[-1]
    # a source mention further than this from the cue is not this frame's words (a carried one)
    if len(claim.chain) > 1 and origin.start is not None and origin.end is not None and abs(origin.start - cue.start) < 200:
        lo, hi = min(lo, origin.start), max(hi, origin.end)
    if not reaches_content:
        return lo, hi
    if claim.start >= hi:
        hi = claim.start
    elif claim.end <= lo:
        lo = claim.end
    return lo, hi


def _unconfirmed_nested(text: str, claims: list[Claim], framed: list[bool], tagged_cues: list[tuple[int, int]]) -> set[int]:
    """Indices of rule claims whose frame sits inside another frame's content and adds no source
    of its own: the same speaker's stance on their own words ("Clinton said she thinks ...") or
    a frame quoted inside the quotation ('"People say, ..." said King'), when the tagger does not
    mark its cue either. The outer claim holds these words, and the sentences that carried the
    inner frame's attribution carry the outer one's instead (``framed``: the claim's cue is in
    its own sentence, not carried). On PolNeAR dev (shipped weights) this drops 70 rule claims,
    7 of them on a gold cue (44 fewer distinct cue spans scored): cue overlap F1 +0.006, source
    +0.002; dropping every unconfirmed nested frame gained +0.002 more but loses stances that
    name a source of their own ("which many of us think ...")."""
    out = set()
    for n, c in enumerate(claims):
        cue = c.cue
        if cue is None or not framed[n] or any(_overlaps((cue.start, cue.end), t) for t in tagged_cues):
            continue
        outer = [d for d in claims if d.cue is not None and d.cue != cue and d.start <= cue.start < d.end]
        if not outer:
            continue
        d = min(outer, key=lambda d: d.end - d.start)
        same = c.chain[-1].name == d.chain[-1].name
        quoted = quote_open(text[d.start : cue.start]) or text[d.start - 1 : d.start] in OPENING_QUOTES
        if not (same or quoted):
            continue
        out.add(n)
        for m, e in enumerate(claims):
            if m != n and not framed[m] and e.cue == cue:
                e.chain, e.cue, e.origin_named = list(d.chain), d.cue, d.origin_named
    return out


def _unconfirmed_frames(claims: list[Claim], framed: list[bool], tagged_cues: list[tuple[int, int]]) -> set[int]:
    """Indices of rule claims framed in their own sentence whose cue the tagger does not mark:
    with its sentence-wide layer the tagger reads a sentence's frames better than the rules'
    patterns do ("Just 9 percent of voters said" inside a quotation, "he really believes that"
    in a speaker's words, "as promised"), so the frame it does not confirm is dropped, as an
    unconfirmed nested one was before. A frame inside another claim's content stays
    ``_unconfirmed_nested``'s to judge: one with a source of its own ("which many of us think")
    is kept. Carried claims are not touched. On PolNeAR dev the claims' cues the tagger does not
    mark were 19 right of 97 (cue overlap precision 0.20); dropping the frames moves claims
    overlap F1 source / cue / content 0.785 / 0.786 / 0.843 -> 0.791 / 0.793 / 0.835 (cue P
    0.825 -> 0.848, R 0.751 -> 0.745; dropping the nested ones too: 0.795 / 0.797 / 0.835)."""
    out = set()
    for n, c in enumerate(claims):
        cue = c.cue
        if cue is None or not framed[n] or any(_overlaps((cue.start, cue.end), t) for t in tagged_cues):
            continue
        if any(d.cue is not None and d.cue != cue and d.start <= cue.start < d.end for d in claims):
            continue  # a frame inside another's content: ``_unconfirmed_nested`` judges it
        out.add(n)
    return out


def _unattribute_carried(article: Article, claims: list[Claim], framed: list[bool], unconfirmed: set[int]) -> None:
    """The sentences that went on with a dropped unconfirmed frame's attribution (same cue, not
    framed in their own sentence) return to the outlet's voice: the frame they continued is no
    attribution, so neither are they ("He has said hateful things ..." carried into the next
    sentence of a quotation)."""
    cues = {(c.cue.start, c.cue.end) for n, c in enumerate(claims) if n in unconfirmed and c.cue is not None}
    for n, c in enumerate(claims):
        if not framed[n] and c.cue is not None and (c.cue.start, c.cue.end) in cues:
            c.chain = [SourceHop(article.outlet or "unknown outlet", SourceKind.OUTLET)]
            c.cue, c.origin_named = None, article.outlet is not None


def _frame_adjacent(doc: Doc, arr: DocArrays, article: Article, known: _RuleSources, sents: list, s: int,
                    cue: tuple[int, int], cue_chars: tuple[int, int], sources: dict[int, list[tuple[int, int]]],
                    heads: list[int], verbs: Collection[int], claims: list[Claim], content_rng: list[tuple[int, int]],
                    cue_rng: list[tuple[int, int]], framed: list[bool], dropped: set[int],
                    rule_cues: list[tuple[int, int]]) -> None:
    """A learned cue with no content in its sentence attributes the adjacent sentences it frames
    (``_adjacent_sentences``): their claims in the outlet's voice or carried from an earlier
    frame take the cue and its speaker, as the rules' inverted and forward frames do, and the
    frame's own sentence makes no claim in the outlet's voice. The speaker must be in the cue's
    sentence (a tagged span bound to the cue, else its subject)."""
    source, bound = _speaker(heads, cue, sources.get(s, []), verbs)
    if not bound:
        source = _subject(doc, cue, (0, 0)) or source
    targets = _adjacent_sentences(doc, sents, s, cue, source)
    if not targets:
        return
    lemma = doc[cue[0] : cue[1]].root.lemma_.lower()
    chain, named = _resolve(doc, arr, article, known, source, lemma)
    if len(chain) == 1:
        return
    sent = arr.sent
    hit = False
    for n, c in enumerate(claims):
        if n in dropped or sent[content_rng[n][0]] not in targets:
            continue
        if c.cue is not None and (framed[n] or sent[cue_rng[n][0]] in targets):
            return  # a sentence with a frame of its own
        hit = True
    if not hit:
        return
    for n, c in enumerate(claims):
        if n in dropped:
            continue
        if sent[content_rng[n][0]] in targets:
            c.chain, c.origin_named = list(chain), named
            c.cue = Cue(article.text[cue_chars[0] : cue_chars[1]], *cue_chars)
            c.denied = c.denied or lemma in DENIAL_VERBS
        elif sent[content_rng[n][0]] == s and c.cue is None:
            dropped.add(n)  # the frame's own words ("Lopes made the following comment:") assert nothing
    rule_cues.append(cue_chars)


# Verbs the rules read as a cue only in some constructions ("asked that ..." but not "asked the
# court to ...", "called for" but not "called the minister"): where the rules found no frame in
# them and they take an object ("asked the court to", "called the minister") or go on without
# words ("the fighting continued"), the tagger does not add one; "continue" with a verb it goes on
# with, or before a colon, is read (PolNeAR dev: 4 of the guard's 13 lost gold cues). Without an object the tagger's
# reading stands ("Asked about ..., Clinton said", "critics would call them ..." is a frame of
# the rules): on PolNeAR dev, keeping the guard for every use cost 0.004 of cue overlap F1.
_RULE_VERBS = frozenset({"ask", "call", "continue"})


def _request_or_naming(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma not in _RULE_VERBS:
        return False
    deps = {c.dep_ for c in verb.children}
    if lemma == "ask":
        return bool(deps & {"dobj", "dative"}) and "xcomp" in deps
    if lemma == "call":
        # a name in quotation marks after the object is what it was called, whatever the parse
        # made of it ("calls Obamacare 'crazy system'", "called people "losers"")
        named = any(t.is_quote and t.i > verb.i for c in verb.rights for t in c.subtree)
        return "dobj" in deps and not deps & {"oprd", "xcomp", "ccomp"} and not named
    # "continues to insist that", "continue to ignore" are the stance of the verb they go on with,
    # and "Caddell continued:" introduces the next paragraph's words (``_adjacent_sentences``)
    after = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    return "xcomp" not in deps and not (after is not None and after.text == ":")


_FUNCTION_POS = {"DET", "ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "SPACE", "PRON"}


def _quotation_by(doc: Doc, content: tuple[int, int], cue: tuple[int, int]) -> list[tuple[int, int]]:
    """The quotations a cue inside a tagged content frames: the tagger reads 'When Clinton noted
    that ..., Trump boasted, "That makes me smart."' as one content running through both cues,
    and the inner cue's own content is the quotation opened right after it, or the one closed
    just before it and its speaker ('"...," the letter reads'), marks included as the rules keep them. Only
    quotations: any part either side of the cue (PolNeAR dev: +76 claims) scored cue overlap F1
    +0.002 like these (+11), at 0.014 less precision."""
    if not (content[0] <= cue[0] and cue[1] <= content[1]):
        return []
    out = []
    k = cue[1]
    while k < content[1] and (doc[k].is_punct or doc[k].is_space) and not doc[k].is_quote:
        k += 1
    if k < content[1] and doc[k].is_quote:
        hi = content[1]
        while hi > k + 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
            hi -= 1
        # the quotation's own closing punctuation and mark, as the rules' quotations keep them
        end = hi
        while end < len(doc) and end - hi < 3 and doc[end].is_punct and doc[end].sent.start == doc[k].sent.start:
            end += 1
            if doc[end - 1].is_quote:
                hi = end
                break
        out.append((k, hi))
    # a closing quotation mark at most a short speaker's length before the cue
    q = next((j for j in range(cue[0] - 1, max(content[0], cue[0] - 8) - 1, -1) if doc[j].is_quote), None)
    if q is not None:
        lo = content[0]
        while lo < q and (doc[lo].is_punct or doc[lo].is_space) and not doc[lo].is_quote:
            lo += 1
        if lo > 0 and not doc[lo].is_quote and doc[lo - 1].is_quote:
            lo -= 1  # its opening mark
        if q > lo:
            out.append((lo, q + 1))
    return out


_LIGHT_VERBS = frozenset({"be", "have", "do", "get"})


def _not_reported(doc: Doc, cue: tuple[int, int], content: tuple[int, int], cue_lemmas: Collection[str]) -> bool:
    """Whether a learned cue that is no reporting or stance word (neither in ``claims.lexicon``
    nor among the tagger's cue-like lemmas) reads as an event, not an attribution: a passive with
    no agent ("was named album of the year", "was ordered to pay") or a thing for subject with a
    noun phrase for content ("the weekend's top films took $165m", "the game sees Snake ...").
    An auxiliary or light verb alone ("is", "have", "can") is never a cue. PolNeAR marks stances
    of people ("Trump unleashed a flurry of tweets"), so the guard stays narrow: on its dev split
    overlap F1 source / cue / content 0.775 / 0.769 / 0.828 without it, 0.776 / 0.770 / 0.828
    with the auxiliaries alone, 0.776 / 0.770 / 0.827 with all of it (cue P +0.011, R -0.007);
    on 225 ordinary BBC articles the attributed claims whose cue has no reporting lemma go from
    322 to 304 (auxiliaries) to 281."""
    span = doc[cue[0] : cue[1]]
    if all(t.pos_ == "AUX" or t.lemma_.lower() in _LIGHT_VERBS for t in span):
        return True  # "is", "have", "can": a verb's auxiliary or a light verb, never a frame alone
    if any(t.lemma_.lower() in REPORTING_VERBS or t.lemma_.lower() in CLAUSE_REPORTING_VERBS or t.lemma_.lower() in cue_lemmas
           for t in span):
        return False
    verb = span.root
    deps = {c.dep_ for c in verb.children}
    if deps & {"auxpass", "nsubjpass"} and "agent" not in deps:
        return True
    content_span = doc[content[0] : content[1]]
    if any(t.is_quote for t in content_span) or (content[0] > 0 and doc[content[0] - 1].is_quote):
        return False
    roots = [t for t in content_span if not content[0] <= t.head.i < content[1] or t.head.i == t.i]
    if any(t.pos_ in {"VERB", "AUX"} for t in roots):
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (subj is not None and subj.pos_ == "NOUN" and not subj.ent_type_
            and subj.lemma_.lower() not in ANONYMOUS_HEADS)


def _adjacent_sentences(doc: Doc, sents: list, s: int, cue: tuple[int, int],
                        source: tuple[int, int] | None) -> list[int]:
    """The sentences a learned cue with no content in its own sentence frames, as a reporter
    writes it across a sentence break: the next one when the cue's sentence ends on a colon a few
    words after the cue ("On July 6, Sanders made the following comment:"); the previous one when
    the cue's sentence opens right after a closing quotation mark ('... the bank?" Vitter
    demanded.'), where the splitter cut the quotation off its frame, with the quotation's earlier
    sentences in the paragraph (a quotation of several sentences has one speaker); the previous
    one too when the sentence is nothing but the frame ("According to MSNBC, basically.").
    None otherwise: a cue alone in its sentence is mostly a stance fragment ("has delivered a
    mostly positive message")."""
    from sitrep.claims.extract import after_quotation
    from sitrep.claims.frames import ends_on_colon

    sent = sents[s]
    if s + 1 < len(sents) and ends_on_colon(sent):
        after = [t for t in doc[cue[1] : sent.end] if t.is_alpha]
        if len(after) <= _FORWARD_WORDS:
            return [s + 1]
    if s == 0:
        return []
    if after_quotation(sent):
        return _quotation_sentences(doc, sents, s)
    frame = set(range(*cue)) | (set(range(*source)) if source is not None else set())
    rest = [t for t in sent if t.is_alpha and t.i not in frame]
    if source is not None and len(rest) <= _FRAME_ONLY_WORDS and all(t.pos_ == "ADV" for t in rest):
        return [s - 1]
    return []


def _quotation_sentences(doc: Doc, sents: list, s: int) -> list[int]:
    """The sentences of the quotation that closes right before sentence ``s``: from the one its
    opening mark is in, within the paragraph, to ``s - 1``; only ``s - 1`` when the mark is not
    found there (a quotation run on from the paragraph before)."""
    text = doc.text
    close = sents[s].start_char - 1
    while close > 0 and text[close].isspace():
        close -= 1
    k = close - 1
    while k >= 0 and text[k] != "\n" and text[k] not in OPENING_QUOTES:
        k -= 1
    first = s - 1
    if k >= 0 and text[k] in OPENING_QUOTES:
        while first > 0 and sents[first].start_char > k and s - first < _QUOTATION_SENTENCES:
            first -= 1
    return list(range(first, s))


# Words a forward frame may hold between its cue and the colon ("made | the following comment:",
# "said | in a statement on Friday:"): more is a sentence of its own that ends on a list. Words,
# adverbs all, besides cue and source in a sentence that is only a frame ("According to MSNBC,
# basically."; not "companies have filed | for bankruptcy"). PolNeAR dev does not tell the values
# apart (2 to 9 words forward, 0 to 4 frame-only: one cue more or less), so they are what reads
# as a frame.
_FORWARD_WORDS = 5
_FRAME_ONLY_WORDS = 2
# The most sentences credited to one quotation's speaker this way (a long quotation is a
# paragraph of its own, which the rules carry).
_QUOTATION_SENTENCES = 6


def combine(article: Article, doc: Doc, claims: list[Claim], model: TaggerModel | None = None,
            furniture: Collection[int] = (), plain: Collection[tuple[int, int, int, int]] = (),
            silent: Collection[tuple[int, int]] = ()) -> list[Claim]:
    """The rules' claims with the tagger's attributions added where the rules made none: a
    learned cue with a content in its sentence replaces that sentence's own-voice or carried
    claims by a claim with that cue, content and resolved source (the tagged span the tree binds
    to the cue, else the cue's grammatical subject, else the nearest tagged span). Where the two
    disagree on a rule frame nested in another one's content that adds no source of its own (the
    same speaker, or a frame quoted inside the quotation), the tagger wins and the outer claim
    stands alone (``_unconfirmed_nested``). Ids are renumbered in text order.
    Sentences numbered in ``furniture`` (``claims.furniture.furniture_sentences``: related links,
    a press release's "About" section) are not the article's and get no learned claim either.
    ``plain`` keys (content and cue span) the rules' carried claims of the writer's plain sentences,
    whose carried speaker ``extract`` withdraws afterwards: it is not lent to a learned claim there.
    ``silent`` spans say that a source did not comment (``extract.no_comment_spans``): a cue there
    ("did not respond to") reports nothing."""
    model = model or shipped_model()
    if model is None or not len(doc):
        return claims
    arr = doc_arrays(doc)
    spans = tag(doc, article.text, arr, claims, model)
    rule_cues = [(c.cue.start, c.cue.end) for c in claims if c.cue is not None]
    sent = arr.sent
    known = _RuleSources(article, claims)
    heads = arr.head.tolist()
    # a word through which a span hangs from a cue is no verb: another clause's subject is not
    # the cue's speaker
    verbs = set(np.flatnonzero(_member(arr.pos, np.array(sorted(int(doc.vocab.strings[p]) for p in ("AUX", "VERB")),
                                                          dtype=np.uint64))).tolist())
    by_sent: dict[str, dict[int, list[tuple[int, int]]]] = {e: {} for e in ELEMENTS}
    for elem in ELEMENTS:
        for x in spans[elem]:
            by_sent[elem].setdefault(int(sent[x[0]]), []).append(x)
    # token ranges of every claim's content and cue, in one search each (cue-less: empty)
    bounds = np.array([(c.start, c.end, c.cue.start if c.cue else 0, c.cue.end if c.cue else 0) for c in claims],
                      dtype=np.int64).reshape(-1, 4)
    lo = np.searchsorted(arr.end, bounds[:, 0::2], side="right").tolist()
    hi = np.searchsorted(arr.start, bounds[:, 1::2], side="left").tolist()
    content_rng = [(a[0], b[0]) for a, b in zip(lo, hi)]
    cue_rng = [(a[1], b[1]) if c.cue is not None else (0, 0) for a, b, c in zip(lo, hi, claims)]
    claims = [_with_learned_source(c, doc, arr, article, known, by_sent["source"], heads, verbs, cr, tr)
              for c, cr, tr in zip(claims, cue_rng, content_rng)]
    added: list[Claim] = []
    # a claim whose cue is in its own sentence (not carried from an earlier one, not "This was
    # reported by X" after it)
    framed = [c.cue is not None and sent[cue_rng[n][0]] == sent[content_rng[n][0]] for n, c in enumerate(claims)]
    dropped = _unconfirmed_nested(article.text, claims, framed, [_char_span(arr, x) for x in spans["cue"]])
    unconfirmed = _unconfirmed_frames(claims, framed, [_char_span(arr, x) for x in spans["cue"]])
    _unattribute_carried(article, claims, framed, unconfirmed)
    dropped |= unconfirmed
    sents = list(doc.sents)
    text = article.text
    # the frames the rules read; a cue in another sentence than its claim frames only its own
    # words, not every sentence up to the claim
    kept = [n for n, c in enumerate(claims) if c.cue is not None and n not in dropped]
    frames = [_frame_envelope(claims[n], framed[n]) for n in kept]
    frame_cues = [rc for n in kept if (rc := claims[n].cue) is not None]
    pos = ~_member(arr.pos, np.array(sorted(int(doc.vocab.strings[p]) for p in _FUNCTION_POS), dtype=np.uint64))
    taken = {(c.start, c.end) for c in claims if c.cue is not None}
    for cue in spans["cue"]:
        cue_chars = _char_span(arr, cue)
        if any(_overlaps(cue_chars, r) for r in rule_cues):
            continue
        s = sent[cue[0]]
        if s in furniture or any(_overlaps(cue_chars, q) for q in silent):
            continue
        if any(_overlaps(cue_chars, f) and not _governs(doc, cue, rc) for f, rc in zip(frames, frame_cues)):
            continue  # part of a frame the rules read ("cited X as saying", "..., citing residents")
        if _request_or_naming(doc[cue[0] : cue[1]].root):
            continue  # a verb the rules read and found no frame in ("asked the court to")
        # the nearest content of the sentence that is more than function words and pronouns
        # ("the" after "called", "him" after "sentenced" are fragments)
        tagged = by_sent["content"].get(int(s), [])
        # a content another cue already frames is not this cue's when the sentence has another
        # ("With leaders worried about X, Obama is rolling out a message: '...'")
        contents = [c for c in tagged if pos[c[0] : c[1]].any()]
        content = _nearest([c for c in contents if _char_span(arr, c) not in taken], cue) or _nearest(contents, cue)
        quotation = content is None
        if quotation:  # the only content runs through the cue: the quotation it frames
            content = _nearest([x for c in tagged for x in _quotation_by(doc, c, cue) if pos[x[0] : x[1]].any()], cue)
        if content is None:
            if not contents:
                _frame_adjacent(doc, arr, article, known, sents, int(s), cue, cue_chars, by_sent["source"], heads,
                                verbs, claims, content_rng, cue_rng, framed, dropped, rule_cues)
            continue
        if doc[content[0]].tag_ == "POS":
            continue  # "'s economic challenges": the tail of a noun phrase, not a content
        if _not_reported(doc, cue, content, model.cue_lemmas):
            continue  # an event, not an attribution ("was named album of the year")
        start, end = _char_span(arr, content)
        # the content is already a frame's claim; one carried from an earlier sentence is replaced
        if any(c.cue is not None and framed[n] and n not in dropped and (c.start, c.end) == (start, end)
               for n, c in enumerate(claims)):
            continue
        source, bound = _speaker(heads, cue, [x for x in by_sent["source"].get(int(s), []) if not _overlaps(x, content)], verbs)
        if not bound:
            # no tagged source hangs from the cue: its grammatical subject, else the nearest tagged
            # one (PolNeAR dev: source overlap F1 +0.003 for the subject where the tagger has
            # none, +0.002 more where its span is not bound to the cue)
            source = _subject(doc, cue, content) or source
        lemma = doc[cue[0] : cue[1]].root.lemma_.lower()
        chain, named = _resolve(doc, arr, article, known, source, lemma)
        if quotation and len(chain) == 1:
            continue  # a quotation cut out of another content needs its own speaker ('"...," meant to')
        replaced = []
        for n, c in enumerate(claims):
            if n in dropped or not _overlaps((c.start, c.end), (start, end)):
                continue
            first = content_rng[n][0]
            own = c.cue is not None and sent[cue_rng[n][0]] == sent[first]
            if not own and sent[first] == s:
                replaced.append(c)
                dropped.add(n)
        if source is None:  # no speaker in the sentence: the one the rules carried here stays
            carried = next((c for c in replaced if len(c.chain) > 1
                            and (c.cue is None or (c.start, c.end, c.cue.start, c.cue.end) not in plain)), None)
            if carried is not None:
                chain, named = list(carried.chain), carried.origin_named
        added.append(Claim(
            id="", article_id=article.id, text=text[start:end], start=start, end=end, chain=chain,
            cue=Cue(text[cue_chars[0] : cue_chars[1]], *cue_chars), origin_named=named,
            hedged=any(c.hedged for c in replaced),
            denied=lemma in DENIAL_VERBS or any(c.denied for c in replaced),
        ))
        rule_cues.append(cue_chars)
        taken.add((start, end))
    doc.user_data.pop("sitrep_ents", None)  # the entity cache must not outlive this pass
    if not added and not dropped:
        return claims
    out = [c for n, c in enumerate(claims) if n not in dropped] + added
    out.sort(key=lambda c: (c.start, c.end))
    return numbered(article, out)
