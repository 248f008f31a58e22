"""When an event happened: the report's time expressions, and the one in the trigger's own clause
(or in a fragment that stands for it), normalised against publication by ``sitrep.events.timex``."""
from __future__ import annotations

from sitrep.events.frames import _Frame
from sitrep.events.syntax import _clause_verb, _doc_text, _is_verb
from sitrep.events.timex import find_time_expressions


def _time_spans(doc, text: str) -> list[tuple[int, int, object]]:
    """Time expressions of the document as (char start, char end, token span)."""
    found = find_time_expressions(text)
    taken = [(s, e) for s, e, _ in found]
    for ent in doc.ents:
        if ent.label_ == "DATE" and not any(s < ent.end_char and ent.start_char < e for s, e in taken):
            found.append((ent.start_char, ent.end_char, ent.text))
    out = []
    for s, e, _t in sorted(found):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            out.append((s, e, span))
    return out


def _governor(span):
    """The verb a time expression modifies (None for a verbless fragment)."""
    t = span.root
    for _ in range(8):
        if t.head == t:
            return t if _is_verb(t) else None
        t = t.head
        if span.start <= t.i < span.end:
            continue
        if _is_verb(t) and t.dep_ not in ("amod",):
            return t
    return None


def _fragment_before(sent):
    """The verbless fragment just before ``sent`` on the same line ("Last week, Kata'ib" split
    off by the parser), or None."""
    doc = sent.doc
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    between = _doc_text(doc)[prev.end_char:sent.start_char]
    if "\n" in between or prev.text.rstrip().endswith((".", "!", "?", "\u201d", '"', ":")):
        return None
    if any(_is_verb(t) for t in prev):
        return None
    return prev


def _find_time(fr: _Frame, times) -> tuple[int, int, str] | None:
    tok = fr.tok
    doc = tok.doc
    verb = _clause_verb(tok)
    sent = tok.sent
    frag = _fragment_before(sent)
    lo = frag.start if frag is not None else sent.start
    cands = [(s, e, sp) for s, e, sp in times if sp.start >= lo and sp.end <= sent.end]
    for s, e, sp in cands:
        gov = _governor(sp)
        inside_trigger = not _is_verb(tok) and any(a == tok for a in sp.root.ancestors)
        if gov == verb or gov == tok or inside_trigger or (gov is None and frag is not None and sp.start < sent.start):
            return s, e, _doc_text(doc)[s:e]
    # "said Sunday that planes had landed": the report's day bounds the event.
    up = verb
    for _ in range(3):
        if up.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "pcomp", "relcl") or up.head == up:
            break
        up = up.head
        if up.pos_ == "ADP":
            up = up.head
        for s, e, sp in cands:
            if _governor(sp) == up:
                return s, e, _doc_text(doc)[s:e]
    return None
