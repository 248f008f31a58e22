"""Whether a claim is hedged: the writer or the source passes it on as possible, expected or
reported rather than as fact.

A hedge is a modal or evidential cue of the claim's *own* clause: "Disney is expected to switch
gears ..., a move that would probably cause the bundle to collapse" is hedged twice over. Cues
elsewhere in the sentence do not qualify the claim, and some modals are no hedge at all:

* a clause that opens another proposition: "Fun as that might sound, ..." (a concession),
  "the company, which may face fines, said ..." (a relative clause), "whether the two sides could
  agree" (an embedded question: the claim is that the question is open, not the answer);
* a sentence that asserts nothing: a question ("Must have been complicated conversations?");
* a modal addressed to the reader: "You might be surprised", "You may also like ...";
* "could" of past ability with a verb of perception: "Holmes could hear Trump's voice" states
  what he heard; "could not" states an inability;
* "possible to" + verb is ability too ("It was not possible to verify the claim"); only "it is
  possible that ..." hedges.

A speaker's own belief or forecast in the present tense ("I think ...", "we expect markets to
outperform") hedges what follows it.

Besides the clause, a frame may hedge what it reports: an agentless passive ("is said to", "was
reported"), an evidential adverb in the cue ("reportedly said"), an unnamed source or a document
naming no issuer in the present tense ("sources say", "the report claims").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.claims.lexicon import (
    HEDGE_ADJECTIVES,
    HEDGE_ADVERBS,
    HEDGE_MODALS,
    HEDGE_PASSIVES,
    HEDGE_RAISING_VERBS,
)
from sitrep.model import SourceHop

if TYPE_CHECKING:
    from sitrep.claims.frames import Frame

# Dependents that open another clause: a hedge in them ("Fun as that might sound, ...", "the
# company, which may face fines, said ...") does not qualify the claim's own proposition.
_OTHER_CLAUSE = {"advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis"}
# Clausal complements that are an embedded question when a wh-word or "whether"/"if" opens them.
_COMPLEMENTS = {"ccomp", "pcomp", "xcomp"}
# ("which" and "who" are left out: as the subject of a relative clause they open no question.)
_QUESTION_OPENERS = {"whether", "if", "how", "when", "why", "what", "where"}
# "could" + one of these is ability in the past ("could hear", "could see"), not possibility.
_PERCEPTION_VERBS = frozenset("hear see sense feel smell taste tell notice watch".split())
_READER = frozenset({"you", "ya"})
# Adjectives that hedge with a "that"-clause only: "possible to verify" is ability.
_THAT_ONLY = frozenset({"possible", "impossible"})


def _embedded_question(t) -> bool:
    """A complement clause opened by a wh-word or "whether"/"if": "how the US could increase ..."."""
    if t.dep_ not in _COMPLEMENTS:
        return False
    first = t.doc[t.left_edge.i]
    return first.lower_ in _QUESTION_OPENERS and first.i < t.i


def own_clause(tokens: list) -> list:
    """The tokens of the claim's own clause: from the root(s) of ``tokens`` down, without entering
    adverbial, relative, parenthetical or embedded interrogative clauses (coordinated clauses are
    the claim's own)."""
    inside = {t.i for t in tokens}
    below: dict[int, list] = {}  # head index -> its dependents in ``tokens`` (one pass over heads)
    stack = []
    for t in tokens:
        head = t.head.i
        if head == t.i or head not in inside:
            stack.append(t)
        elif t.dep_ not in _OTHER_CLAUSE and not _embedded_question(t):
            below.setdefault(head, []).append(t)
    out = []
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(below.get(t.i, ()))
    return out


def _to_the_reader(modal) -> bool:
    """A modal whose subject is the reader: "You might be surprised"."""
    return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in _READER for c in modal.head.children)


# "I think ...", "we expect markets to outperform": the speaker gives a belief or a forecast, not
# a fact (Hyland's first-person hedges). Only in the present tense: "I thought" recounts.
_BELIEF_VERBS = frozenset("think believe expect guess suppose suspect anticipate reckon doubt".split())
_FIRST_PERSON = frozenset({"i", "we"})


def _first_person_belief(t) -> bool:
    if t.lemma_.lower() not in _BELIEF_VERBS:
        return False
    kids = list(t.children)
    # "I think", "I'd expect"; not "I cannot believe", "I thought" or "we did not expect"
    if not (t.tag_ == "VBP" or t.tag_ == "VB" and any(c.lower_ in {"would", "'d", "’d"} for c in kids)):
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in _FIRST_PERSON for c in kids) and any(
        c.dep_ in {"ccomp", "xcomp"} for c in kids
    )


def hedge_cue(t) -> bool:
    """A modal or evidential cue: "reportedly", "may"/"might"/"could" (not "could not", not
    "could hear", not addressed to "you"), "is expected/believed to", "appears to", "is likely
    to", "it is possible that"."""
    low = t.lower_
    if low in HEDGE_ADVERBS and t.pos_ in {"ADV", "ADJ"} and t.dep_ != "acomp":
        return True
    if low in HEDGE_MODALS and t.tag_ == "MD":
        if _to_the_reader(t):
            return False
        if low == "could":
            verb = t.head
            if any(c.dep_ == "neg" for c in verb.children):
                return False
            if verb.lemma_.lower() in _PERCEPTION_VERBS and not any(c.lower_ == "have" for c in verb.children):
                return False
        return True
    if _first_person_belief(t):
        return True
    lemma = t.lemma_.lower()
    if lemma in HEDGE_PASSIVES or lemma in HEDGE_RAISING_VERBS:
        deps = {c.dep_ for c in t.children}
        return "xcomp" in deps and ("auxpass" in deps or lemma in HEDGE_RAISING_VERBS)
    if low in HEDGE_ADJECTIVES and t.dep_ == "acomp":  # "is likely to", "it is possible that"
        deps = {c.dep_ for c in t.children} | {c.dep_ for c in t.head.children}
        wanted = {"ccomp"} if low in _THAT_ONLY else {"xcomp", "ccomp"}
        return bool(deps & wanted)
    return False


def is_question(tokens: list) -> bool:
    """Whether the claim's text is a question: its sentence, or the quotation it is, ends on "?"."""
    if not tokens:
        return False
    last = max(t.i for t in tokens)
    doc = tokens[0].doc
    if doc[last].text == "?":
        return True
    # the two tokens after it, read one by one (a slice builds a Span: ≈ 0.2 ms a claim)
    return any(doc[i].text == "?" and doc[i].is_punct for i in range(last + 1, min(last + 3, len(doc))))


def frame_hedged(frame: "Frame | None", chain: list[SourceHop]) -> bool:
    """The frame's own hedge, which every claim it reports shares: "reportedly said", an
    agentless "is said to", an unnamed source in the present tense ("sources say")."""
    if frame is None:
        return False
    if any(t.lower_ in HEDGE_ADVERBS for t in (*frame.cue, *frame.anchor.children)):
        return True
    if frame.agentless and frame.anchor.tag_ == "VBN":  # "is said to", "it was reported that"; not
        return True  # "It's worth noting that" or a speaker the parser missed ("but Early still says")
    # an unnamed origin, a person or a document ("the report claims"), in the present tense
    return chain[-1].kind in ("anonymous", "document") and frame.anchor.tag_ in {"VBP", "VBZ"}


def hedged(tokens: list, frame: "Frame | None", chain: list[SourceHop]) -> bool:
    """Whether the claim of ``tokens`` (its content, with the frame's cue words when framed) is
    hedged by its own clause or by its frame. A question asserts nothing, so hedges nothing."""
    if not is_question(tokens) and any(hedge_cue(t) for t in own_clause(tokens)):
        return True
    return frame_hedged(frame, chain)
