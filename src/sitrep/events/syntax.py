"""Reading spaCy's dependency parse for event extraction: entity spans, noun-phrase bounds,
clause verbs and subjects, the helpers with which frames, places, time and status read a sentence."""
from __future__ import annotations

from spacy.tokens import Doc

PLACE_LABELS = {"GPE", "LOC", "FAC", "FACILITY"}
RELATIVE_PRONOUNS = {"which", "that", "who", "whom", "whose"}


def _doc_text(doc: Doc) -> str:
    """The document's text, joined once: ``Doc.text`` rebuilds the string from every token on
    each access, which made place and time lookups quadratic in the article's length."""
    text = doc.user_data.get("sitrep.text")
    if text is None:
        text = doc.user_data["sitrep.text"] = doc.text
    return text


def _ent_of(tok):
    """The named-entity span containing ``tok`` (doc-level, so a span across a bad sentence
    break still counts), or None."""
    if not tok.ent_type_:
        return None
    doc = tok.doc
    index = doc.user_data.get("sitrep_ent_index")
    if index is None:
        index = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        doc.user_data["sitrep_ent_index"] = index
    return index.get(tok.i)


def _np_bounds(tok) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok``: its pre-modifiers and itself,
    without determiners, relative clauses or prepositional tails."""
    ent = _ent_of(tok)
    lo, hi = tok.i, tok.i + 1
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "poss", "nummod", "quantmod", "case", "npadvmod", "punct") and child.pos_ != "DET":
            lo = min(lo, child.left_edge.i)
    for child in tok.rights:
        if child.dep_ in ("case",) or (child.dep_ == "appos" and child.ent_type_ in PLACE_LABELS | {"EQUIPMENT"} and child.i == hi):
            hi = max(hi, child.right_edge.i + 1)
    doc = tok.doc
    while lo < tok.i and (doc[lo].pos_ in ("DET", "PUNCT") or doc[lo].is_space):
        lo += 1
    while hi > tok.i + 1 and (doc[hi - 1].pos_ == "PUNCT" or doc[hi - 1].is_space):
        hi -= 1
    if ent is not None:
        lo, hi = min(lo, ent.start), max(hi, ent.end)
        while lo < hi and doc[lo].lower_ in ("the", "a", "an"):
            lo += 1
    return lo, hi


def _text(doc, bounds: tuple[int, int]) -> str:
    return doc[bounds[0]:bounds[1]].text.strip()


def _char_bounds(doc, bounds: tuple[int, int]) -> tuple[int, int]:
    span = doc[bounds[0]:bounds[1]]
    return span.start_char, span.end_char


def _is_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def _child(tok, *deps: str):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _prep_objects(tok, preps: set[str]):
    """(preposition, object) pairs hanging off ``tok``."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.append((c.lower_, o))
    return out


def _antecedent(tok):
    """For a relative pronoun, the noun its clause modifies ("the base, which ..." → base)."""
    if tok.lower_ in RELATIVE_PRONOUNS:
        verb = tok.head
        while verb.dep_ in ("conj",) and verb.head != verb:
            verb = verb.head
        if verb.dep_ in ("relcl", "acl") and verb.head != verb:
            return verb.head
    return tok


def _clause_verb(tok):
    """The verb whose clause a token sits in (the token itself if it is a verb)."""
    t = tok
    for _ in range(8):
        if _is_verb(t) and t.dep_ not in ("amod", "compound"):
            return t
        if t.head == t:
            return t
        t = t.head
    return t


def _subject(verb, depth: int = 0):
    """The subject of ``verb``: its own, or for a controlled infinitive, conjunct or
    participle the subject of the verb it depends on ("the U.S. is ready to strike")."""
    if verb is None or depth > 4:
        return None
    s = _child(verb, "nsubj", "csubj")
    if s is not None:
        return _antecedent(s)
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "acomp") and verb.head != verb:
        head = verb.head
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("pobj", "dobj", "attr"):
            head = head.head.head if head.dep_ == "pobj" else head.head
        if head.dep_ == "prep":
            head = head.head
            if head.pos_ == "NOUN" and head.dep_ == "dobj" and _is_verb(head.head):
                head = head.head  # "claimed responsibility for shooting down": who claimed
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and _child(verb, "nsubjpass") is None:
            if verb.tag_ == "VBG":  # "planes carrying soldiers": the noun is the subject
                return verb.head
        if _is_verb(head) or head.pos_ == "ADJ":
            return _subject(head, depth + 1)
    return None
