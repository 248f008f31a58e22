"""An event's status — asserted, planned, threatened, denied or hypothetical — read from the verbs,
auxiliaries and negation that govern its trigger."""
from __future__ import annotations

from sitrep.events.frames import _Frame
from sitrep.events.syntax import _clause_verb

# Aspectual verbs: "the shelling did not stop" asserts the shelling.
ASPECTUAL_LEMMAS = {"stop", "cease", "end", "halt", "abate", "continue"}
PLAN_LEMMAS = {"plan", "prepare", "order", "intend", "aim", "seek", "propose", "consider", "draw", "schedule", "mull", "want", "wait", "expect",
               "wish", "hope", "effort", "opportunity", "train"}
# Adjectives of wanting: "eager to withdraw", "keen to strike".
WISH_ADJECTIVES = {"eager", "keen", "anxious", "determined"}
THREAT_LEMMAS = {"threaten", "vow", "warn"}
THREAT_ADJECTIVES = {"ready", "prepared", "poised", "willing"}
DENY_LEMMAS = {"deny", "reject", "refute", "dismiss"}
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should"}
FUTURE_AUX = {"will", "shall", "'ll"}
# Subordinators of clauses that tell what happened, whatever the main verb wants or warns.
FACTUAL_MARKS = {"as", "after", "when", "while", "since", "because", "following", "amid"}
REPORTING_LEMMAS = {"say", "tell", "report", "state", "announce", "claim", "add", "note", "quote", "cite", "specify", "confirm"}


def _status(fr: _Frame, claim_denied: bool) -> str:
    tok = fr.tok
    chain = [tok]
    t = tok
    for _ in range(5):
        if t.head == t:
            break
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in REPORTING_LEMMAS:
            break
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in FACTUAL_MARKS for c in t.children):
            break  # "warns of war as 148 killed": a clause of what happened, not of the warning
        t = t.head
        chain.append(t)
    verb = _clause_verb(tok)
    if verb not in chain:
        chain.insert(1, verb)
    status = "asserted"
    # A conjunct does not share the wish of the verb it is joined to: "wanted to raid the base,
    # but their helicopter was shot down" asserts the shooting.
    joined = {chain[i + 1].i for i in range(len(chain) - 1) if chain[i].dep_ == "conj" and chain[i + 1] == chain[i].head}
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        if t.i in joined:
            continue
        kids = list(t.children)
        if i > 0 and lemma in DENY_LEMMAS:
            return "denied"
        if (i == 0 or t == verb) and any(c.dep_ == "neg" for c in kids) and lemma not in ASPECTUAL_LEMMAS:
            return "denied"
        if i == 0 and any(c.dep_ == "relcl" and c.lemma_.lower() in DENY_LEMMAS for c in kids):
            return "denied"  # "rocket attacks which the group has denied"
        if i > 0 and lemma in THREAT_LEMMAS:
            return "threatened"
        if i > 0 and t.pos_ == "ADJ" and lemma in THREAT_ADJECTIVES:
            return "threatened"
        if i == 0 and any(c.dep_ == "amod" and c.lemma_.lower() in ("plan", "planned", "proposed", "expected") for c in kids):
            status = "planned"
        if status == "asserted" and any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in kids):
            status = "planned"
        if status == "asserted" and i > 0 and lemma in PLAN_LEMMAS:
            status = "planned"
        if status == "asserted" and i > 0 and t.pos_ == "ADJ" and lemma in WISH_ADJECTIVES:
            status = "planned"
        if status == "asserted" and any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in kids):
            status = "hypothetical"
        if status == "asserted" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in kids):
            status = "hypothetical"
    if claim_denied:
        return "denied"
    return status
