"""Named things in an article as ``Mention`` records, typed for this domain.

spaCy's labels are folded into sitrep's entity types; an organisation that is a news outlet
(known to the outlet registry, named like one, or the subject of "reported") becomes OUTLET, so
that publications are not counted as actors. Short forms are linked to the longer form used
earlier in the same article ("al-Anbari" → "Qusay al-Anbari").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from sitrep.claims.lexicon import PUBLICATION_NOUNS
from sitrep.claims.sources import name_words, is_outlet_name
from sitrep.model import Article, Mention
from sitrep.vocab import EntityType

LABEL_TYPES: dict[str, EntityType] = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORG,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.FACILITY,
    "FACILITY": EntityType.FACILITY,
    "GROUP": EntityType.GROUP,
    "EQUIPMENT": EntityType.EQUIPMENT,
    "NORP": EntityType.NORP,
    "EVENT": EntityType.EVENT,
    "PRODUCT": EntityType.OTHER,
    "LAW": EntityType.OTHER,
}
_DETS = {"the", "a", "an"}
_POSSESSIVE = {"'s", "’s", "'", "’"}


def _core(ent: Span) -> Span:
    """The entity without a leading article or a trailing possessive ("Press TV’s" → "Press TV")."""
    start, end = ent.start, ent.end
    while start < end - 1 and ent.doc[start].lower_ in _DETS:
        start += 1
    while end > start + 1 and ent.doc[end - 1].text in _POSSESSIVE:
        end -= 1
    return ent.doc[start:end]


def _reports(ent: Span) -> bool:
    head = ent.root
    return head.dep_ in {"nsubj", "pobj"} and head.head.lemma_ in {"report", "tell", "cite", "quote", "write"} and (
        head.dep_ == "nsubj" or head.head.head.lemma_ == "report"
    )


def mention_type(ent: Span) -> EntityType | None:
    """sitrep's entity type of ``ent``, or None for numbers, dates and the like."""
    label = LABEL_TYPES.get(ent.label_)
    if label == "ORG" and (is_outlet_name(_core(ent).text) or _reports(ent)):
        return EntityType.OUTLET
    return label


_THE_PUBLICATION = re.compile(r"\b[Tt]he (?:" + "|".join(sorted(PUBLICATION_NOUNS)) + r")s?\b")


def _publication_back_references(article: Article, doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"the paper", "the agency": a definite publication noun outside any name stands for the
    outlet named last before it (the same rule the sources follow), as an OUTLET mention whose
    ``full_form`` is that outlet's name, so the resolver files it under the outlet's entity.
    Nothing is added when no outlet was named before."""
    outlets = [m for m in mentions if m.type == "OUTLET"]
    if not outlets:
        return []
    inside = [(e.start, e.end) for e in doc.ents]
    out = []
    for hit in _THE_PUBLICATION.finditer(article.text):  # the text first: cheaper than every token
        span = doc.char_span(hit.start(), hit.end())
        if span is None or len(span) != 2:
            continue
        tok = span[1]
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in PUBLICATION_NOUNS:
            continue
        det = tok.i - 1
        if any(s <= tok.i < e for s, e in inside):
            continue
        before = [m for m in outlets if m.end <= doc[det].idx]
        if not before:
            continue
        start, end = doc[det].idx, tok.idx + len(tok.text)
        antecedent = before[-1]
        out.append(Mention(article.id, start, end, article.text[start:end], EntityType.OUTLET,
                           full_form=antecedent.full_form or antecedent.text))
    return out


def extract_mentions(article: Article, doc: Doc) -> list[Mention]:
    """Mentions of ``article`` in text order, each with its span into ``article.text``;
    "the paper" and the like are linked to the outlet they stand for."""
    out: list[Mention] = []
    persons: list[Mention] = []
    for ent in doc.ents:
        kind = mention_type(ent)
        if kind is None:
            continue
        core = _core(ent)
        m = Mention(article.id, core.start_char, core.end_char, article.text[core.start_char : core.end_char], kind)
        if kind == "PERSON":
            words = set(name_words(m.text))
            for earlier in reversed(persons):
                longer = name_words(earlier.text)
                if words and words < set(longer):
                    m.full_form = earlier.full_form or earlier.text
                    break
            persons.append(m)
        out.append(m)
    extra = _publication_back_references(article, doc, out)
    if extra:
        out = sorted(out + extra, key=lambda m: (m.start, m.end))
    return out
