"""Learned attribution: a token tagger for source, cue and content trained on PolNeAR, and its
combination with the rules.

The rules (``frames``) are precise but miss what they have no pattern for: stance verbs
("criticized", "called for"), noun cues ("in a statement"), whole-noun-phrase sources. A linear
tagger over the parse sitrep already has adds that recall cheaply. For every token it scores
O/B/I for each of the three elements from hashed features of the parse (word, lemma, tags,
dependency, the head, the path up to the nearest cue-like ancestor, quotation state, distance
to cue words, and the rules' own spans, so it learns where the rules are right). Everything is
computed with numpy over ``Doc.to_array``: no per-token Python, about a millisecond an article.

The weights (``sitrep/data/attribution/``) come from ``scripts/train_attribution.py`` over
PolNeAR's train split only; the model card beside them gives the figures.

Combination (``combine``): a rule claim with a cue stays as the rules made it. A sentence where
the rules found no attribution of their own but the tagger finds a cue and a content gets a
claim for it, its source resolved through ``describe_source`` like the rules' sources, so the
origin is a resolved entity (a pronoun stands for its antecedent), never the raw span text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, LEMMA, LENGTH, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

from sitrep.claims.lexicon import CLAUSE_REPORTING_VERBS, DENIAL_VERBS, REPORTING_VERBS
from sitrep.claims.sources import Source, SourceMemory, describe_source
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
    for c in claims:
        if c.cue is None:
            continue
        lo, hi = token_range(arr, c.cue.start, c.cue.end)
        if hi > lo:
            flags[lo] |= 1 << 2
            flags[lo + 1 : hi] |= 1 << 3
            cue_sent = arr.sent[lo]
        else:
            cue_sent = -1
        lo, hi = token_range(arr, c.start, c.end)
        if hi > lo:
            if arr.sent[lo] == cue_sent:
                flags[lo] |= 1 << 4
                flags[lo + 1 : hi] |= 1 << 5
            else:
                flags[lo:hi] |= 1 << 6
        origin = c.chain[-1]
        if origin.kind != SourceKind.OUTLET and origin.start is not None and origin.end is not None:
            lo, hi = token_range(arr, origin.start, origin.end)
            if hi > lo:
                flags[lo] |= 1
                flags[lo + 1 : hi] |= 1 << 1
    return flags


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


class Features:
    """The feature templates. ``codes(doc)`` gives an (n_tokens, n_templates) array of uint64
    feature codes; the model maps each to a bucket of its weight table."""

    def __init__(self, cue_lemmas: list[str], strings) -> None:
        self.lexicon = np.array(sorted({int(strings[w]) for w in REPORTING_VERBS | CLAUSE_REPORTING_VERBS}),
                                dtype=np.uint64)
        self.cues = np.array(sorted({int(strings[w]) for w in cue_lemmas}), dtype=np.uint64)
        self.q_open = np.array([int(strings[q]) for q in _QUOTE_OPEN], dtype=np.uint64)
        self.q_close = np.array([int(strings[q]) for q in _QUOTE_CLOSE], dtype=np.uint64)
        self.q_both = np.array([int(strings[q]) for q in _QUOTE_BOTH], dtype=np.uint64)

    def codes(self, doc: Doc, arr: DocArrays, flags: np.ndarray) -> np.ndarray:
        n = len(arr.start)
        idx = np.arange(n, dtype=np.int64)
        cols: list[np.ndarray] = []
        names: list[str] = []

        def add(name: str, *vals: np.ndarray) -> None:
            v = np.full(n, _hash_str(name), dtype=np.uint64)
            for x in vals:
                v = (v ^ x.astype(np.uint64)) * _M1
            cols.append(v)
            names.append(name)

        lex = np.isin(arr.lemma, self.lexicon)
        cue = np.isin(arr.lemma, self.cues) | lex
        q_open = np.isin(arr.orth, self.q_open)
        q_close = np.isin(arr.orth, self.q_close)
        q_both = np.isin(arr.orth, self.q_both)
        is_q = q_open | q_close | q_both
        # Quotation state within the sentence's paragraph: curly marks nest, straight ones toggle.
        text = doc.text
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
        add("par-first-sent", new_par[np.maximum.accumulate(np.where(sent_first, idx, 0))] if n else new_par)
        return np.stack(cols, axis=1) if n else np.zeros((0, len(names)), dtype=np.uint64)


@dataclass
class TaggerModel:
    """Weights of the linear tagger: one row of 3 (O, B, I) scores per element per bucket."""

    weights: np.ndarray  # (buckets, 9), float32
    bias: np.ndarray  # (9,)
    cue_lemmas: list[str]
    buckets: int

    def scores(self, codes: np.ndarray) -> np.ndarray:
        rows = (codes % np.uint64(self.buckets)).astype(np.int64)
        return self.weights[rows].sum(axis=1) + self.bias


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
    return TaggerModel(w, b, list(info["cue_lemmas"]), int(info["buckets"]))


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
    spans = []
    start = -1
    lab = labels.tolist()
    sn = sent.tolist()
    for i, x in enumerate(lab):
        if start >= 0 and (x != 2 or sn[i] != sn[start]):
            spans.append((start, i))
            start = -1
        if x != 0 and start < 0:
            start = i
    if start >= 0:
        spans.append((start, len(lab)))
    return spans


def tag(doc: Doc, arr: DocArrays, claims: list[Claim], model: TaggerModel) -> dict[str, list[tuple[int, int]]]:
    """Token spans per element that the tagger finds in ``doc`` (given the rules' ``claims``)."""
    if not len(arr.start):
        return {e: [] for e in ELEMENTS}
    feats = features_for(model.cue_lemmas, doc.vocab.strings)
    scores = model.scores(feats.codes(doc, arr, rule_flags(arr, claims)))
    return {elem: decode(scores[:, 3 * k : 3 * k + 3].argmax(axis=1), arr.sent) for k, elem in enumerate(ELEMENTS)}


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


def _memory_before(article: Article, claims: list[Claim], position: int) -> SourceMemory:
    """The sources the rules resolved before ``position``, in text order, as a ``SourceMemory``
    (so "he" in a learned source finds the person the rules last quoted)."""
    memory = SourceMemory(article.outlet)
    hops = []
    for c in claims:
        origin = c.chain[-1]
        if len(c.chain) > 1 and origin.start is not None and origin.start < position:
            hops.append((origin.start, c))
    for _, c in sorted(hops, key=lambda h: h[0]):
        origin = c.chain[-1]
        head = "person" if origin.kind in (SourceKind.PERSON, SourceKind.OFFICIAL) else str(origin.kind)
        memory.push(Source(origin, list(c.chain), c.origin_named, head))
    return memory


def _resolve(doc: Doc, arr: DocArrays, article: Article, claims: list[Claim], rng: tuple[int, int] | None,
             lemma: str) -> tuple[list[SourceHop], bool]:
    """The chain of a learned source span: the outlet, then the source as the rules' resolution
    names it (a resolved entity; a pronoun its antecedent). The hop keeps the span as written."""
    outlet = SourceHop(article.outlet or "unknown outlet", SourceKind.OUTLET)
    if rng is None:
        return [outlet], False
    head = doc[rng[0] : rng[1]].root
    memory = _memory_before(article, claims, int(arr.start[rng[0]]))
    src = describe_source(head, memory, lemma)
    if src is None:  # the outlet itself
        return [outlet], article.outlet is not None
    hop = src.hop
    if hop.start is not None and hop.end is not None:
        start, end = _char_span(arr, rng)
        if start <= hop.start and hop.end <= end:  # the whole noun phrase is the mention
            hop = SourceHop(hop.name, hop.kind, start, end, hop.role, hop.affiliation)
    if src.chain and len(src.chain) > 1:
        return [outlet] + list(src.chain[1:-1]) + [hop], src.named
    return [outlet, hop], src.named


def combine(article: Article, doc: Doc, claims: list[Claim], model: TaggerModel | None = None) -> list[Claim]:
    """The rules' claims with the tagger's attributions added where the rules made none: a
    learned cue with a content in its sentence replaces that sentence's own-voice or carried
    claims by a claim with that cue, content and resolved source. Ids are renumbered in text order."""
    model = model or shipped_model()
    if model is None or not len(doc):
        return claims
    arr = doc_arrays(doc)
    spans = tag(doc, arr, claims, model)
    rule_cues = [(c.cue.start, c.cue.end) for c in claims if c.cue is not None]
    sent = arr.sent
    added: list[Claim] = []
    dropped: set[int] = set()
    text = article.text
    for cue in spans["cue"]:
        cue_chars = _char_span(arr, cue)
        if any(_overlaps(cue_chars, r) for r in rule_cues):
            continue
        s = sent[cue[0]]
        contents = [c for c in spans["content"] if sent[c[0]] == s]
        content = _nearest(contents, cue)
        if content is None:
            continue
        start, end = _char_span(arr, content)
        if any(c.cue is not None and (c.start, c.end) == (start, end) for c in claims):
            continue
        source = _nearest([x for x in spans["source"] if sent[x[0]] == s], cue)
        if source is not None and _overlaps(source, content):
            source = None
        lemma = doc[cue[0] : cue[1]].root.lemma_.lower()
        chain, named = _resolve(doc, arr, article, claims, source, lemma)
        replaced = []
        for n, c in enumerate(claims):
            if n in dropped or not _overlaps((c.start, c.end), (start, end)):
                continue
            lo, _ = token_range(arr, c.start, c.end)
            own = c.cue is not None and sent[token_range(arr, c.cue.start, c.cue.end)[0]] == sent[lo]
            if not own and sent[lo] == s:
                replaced.append(c)
                dropped.add(n)
        added.append(Claim(
            id="", article_id=article.id, text=text[start:end], start=start, end=end, chain=chain,
            cue=Cue(text[cue_chars[0] : cue_chars[1]], *cue_chars), origin_named=named,
            hedged=any(c.hedged for c in replaced),
            denied=lemma in DENIAL_VERBS or any(c.denied for c in replaced),
        ))
        rule_cues.append(cue_chars)
    doc.user_data.pop("sitrep_ents", None)  # the entity cache must not outlive this pass
    if not added:
        return claims
    out = [c for n, c in enumerate(claims) if n not in dropped] + added
    out.sort(key=lambda c: (c.start, c.end))
    for n, c in enumerate(out, 1):
        c.id = f"{article.id}:c{n}"
    return out
