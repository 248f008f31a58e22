"""Who a source is: from a noun phrase in the parse to a ``SourceHop``, and back-references.

A report names its sources once and then refers back to them ("he said", "the paper",
"According to al-Anbari", "Sources specify"). ``SourceMemory`` keeps, per document, the sources
already named together with the chain that led to them, so a back-reference resolves to the same
origin through the same intermediate publications.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.claims.lexicon import (
    ANONYMOUS_HEADS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    INFORMATION_NOUNS,
    OFFICIAL_TITLES,
    OUTLET_NAME_CUES,
    PUBLICATION_NOUNS,
    QUANTIFIER_SOURCES,
    THIRD_PERSON_PRONOUNS,
)
from sitrep.model import SourceHop
from sitrep.vocab import SourceKind

# Dependents that are not part of the source's own description.
_NP_EXCLUDE = {"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_INNER_PUNCT = {"-", "'", "’", "."}
_OUTLET_CUE_RE = re.compile(
    r"(?:\b|(?<=[a-z]))(?:" + "|".join(re.escape(c) for c in OUTLET_NAME_CUES) + r")\b"
)


@lru_cache(maxsize=1)
def _registry():
    """The outlet registry when that module is present; None otherwise (built-in cues apply)."""
    try:
        from sitrep.outlets import OutletRegistry

        return OutletRegistry.load()
    except Exception:  # noqa: BLE001 - any failure means: fall back to cues
        return None


def is_outlet_name(name: str) -> bool:
    """True when ``name`` is a known news outlet or looks like one ("... Times", "... Agency")."""
    reg = _registry()
    if reg is not None and reg.by_name(name) is not None:
        return True
    return bool(_OUTLET_CUE_RE.search(name))


def same_outlet(a: str | None, b: str | None) -> bool:
    """Whether two outlet names denote one publisher (registry aliases, else folded text)."""
    if not a or not b:
        return False
    reg = _registry()
    if reg is not None:
        oa, ob = reg.by_name(a), reg.by_name(b)
        if oa is not None and ob is not None:
            return oa is ob
    return _fold(a) == _fold(b)


def _fold(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[\W_]+", "", name).lower()


@dataclass
class Source:
    """A resolved source: its hop, the chain that reached it, and what back-references need."""

    hop: SourceHop
    chain: list[SourceHop] = field(default_factory=list)  # outlet .. this hop, inclusive
    named: bool = False
    head_lemma: str = ""
    plural: bool = False


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` without appositions or relative clauses."""
    toks = [head]
    for child in head.children:
        if child.dep_ in _NP_EXCLUDE and not (child.dep_ == "punct" and child.text in _INNER_PUNCT):
            continue
        toks.extend(child.subtree)
    doc = head.doc
    for ent in doc_ents(doc):  # never cut a name in two
        if ent.start <= head.i < ent.end:
            toks.extend(t for t in ent if t not in toks)
    toks.sort(key=lambda t: t.i)
    # keep the contiguous run around the head
    start = end = toks.index(head)
    while start > 0 and toks[start - 1].i == toks[start].i - 1:
        start -= 1
    while end + 1 < len(toks) and toks[end + 1].i == toks[end].i + 1:
        end += 1
    run = toks[start : end + 1]
    while run and (run[-1].is_punct or run[-1].text in _POSSESSIVE):
        run.pop()
    while run and run[0].is_punct:
        run.pop(0)
    return run or [head]


def _span(tokens: list[Token]) -> Span:
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1]


def _strip_det(tokens: list[Token]) -> list[Token]:
    out = list(tokens)
    while len(out) > 1 and out[0].lower_ in DETERMINERS:
        out.pop(0)
    while len(out) > 1 and out[-1].text in _POSSESSIVE:
        out.pop()
    return out


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents`` built once per document (spaCy rebuilds the tuple on every access)."""
    cached = doc.user_data.get("sitrep_ents")
    if cached is None:
        cached = doc.user_data["sitrep_ents"] = tuple(doc.ents)
    return cached


def _ents_in(tokens: list[Token]) -> list[Span]:
    if not tokens:
        return []
    lo, hi = tokens[0].i, tokens[-1].i + 1
    return [e for e in doc_ents(tokens[0].doc) if e.start >= lo and e.end <= hi]


def _clean_ent(ent: Span) -> Span:
    toks = _strip_det(list(ent))
    return _span(toks)


class SourceMemory:
    """The sources a document has named so far, most recent last."""

    def __init__(self, outlet: str | None) -> None:
        self.outlet = outlet
        self.items: list[Source] = []

    def push(self, source: Source) -> None:
        self.items.append(source)

    def last(self, kinds: tuple[str, ...] | None = None, head_lemma: str | None = None) -> Source | None:
        for src in reversed(self.items):
            if kinds and src.hop.kind not in kinds:
                continue
            if head_lemma and src.head_lemma != head_lemma:
                continue
            return src
        return None

    def person_with_role(self, title: str) -> Source | None:
        """The latest named person whose role has ``title`` ("the spokesman" → the spokesman named before)."""
        for src in reversed(self.items):
            if src.hop.kind in ("person", "official") and src.hop.role and title in src.hop.role.lower().split():
                return src
        return None

    def person_by_name(self, name: str) -> Source | None:
        """An earlier person whose name contains every word of ``name`` ("White" → "Robert P. White")."""
        words = {w for w in name_words(name)}
        if not words:
            return None
        for src in reversed(self.items):
            if src.hop.kind not in ("person", "official"):
                continue
            if words <= set(name_words(src.hop.name)):
                return src
        return None


def name_words(name: str) -> list[str]:
    """Lower-case words of a person's name without apostrophes, articles or honorifics."""
    folded = re.sub(r"['’`]", "", name.lower())
    words = re.split(r"[\s\-]+", folded)
    return [w for w in words if w and w not in {"al", "el", "the", "mr.", "mrs.", "ms.", "dr."} and w.isalpha()]


def _role_and_affiliation(head: Token, np: list[Token], ent: Span) -> tuple[str | None, str | None]:
    """Role and affiliation from words before the name and from an apposition."""
    role_toks = [t for t in np if t.i < ent.start and t.lower_ not in DETERMINERS and not t.is_punct]
    affiliation = None
    for e in _ents_in(role_toks):
        if e.label_ in {"ORG", "GROUP", "NORP", "FACILITY"}:
            affiliation = _clean_ent(e).text
            role_toks = [t for t in role_toks if not (e.start <= t.i < e.end)]
            break
    role = _span(role_toks).text if role_toks else None
    for child in head.children:
        if child.dep_ != "appos":
            continue
        left = [t for t in child.subtree if t.i <= child.i]
        role = f"{role}, {_span(left).text}" if role else _span(left).text
        for e in _ents_in(list(child.subtree)):
            if e.label_ in {"ORG", "GROUP", "NORP", "GPE", "FACILITY"} and e.start > child.i:
                affiliation = affiliation or _clean_ent(e).text
                break
        break
    return role, affiliation


def _is_official(role: str | None) -> bool:
    if not role:
        return False
    return any(w in OFFICIAL_TITLES for w in role.lower().split())


UNIDENTIFIED_PERSON = "an unidentified person"
UNIDENTIFIED_SOURCE = "unidentified sources"
# How far back (in tokens) a pronoun looks for a named antecedent the sources did not give.
_ANTECEDENT_WINDOW = 400
_PRONOUN_LABELS = {
    "he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",), "her": ("PERSON",),
    "it": ("ORG",), "they": ("ORG", "NORP"),
}


OUTLET_ITSELF = Source(SourceHop("", SourceKind.OUTLET))  # "it" stands for the publishing outlet


def _antecedent(pronoun: Token, memory: SourceMemory) -> Source | None:
    """The named thing a pronoun most likely stands for when no source was named before it:
    the nearest earlier entity of the pronoun's kind (a person for "he"/"she", an organisation
    for "it"; "they" also takes a group of people) within a few paragraphs. Rules over the parse
    the pipeline already has: a named person the article introduced as an actor ("Prince Andrew
    said ... he recalled") is the speaker when nobody else was quoted."""
    labels = _PRONOUN_LABELS.get(pronoun.lower_)
    if not labels:
        return None
    for ent in reversed(doc_ents(pronoun.doc)):
        if ent.end > pronoun.i:
            continue
        if pronoun.i - ent.end > _ANTECEDENT_WINDOW:
            break
        if ent.label_ not in labels:
            continue
        core = _clean_ent(ent)
        if not core.text or core.text.lower() in THIRD_PERSON_PRONOUNS:
            continue
        if ent.label_ == "PERSON":
            hop = SourceHop(core.text, SourceKind.PERSON, core.start_char, core.end_char)
            return Source(hop, [], True, "person")
        if memory.outlet and same_outlet(core.text, memory.outlet):
            return OUTLET_ITSELF
        kind = SourceKind.PUBLICATION if is_outlet_name(core.text) else SourceKind.ORGANIZATION
        hop = SourceHop(core.text, kind, core.start_char, core.end_char)
        return Source(hop, [], True, kind, ent.label_ == "NORP")
    return None


def _definite(np: list[Token]) -> bool:
    """A definite description: "the ...", or a possessor's ("Austria's interior minister")."""
    return np[0].lower_ in {"the", "this", "that"} or any(t.dep_ == "poss" for t in np)


def _titled_person_before(head: Token, title: str) -> Source | None:
    """"The minister said": the person the article named with that title before ("Interior
    Minister Herbert Kickl met ..."), though not as a source; None when no such name is near."""
    doc = head.doc
    for ent in reversed(doc_ents(doc)):
        if ent.end > head.i:
            continue
        if head.i - ent.end > _ANTECEDENT_WINDOW:
            break
        if ent.label_ != "PERSON":
            continue
        window = doc[max(ent.start - 4, ent.sent.start) : ent.end]  # "Interior Minister Herbert Kickl"
        if any(t.lemma_.lower() == title or t.lower_ == title for t in window):
            pent = _clean_ent(ent)
            hop = SourceHop(pent.text, SourceKind.OFFICIAL, pent.start_char, pent.end_char, role=title)
            return Source(hop, [], True, "person")
    return None


def _issuer(head: Token, memory: SourceMemory, verb_lemma: str) -> Source | None:
    """Who issued the document headed by ``head`` when its own phrase says so: "by/from/of/in"
    a named body ("a report by the UN", "a report in the Argus Leader") or a possessive ("the
    military's statement")."""
    for child in head.children:
        author = None
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of", "in"}:
            author = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ == "poss" and child.pos_ in {"PROPN", "NOUN"}:
            author = child
        if child.dep_ == "prep" and child.lower_ == "in" and author is not None and author.pos_ == "PROPN":
            # "a report in the Argus Leader of Sioux Falls": printed in a publication, whose name is
            # the proper noun and its compounds
            sp = _span([t for t in author.subtree if t.i == author.i or t.dep_ == "compound" and t.head.i == author.i])
            if memory.outlet and same_outlet(sp.text, memory.outlet):
                return None
            return Source(SourceHop(sp.text, SourceKind.PUBLICATION, sp.start_char, sp.end_char), [], True, "publication")
        if author is not None and (author.pos_ == "PROPN" or _ents_in([author]) or child.dep_ == "poss"):
            found = describe_source(author, memory, verb_lemma)
            if found is not None and found.hop.kind not in (SourceKind.ANONYMOUS, SourceKind.DOCUMENT):
                if child.lower_ == "in" and found.hop.kind != SourceKind.PUBLICATION:
                    # "a report in The Boston Globe": what a report is printed in is a publication
                    hop = replace(found.hop, kind=SourceKind.PUBLICATION)
                    return Source(hop, [], found.named, "publication")
                return found
    return None


def _member_of(head: Token, memory: SourceMemory, verb_lemma: str) -> Source | None:
    """"One of the officials said", "two of his aides": an unnamed member of the group the "of"
    phrase names, as written, affiliated with the group's body when it is named ("one of
    Google's engineers"); None when the number heads no such phrase."""
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    group = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if group is None:
        return None
    found = _describe(group, memory, verb_lemma)
    if found is None and group.pos_ != "PRON":
        return None
    affiliation: str | None = None  # "one of them"
    if found is not None and found.named and found.hop.kind in (SourceKind.ORGANIZATION, SourceKind.PUBLICATION):
        affiliation = found.hop.name
    elif found is not None:
        affiliation = found.hop.affiliation
    sp = _span(np_tokens(head))
    hop = SourceHop(sp.text, SourceKind.ANONYMOUS, sp.start_char, sp.end_char, affiliation=affiliation)
    return Source(hop, [], False, group.lemma_.lower(), head.lower_ != "one")


def describe_source(head: Token, memory: SourceMemory, verb_lemma: str = "") -> Source | None:
    """Resolve the noun phrase headed by ``head`` to a ``Source`` (None: the outlet itself or
    nothing usable). Back-references return the remembered source with its chain. A relative
    pronoun is its antecedent ("Trump, who said ...": Trump speaks), mentioned at the pronoun,
    as a reader (and PolNeAR) marks the source of the relative clause's frame."""
    if head.lower_ in {"who", "which", "that"} and head.head.dep_ == "relcl":
        found = _describe(head.head.head, memory, verb_lemma)
        if found is None or found.hop.start is None:
            return found
        hop = replace(found.hop, start=head.idx, end=head.idx + len(head.text))
        chain = list(found.chain[:-1]) + [hop] if found.chain else []
        return Source(hop, chain, found.named, found.head_lemma, found.plural)
    return _describe(head, memory, verb_lemma)


def _describe(head: Token, memory: SourceMemory, verb_lemma: str = "") -> Source | None:
    low = head.lower_
    described = low in {"those", "these"} and any(c.dep_ in {"amod", "prep", "acl", "relcl"} for c in head.children)
    if (low in QUANTIFIER_SOURCES or described) and head.pos_ in {"PRON", "DET", "ADJ", "NOUN"}:
        # "some argue", "many of his supporters believe", "those close to him say": unnamed
        # people, as written
        sp = _span(np_tokens(head))
        hop = SourceHop(sp.text, SourceKind.ANONYMOUS, sp.start_char, sp.end_char)
        return Source(hop, [], False, low, low not in {"someone", "somebody", "everyone", "everybody", "each"})
    if head.pos_ == "NUM" and not any(c.dep_ == "appos" for c in head.children):
        member = _member_of(head, memory, verb_lemma)  # "one of the officials said"
        if member is not None:
            return member
    if head.pos_ == "PRON" or low in {"he", "she", "it", "they", "we", "i"}:
        if low in THIRD_PERSON_PRONOUNS:
            known = memory.last(("person", "official"))
        elif low == "it":
            known = memory.last(("publication", "organization"))
        elif low == "they":
            known = memory.last(("anonymous", "organization", "publication"))
        else:
            return None
        start, end = head.idx, head.idx + len(head.text)
        if known is None:
            found = _antecedent(head, memory)
            if found is OUTLET_ITSELF:
                return None
            if found is not None:  # named here for the first time, at the pronoun's place
                hop = replace(found.hop, start=start, end=end)
                return Source(hop, [], True, found.head_lemma, found.plural)
            # nothing named before it: an unnamed speaker, never the bare pronoun
            name = UNIDENTIFIED_PERSON if low in THIRD_PERSON_PRONOUNS else UNIDENTIFIED_SOURCE
            return Source(SourceHop(name, SourceKind.ANONYMOUS, start, end), [], False, low)
        hop = SourceHop(known.hop.name, known.hop.kind, start, end, role=known.hop.role,
                        affiliation=known.hop.affiliation)
        return Source(hop, list(known.chain[:-1]) + [hop], known.named, known.head_lemma, known.plural)
    np = np_tokens(head)
    core = _strip_det(np)
    has_det = np[0].lower_ in {"the", "this", "that", "these", "those"}
    ents = _ents_in(np)
    head_ent = next((e for e in ents if e.start <= head.i < e.end), None)
    person = next((e for e in ents if e.label_ == "PERSON"), None)
    start, end = _span(core).start_char, _span(core).end_char
    lemma = head.lemma_.lower()

    # 1. A named person: remembered by surname, or new with role and affiliation; not a person
    #    named in the phrase's own prepositional phrase ("the Argus Leader of Sioux Falls").
    in_prep = person is not None and any(
        c.left_edge.i <= person.start and person.end <= c.right_edge.i + 1 for c in head.children if c.dep_ == "prep"
    )
    if person is not None and (head_ent is person or head.pos_ == "PROPN" and not in_prep):
        pent = _clean_ent(person)
        role, affiliation = _role_and_affiliation(head, np, pent)
        # the mention is the noun phrase the name heads, title and all ("Mr. Obama", "Vice
        # President Joseph R. Biden Jr."), as a reader (and PolNeAR) marks it: on PolNeAR dev,
        # source exact F1 +0.008 over the name alone
        lo, hi = pent.start_char, pent.end_char
        if head_ent is person:
            lo, hi = min(lo, start), max(hi, end)
        known = memory.person_by_name(pent.text)
        if known is not None and len(name_words(pent.text)) < len(name_words(known.hop.name)):
            hop = SourceHop(known.hop.name, known.hop.kind, lo, hi,
                            role=role or known.hop.role, affiliation=affiliation or known.hop.affiliation)
            return Source(hop, list(known.chain[:-1]) + [hop], True, "person")
        kind = SourceKind.OFFICIAL if _is_official(role) else SourceKind.PERSON
        hop = SourceHop(pent.text, kind, lo, hi, role=role, affiliation=affiliation)
        return Source(hop, [], True, "person")

    # 1b. A title named by its apposition ("the mayor, Ana Ruiz, said", "one of the family's
    #     attorneys, Justin Bamberg, said"): the person, titled.
    if person is None and head.pos_ in {"NOUN", "NUM"}:
        for child in head.children:
            if child.dep_ != "appos":
                continue
            named = next((e for e in _ents_in(list(child.subtree)) if e.label_ == "PERSON"), None)
            if named is None and child.pos_ == "PROPN" and not _ents_in(list(child.subtree)):
                # a name the NER missed: the apposition's proper nouns
                names = [t for t in child.subtree if t.pos_ == "PROPN" and (t.i == child.i or t.dep_ == "compound")]
                named = _span(names) if len(names) >= 2 and names[-1].i - names[0].i == len(names) - 1 else None
            if named is not None and named.start <= child.i < named.end:
                pent = _clean_ent(named)
                role = _span(core).text
                known = memory.person_by_name(pent.text)
                if known is not None and len(name_words(pent.text)) < len(name_words(known.hop.name)):
                    pent_name = known.hop.name
                else:
                    pent_name = pent.text
                kind = SourceKind.OFFICIAL if _is_official(role) or lemma in OFFICIAL_TITLES else SourceKind.PERSON
                # the span is the whole description, title to name, as a reader marks the source
                hop = SourceHop(pent_name, kind, _span(np).start_char, pent.end_char, role=role)
                return Source(hop, [], True, "person")
            break

    # 1c. A publication whose name ends on a noun for people ("The Hollywood Reporter", which the
    #     parser reads as a common noun): capitalised mid-sentence and named like an outlet.
    if lemma in ANONYMOUS_HEADS and head.text[:1].isupper() and not head.is_sent_start and len(core) > 1:
        sp = _span(core)
        if is_outlet_name(sp.text):
            if memory.outlet and same_outlet(sp.text, memory.outlet):
                return None
            hop = SourceHop(sp.text, SourceKind.PUBLICATION, sp.start_char, sp.end_char)
            return Source(hop, [], True, "publication")

    # 2. Unnamed people ("a security source", "Several American officials", "sources in ...").
    if head_ent is None and lemma in ANONYMOUS_HEADS | {"source"}:
        plural = head.tag_ in {"NNS", "NNPS"}
        bare = len(core) == 1 or (has_det and len(core) == 1)
        if bare and (has_det or plural):
            known = memory.last(("anonymous",), head_lemma=lemma) or (
                memory.person_with_role(lemma) if has_det and not plural else None
            )
            if known is None and has_det and not plural and lemma in OFFICIAL_TITLES:
                titled = _titled_person_before(head, lemma)
                if titled is not None:  # named for the first time as a source, here
                    return Source(replace(titled.hop, start=start, end=end), [], True, "person")
            if known is not None:
                hop = SourceHop(known.hop.name, known.hop.kind, start, end, role=known.hop.role,
                                affiliation=known.hop.affiliation)
                return Source(hop, list(known.chain[:-1]) + [hop], known.named, known.head_lemma, known.plural)
        text = _span(np).text  # the descriptor exactly as written
        affiliation = None
        for e in ents:
            if e.label_ in {"ORG", "GROUP", "NORP", "GPE"}:
                affiliation = _clean_ent(e).text
                break
        if affiliation and not plural and lemma in OFFICIAL_TITLES and _definite(np):
            # "Austria's interior minister", "the French foreign ministry spokesman": one office
            # holder of a named body, identifiable, so a named official and not an anonymous source
            name = _span(core).text
            hop = SourceHop(name, SourceKind.OFFICIAL, _span(np).start_char, _span(np).end_char, role=lemma,
                            affiliation=affiliation)
            return Source(hop, [], True, "person")
        hop = SourceHop(text, SourceKind.ANONYMOUS, _span(np).start_char, _span(np).end_char, affiliation=affiliation)
        return Source(hop, [], False, lemma, plural)

    # 2b. A document with its issuer in its own phrase ("a report by the UN", "a report in the
    #     Boston Globe"): the issuer, before the entities of the phrase are read as the source.
    if head_ent is None and head.pos_ == "NOUN" and (lemma in INFORMATION_NOUNS or lemma in DOCUMENT_NOUNS):
        issuer = _issuer(head, memory, verb_lemma)
        if issuer is not None:
            return issuer

    # 3. A publication: named ("the New York Times"), described ("Almaalomah news agency"),
    #    or referred back to ("the paper", "the agency").
    org = head_ent if head_ent is not None else next(
        (e for e in ents if e.label_ in {"ORG", "GROUP", "PERSON", "GPE", "FACILITY"}), None
    )
    if org is None and lemma in PUBLICATION_NOUNS and has_det:
        known = memory.last(("publication",))
        if known is not None:
            hop = SourceHop(known.hop.name, SourceKind.PUBLICATION, start, end)
            return Source(hop, list(known.chain[:-1]) + [hop], True, "publication")
    if org is not None and org.label_ in {"ORG", "GROUP"}:
        oent = _clean_ent(org)
        name = oent.text
        if memory.outlet and same_outlet(name, memory.outlet):
            return None  # the outlet quoting itself: already the first hop
        pub = (
            lemma in PUBLICATION_NOUNS
            or is_outlet_name(name)
            or (org.label_ == "ORG" and verb_lemma == "report")
        )
        kind = SourceKind.PUBLICATION if pub else SourceKind.ORGANIZATION
        hop = SourceHop(name, kind, oent.start_char, oent.end_char)
        return Source(hop, [], True, kind)
    if org is not None and org.label_ in {"GPE", "FACILITY"}:
        oent = _clean_ent(org)
        if head_ent is None and head.pos_ == "NOUN" and lemma not in INFORMATION_NOUNS:
            # "the US military", "Iraq's government": the body, not the country
            sp = _span(core)
            hop = SourceHop(sp.text, SourceKind.ORGANIZATION, sp.start_char, sp.end_char, affiliation=oent.text)
            return Source(hop, [], True, "organization")
        hop = SourceHop(oent.text, SourceKind.ORGANIZATION, oent.start_char, oent.end_char)
        return Source(hop, [], True, "organization")

    # 3b. "Almaalomah news agency" with no entity found: its proper-noun modifiers are the name.
    if org is None and lemma in PUBLICATION_NOUNS:
        names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:
            toks = sorted({t for c in names for t in c.subtree if t.pos_ == "PROPN"}, key=lambda t: t.i)
            sp = _span(toks)
            if memory.outlet and same_outlet(sp.text, memory.outlet):
                return None
            hop = SourceHop(sp.text, SourceKind.PUBLICATION, sp.start_char, sp.end_char)
            return Source(hop, [], True, "publication")

    # 4. Information nouns and documents point back to whoever issued them: "a statement by the
    #    ministry" or "a report in the Argus Leader" is that body's; "the statement said" and
    #    "according to available data" are the source named before; "a study" naming nobody is
    #    a document of its own, which names no origin.
    if lemma in INFORMATION_NOUNS or lemma in DOCUMENT_NOUNS and head.pos_ == "NOUN":
        issuer = _issuer(head, memory, verb_lemma)
        if issuer is not None:
            return issuer
        # "according to reports", "a statement", "the study": the source named before; but "a study"
        # or "a poll" with no article of its own to point back is new, and names nobody
        known = memory.last() if has_det or lemma in INFORMATION_NOUNS else None
        if known is not None and (known.hop.kind != SourceKind.DOCUMENT or known.head_lemma == lemma):
            return known  # a document named before is this one only if it is called the same
        kind = SourceKind.DOCUMENT if lemma in DOCUMENT_NOUNS else SourceKind.ANONYMOUS
        hop = SourceHop(_span(np).text, kind, _span(np).start_char, _span(np).end_char)
        return Source(hop, [], False, lemma)

    # 5. A proper noun the NER missed: take it as a named person or organisation.
    if head.pos_ == "PROPN":
        name_toks = [t for t in core if t.pos_ == "PROPN" or t.text == "-" or t.lower_ in {"al", "el"}]
        name_toks = name_toks or core
        sp = _span(name_toks)
        known = memory.person_by_name(sp.text)
        if known is not None:
            hop = SourceHop(known.hop.name, known.hop.kind, sp.start_char, sp.end_char,
                            role=known.hop.role, affiliation=known.hop.affiliation)
            return Source(hop, list(known.chain[:-1]) + [hop], True, "person")
        if memory.outlet and same_outlet(sp.text, memory.outlet):
            return None
        kind = SourceKind.PUBLICATION if is_outlet_name(sp.text) else SourceKind.PERSON
        hop = SourceHop(sp.text, kind, sp.start_char, sp.end_char)
        return Source(hop, [], True, kind)

    # 6. Other common nouns: an unnamed organisation or group ("the ministry", "the popular group").
    if head.pos_ in {"NOUN", "PROPN"}:
        hop = SourceHop(_span(np).text, SourceKind.ORGANIZATION, _span(np).start_char, _span(np).end_char)
        return Source(hop, [], False, lemma)
    if head.pos_ == "NUM":  # "one of the groups, Hamas, said": no person in the apposition
        return _member_of(head, memory, verb_lemma)
    return None
