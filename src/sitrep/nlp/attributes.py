"""spaCy's attribute ruler, with its single-token rules matched once per token signature.

The English model's attribute ruler maps fine-grained tags to coarse POS and morphology and
patches function words (179 rules). spaCy runs every rule at every token through its
``Matcher``, and on news text that costs ≈ 35 µs a token — about an eighth of the whole model's
time, as much as the parser (``bench/bench_attributes.py``). Yet 171 of the rules look at one token only, and only at its tag,
dependency label, whitespace-ness and lower-case form, where the form matters only when it is one
a rule names ("the", "'s", "nothin'", ...). A token's matches are therefore a function of that
small signature, and a news corpus has a few thousand distinct signatures.

``MemoAttributeRuler`` is the stock component (same patterns, same ``set_annotations``, same
precedence: later rules win) with a different ``match``: each new signature is matched once by
spaCy's own ``Matcher`` on a one-token ``Doc`` and remembered; the few multi-token rules ("gon
na", "there is") still run through a ``Matcher`` over the whole document. Its matches are
identical to the stock ruler's (checked against it in the tests); a model whose rules read any
other attribute falls back to the stock path.
"""
from __future__ import annotations

import re
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# the token attributes a memoised rule may read: the signature is built from exactly these
_SIGNATURE_ATTRS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_MEMO_LIMIT = 200_000
START = "start:"  # single-matcher key prefix: "this token can begin multi-token rule i"  # signatures remembered before the memo starts afresh (memory bound)


class _Plan:
    """The rules split for matching: memoisable single-token rules, and multi-token rules that
    are only tried in a window at the tokens that satisfy their first token's spec."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.single = Matcher(ruler.vocab, validate=False)
        self.multi = Matcher(ruler.vocab, validate=False)
        self.window = 1
        self.lowers: set[str] = set()
        self.regexes: list[re.Pattern] = []
        self.memoisable = True
        for i, rule in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = rule["patterns"]  # type: ignore[assignment]  # token patterns
            if all(len(p) == 1 for p in patterns):
                for p in patterns:
                    self._note_token_spec(p[0])
                self.single.add(str(i), patterns)
                continue
            self.multi.add(str(i), patterns)
            self.window = max(self.window, max(len(p) for p in patterns))
            for p in patterns:
                if any("OP" in spec or "op" in spec for spec in p):
                    self.memoisable = False  # an optional first token: no start to gate on
                self._note_token_spec(p[0])
                self.single.add(START + str(i), [p[:1]])

    def _note_token_spec(self, spec: dict[str, Any]) -> None:
        """Record which lower-case forms the spec can tell apart; give up on anything else."""
        for attr, value in spec.items():
            attr = attr.upper()
            if attr not in _SIGNATURE_ATTRS:
                self.memoisable = False
            elif attr == "LOWER":
                if isinstance(value, str):
                    self.lowers.add(value)
                elif isinstance(value, dict) and set(value) <= {"IN", "NOT_IN", "REGEX"}:
                    self.lowers.update(value.get("IN", ()))
                    self.lowers.update(value.get("NOT_IN", ()))
                    if "REGEX" in value:
                        self.regexes.append(re.compile(value["REGEX"]))
                else:
                    self.memoisable = False
            elif isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN"}:
                self.memoisable = False


class MemoAttributeRuler(AttributeRuler):
    """The stock attribute ruler whose ``match`` remembers single-token results by signature."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plan: _Plan | None = None
        self._memo: dict[tuple[int, ...], tuple[tuple[int, ...], bool]] = {}
        self._lower_named: dict[int, bool] = {}

    # every way rules change goes through add() or clear(): drop what was derived from them
    def add(self, *args, **kwargs) -> None:
        super().add(*args, **kwargs)
        self._forget()

    def clear(self) -> None:
        super().clear()
        self._forget()

    def _forget(self) -> None:
        self._plan = None
        self._memo = {}
        self._lower_named = {}

    def match(self, doc: Doc):
        plan = self._plan or self._make_plan()
        if not plan.memoisable:
            return super().match(doc)
        memo, named = self._memo, self._lower_named
        if len(memo) > _MEMO_LIMIT or len(named) > _MEMO_LIMIT:
            memo.clear()
            named.clear()
        found: list[tuple[int, int, int, int]] = []
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        if not len(rows):
            return found
        # a lower-case form no rule names is as good as any other: blank it out of the signature
        lowers, lower_at = numpy.unique(rows[:, 1], return_inverse=True)
        keep = numpy.fromiter((self._is_named(plan, int(h)) for h in lowers), dtype=bool, count=len(lowers))
        rows[~keep[lower_at.ravel()], 1] = 0
        signatures, at = numpy.unique(rows, axis=0, return_inverse=True)
        at = at.ravel()
        first = numpy.zeros(len(signatures), dtype=numpy.int64)
        first[at[::-1]] = numpy.arange(len(rows) - 1, -1, -1)  # a token showing each signature
        per_signature = []
        for sig, i in zip(signatures.tolist(), first.tolist()):
            key = tuple(sig)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = self._match_one(plan, doc[i])
            per_signature.append(hit)
        rule_ids, strings = self._rule_match_ids, self.vocab.strings
        for i, s in enumerate(at.tolist()):
            rules, starts = per_signature[s]
            for r in rules:
                found.append((r, rule_ids[r], i, i + 1))
            if starts:
                for m_id, s0, e0 in plan.multi(doc[i:i + plan.window], allow_missing=True, as_spans=False):
                    if s0 == 0:
                        found.append((int(strings[m_id]), m_id, i, i + e0))
        found.sort()
        return found

    def _make_plan(self) -> _Plan:
        self._plan = _Plan(self)
        self._rule_match_ids = [self.vocab.strings.add(str(i)) for i in range(len(self.attrs))]
        return self._plan

    def _is_named(self, plan: _Plan, lower: int) -> bool:
        """Whether some rule names this lower-case form (by its hash), remembered per form."""
        named = self._lower_named.get(lower)
        if named is None:
            text = self.vocab.strings[lower]
            named = self._lower_named[lower] = text in plan.lowers or any(rx.search(text) for rx in plan.regexes)
        return named

    def _match_one(self, plan: _Plan, token) -> tuple[tuple[int, ...], bool]:
        """The single-token rules that match ``token`` (found by spaCy's matcher on a copy of it),
        and whether it can begin a multi-token rule."""
        words, spaces = [token.text], [False]
        if token.dep_:
            one = Doc(self.vocab, words=words, spaces=spaces, tags=[token.tag_], deps=[token.dep_], heads=[0])
        else:
            one = Doc(self.vocab, words=words, spaces=spaces, tags=[token.tag_])
        strings = self.vocab.strings
        rules, starts = [], False
        for m_id, _, _ in plan.single(one, allow_missing=True, as_spans=False):
            key = strings[m_id]
            if key.startswith(START):
                starts = True
            else:
                rules.append(int(key))
        return tuple(rules), starts


def register() -> None:
    """Register the factory (process-global) once."""
    if "sitrep_attribute_ruler" not in Language.factories:
        Language.factory("sitrep_attribute_ruler", default_config={"validate": False})(
            lambda nlp, name, validate: MemoAttributeRuler(nlp.vocab, name, validate=validate)
        )


def swap_in(nlp: Language, name: str = "attribute_ruler") -> None:
    """Replace the model's attribute ruler ``name`` with a ``MemoAttributeRuler`` holding its rules."""
    if name not in nlp.pipe_names:
        return
    stock: Any = nlp.get_pipe(name)  # an AttributeRuler
    if isinstance(stock, MemoAttributeRuler):
        return
    register()
    rules = stock.patterns
    memo: Any = nlp.replace_pipe(name, "sitrep_attribute_ruler")
    memo.add_patterns(rules)
