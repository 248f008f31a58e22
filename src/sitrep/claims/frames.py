"""Attribution frames read off the dependency parse of one sentence.

A frame is a cue (a reporting verb, "according to", "cited X as saying"), the noun phrases of its
sources in order from outer to inner (publication before the person it quotes), and the token
range of its content: the reported clause when the parse separates it from the cue, the rest of
the sentence when the cue is a parenthetical ("..., he said, ..."), or the previous sentence when
the content is a demonstrative ("This was reported by ...").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from sitrep.claims.lexicon import (
    ANONYMOUS_HEADS,
    CLAUSE_REPORTING_VERBS,
    OBJECT_CONTENT_VERBS,
    PUBLICATION_NOUNS,
    RELAY_VERBS,
    REPORTING_VERBS,
)

_QUOTES = {'"', "“", "”", "'", "‘", "’", "«", "»"}
_NOMINAL_DEPS = {"amod", "compound", "nsubj", "nsubjpass", "dobj", "pobj", "attr", "npadvmod", "acomp"}
_MARKS = {"that", "whether", "if"}
_SPEAKER_PRONOUNS = {"i", "we", "you", "anyone", "anybody", "everyone", "everybody", "nobody"}


@dataclass
class Frame:
    """One attribution relation inside a sentence (token indices into the doc)."""

    cue: list[Token]
    sources: list[Token] = field(default_factory=list)  # NP heads, outer to inner
    recipient: Token | None = None  # "told the paper": the publication that relayed it
    content: tuple[int, int] | None = None  # [start, end) token range; None = whole sentence
    retro: bool = False  # content is the previous sentence ("This was reported by ...")
    agentless: bool = False  # "it was reported that", "is said to"
    inverted: bool = False  # retro for a quotation cut off before its "..., Holmes testified."
    forward: bool = False  # content is what follows the sentence ("He said:" before a quotation)
    lemma: str = ""

    @property
    def anchor(self) -> Token:
        return self.cue[0]


def _child(tok: Token, *deps: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _trim(tokens: list[Token]) -> tuple[int, int] | None:
    """Token range of ``tokens`` without edge punctuation (quotes kept when they pair up) or a
    leading complementiser."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].is_punct and toks[0].text not in _QUOTES or toks[0].is_space or toks[0].lower_ in _MARKS):
        toks.pop(0)
    while toks and (toks[-1].is_punct and toks[-1].text not in _QUOTES or toks[-1].is_space):
        toks.pop()
    # an edge quotation mark whose partner is outside the content goes too
    if toks and toks[0].text in _QUOTES and sum(t.text in _QUOTES for t in toks) % 2:
        toks.pop(0)
    if toks and toks[-1].text in _QUOTES and sum(t.text in _QUOTES for t in toks) % 2:
        toks.pop()
    while toks and (toks[-1].is_punct and toks[-1].text not in _QUOTES or toks[-1].is_space):
        toks.pop()
    if not toks:
        return None
    return toks[0].i, toks[-1].i + 1


def _rest_of_sentence(sent: Span, frame_tokens: set[int]) -> tuple[int, int] | None:
    """The sentence minus a frame at its start or end; the whole sentence if the frame sits inside."""
    rest = [t for t in sent if t.i not in frame_tokens]
    rng = _trim(rest)
    if rng is None:
        return None
    inside = [i for i in frame_tokens if rng[0] <= i < rng[1]]
    if inside:
        return _trim(list(sent))
    return rng


def _root_frame_block(verb: Token) -> set[int]:
    """Tokens of a sentence-final or -initial "..., said X of Y" frame: the verb, its subject,
    auxiliaries, and the modifiers that sit right next to that block (not the quoted clause the
    parser may have hung on the verb as an adverbial)."""
    block = {verb.i}
    for c in verb.children:
        if c.dep_ in {"nsubj", "aux", "neg", "auxpass"}:
            block |= {t.i for t in c.subtree}
    grown = True
    while grown:
        grown = False
        for c in verb.children:
            sub = {t.i for t in c.subtree}
            if sub <= block or c.dep_ not in {"punct", "advmod", "npadvmod", "prep", "dative", "dobj"}:
                continue
            if min(sub) == max(block) + 1 or max(sub) == min(block) - 1:
                if len(sub) <= 6 or c.dep_ in {"dative", "dobj"}:
                    block |= sub
                    grown = True
    return block


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of the nearest governing verb ("warned ..., saying" → the one who warned)."""
    head = verb
    for _ in range(4):
        if head.dep_ not in {"advcl", "conj", "xcomp", "pcomp", "prep"} or head.head is head:
            return None
        head = head.head
        subj = _child(head, "nsubj")
        if subj is not None:
            return subj
    return None


def frames_in(sent: Span) -> list[Frame]:
    """All attribution frames of ``sent``."""
    frames: list[Frame] = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            to = tok.nbor(1)
            pobj = _child(to, "pobj") or _child(tok, "pobj")
            if pobj is None:
                continue
            frame_toks = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
            frames.append(Frame([tok, to], [pobj], content=_rest_of_sentence(sent, frame_toks), lemma="according to"))
            continue
        lemma = tok.lemma_.lower()
        if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in _NOMINAL_DEPS:
            continue
        if lemma == "call":
            frame = _call_frame(tok)
            if frame is not None and frame.content is not None:
                frames.append(frame)
            continue
        if lemma not in REPORTING_VERBS:
            if lemma not in CLAUSE_REPORTING_VERBS or _child(tok, "nsubj") is None:
                continue
            cue = [tok] + [c for c in tok.children if c.dep_ == "prt" and c.i == tok.i + 1]  # "pointed out"
            frame = _verb_frame(tok, sent, lemma)
            if frame is None:
                continue
            frame.cue = cue
            if not frame.sources or frame.sources[0].lower_ in _SPEAKER_PRONOUNS:
                continue
            if _child(tok, "ccomp") is None:
                # without a clause, only a quotation's inverted frame: '"Who knows?" Graham asked.'
                if frame.content is None and _speaks_quotation_before(tok, frame, sent):
                    frame.retro = frame.inverted = True
                elif not (frame.content is not None and _quoted(sent, frame.content)):
                    continue
            frames.append(frame)
            continue
        # "as saying" belongs to its cite/quote verb; "citing X" belongs to the verb it modifies.
        if lemma == "say" and tok.head.lower_ == "as" and tok.head.head.lemma_.lower() in RELAY_VERBS:
            continue
        if lemma in RELAY_VERBS and tok.dep_ == "advcl" and tok.head.lemma_.lower() in REPORTING_VERBS:
            continue
        frame = _verb_frame(tok, sent, lemma)
        if frame is None:
            continue
        if frame.sources and frame.sources[0].lower_ in _SPEAKER_PRONOUNS:
            continue  # "I think", "we believe": inside a quotation, not the report's attribution
        if frame.content is None and not frame.retro and _speaks_quotation_before(tok, frame, sent):
            frame.retro = frame.inverted = True
        if frame.content is None and not frame.retro and frame.sources and _introduces_what_follows(tok, sent):
            frame.forward = True
        frames.append(frame)
    for f in frames:
        if f.content is not None:
            f.content = _close_quote(sent, f.content)
    return [f for f in frames if f is not None and (f.content is not None or f.retro or f.forward)]


def ends_on_colon(sent: Span) -> bool:
    """Whether the sentence's last word is a colon ("He said:", "The New York Times reports:")."""
    words = [t for t in sent if not t.is_space]
    return bool(words) and words[-1].text == ":"


def _introduces_what_follows(verb: Token, sent: Span) -> bool:
    """"He said:" / "The governor added:": a reporting verb heading a sentence that ends on a colon
    right after it (only adverbials between), whose words follow in the next sentence or
    paragraph."""
    if verb.dep_ != "ROOT" or not ends_on_colon(sent):
        return False
    after = [t for t in sent if t.i > verb.i and not t.is_space and t.text != ":"]
    return len(after) <= 4 and all(t.dep_ in {"advmod", "npadvmod", "prep", "pobj", "det", "amod", "compound",
                                              "nummod", "punct", "dative"} for t in after)


def _quoted(sent: Span, rng: tuple[int, int]) -> bool:
    """Whether the token range opens or closes on a quotation mark ('"...," Caddell recalled')."""
    doc = sent.doc
    edges = [doc[rng[0]], doc[rng[1] - 1]]
    if rng[1] < sent.end:
        edges.append(doc[rng[1]])
    if rng[0] > sent.start:
        edges.append(doc[rng[0] - 1])
    return any(t.text in _QUOTES for t in edges)


def _call_frame(verb: Token) -> Frame | None:
    """Stance by "call": "Clinton called half of Trump's supporters 'deplorables'" (an object and
    what it was called), "Trump called for a repeal", "Palmieri called on Trump to stop". A bare
    "called Putin" (a phone call) is no frame. The content is what follows the cue."""
    subj = _child(verb, "nsubj") or _inherited_subject(verb)
    if subj is None or subj.lower_ in _SPEAKER_PRONOUNS:
        return None
    prep = next((c for c in verb.children if c.dep_ in {"prep", "prt"} and c.lower_ in {"for", "on"}
                 and c.i == verb.i + 1), None)
    if prep is not None:
        cue, after = [verb, prep], prep.i
    elif _child(verb, "oprd") is not None:
        cue, after = [verb], verb.i
    else:
        return None
    skip = {t.i for t in subj.subtree}
    content = _trim([t for t in verb.subtree if t.i > after and t.i not in skip])
    return Frame(cue, [subj], content=content, lemma="call")


def _speaks_quotation_before(verb: Token, frame: Frame, sent: Span) -> bool:
    """``"...?" Holmes testified.`` / ``Yes," he assures himself.``: the sentence splitter cut a
    quotation off its inverted frame, so the frame has no content of its own but attributes the
    quotation that closes right before its subject. True when the verb heads the sentence, has
    a subject, and only a few words and a closing quotation mark stand between the sentence
    start (or the mark just before it) and the subject."""
    if verb.dep_ != "ROOT" or not frame.sources or frame.sources[0].i > verb.i:
        return False
    subject = min(t.i for t in frame.sources[0].subtree)
    before = sent.doc[sent.start : subject]
    quote_before = sent.start > 0 and sent.doc[sent.start - 1].text in _CLOSING
    quote_inside = any(t.text in _CLOSING and not _opens_quotation(t) for t in before)
    words = [t for t in before if t.is_alpha]
    return (quote_before and not words) or (quote_inside and len(words) <= 3)


_CLOSING = {'"', "”", "’", "»", "'"}


def _opens_quotation(mark: Token) -> bool:
    """Whether a straight quotation mark opens a quotation: attached to the word after it
    ('"Bryan already asserted ...'), where a closing one follows a word and a space comes after."""
    doc = mark.doc
    return (mark.text in {'"', "'"} and not mark.whitespace_ and mark.i + 1 < len(doc) and doc[mark.i + 1].is_alpha
            and (mark.i == 0 or bool(doc[mark.i - 1].whitespace_) or doc[mark.i - 1].is_space))


def _close_quote(sent: Span, rng: tuple[int, int]) -> tuple[int, int]:
    """Take in the closing quotation mark the parser attached outside the reported clause."""
    doc = sent.doc
    start, end = rng
    opened = sum(doc[i].text in _QUOTES for i in range(start, end)) % 2
    if opened and end < sent.end and doc[end].text in _QUOTES:
        return start, end + 1
    return rng


def _names_speaker(noun: Token) -> bool:
    """Whether the object of "cite" / "quote" without "as saying" is someone who speaks ("citing
    sources in the ministry", "quoting Reuters") rather than what was cited ("citing her work")."""
    return (noun.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or noun.pos_ == "PROPN"
            or noun.lemma_.lower() in ANONYMOUS_HEADS or noun.lemma_.lower() in PUBLICATION_NOUNS)


# Verbs by which "it was ... by X" re-attributes the sentence before ("It was reported by
# Reuters"); "it" with another verb is the thing the sentence is about ("It was first declared by
# President Nixon", the war on drugs).
_RETRO_IT_VERBS = frozenset({"report", "say", "state", "confirm", "announce", "tell", "write"})


def _re_attributes(verb: Token, subjpass: Token) -> bool:
    """Whether a passive frame with a pronoun subject ("this", "that", "it") speaks of the sentence
    before ("This was reported by EADaily"): as the sentence's main verb (not "... why it was
    mentioned by Ivanka Trump", a clause of another frame's content), and for "it" with a verb of
    saying."""
    if verb.dep_ != "ROOT":
        return False
    return subjpass.lower_ != "it" or verb.lemma_.lower() in _RETRO_IT_VERBS


def _verb_frame(verb: Token, sent: Span, lemma: str) -> Frame | None:
    subj = _child(verb, "nsubj")
    subjpass = _child(verb, "nsubjpass")
    agent = _child(verb, "agent")
    agent_obj = _child(agent, "pobj") if agent is not None else None
    frame = Frame([verb], lemma=lemma)
    content_head = _child(verb, "ccomp")

    if lemma in RELAY_VERBS:
        obj = _child(verb, "dobj")
        as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        saying = _child(as_prep, "pcomp") if as_prep is not None else None
        if saying is not None:
            content_head = _child(saying, "ccomp") or content_head
        if saying is None and obj is not None and not _names_speaker(obj):
            obj = None  # "Clinton cited derogatory comments": what is cited, not who
        source = subj or agent_obj or _inherited_subject(verb)
        frame.sources = [s for s in (source, obj) if s is not None]
    else:
        source = agent_obj if agent_obj is not None else subj
        if source is None and subjpass is None:
            source = _inherited_subject(verb)
        frame.sources = [source] if source is not None else []
        for c in verb.children:  # "reported, citing sources in ..."
            if c.dep_ == "advcl" and c.lemma_.lower() in RELAY_VERBS:
                cited = _child(c, "dobj")
                if cited is not None and _names_speaker(cited):  # not "..., citing her work"
                    frame.sources.append(cited)
        if lemma == "tell":
            frame.recipient = _child(verb, "dative") or _child(verb, "dobj")
    frame.agentless = not frame.sources

    if content_head is not None:
        frame.content = _trim(list(content_head.subtree))
    elif subjpass is not None and subjpass.lower_ in {"this", "that", "it"} and _child(verb, "xcomp") is None:
        frame.retro = _re_attributes(verb, subjpass)  # otherwise no frame: "it" is what was done
    elif subjpass is not None and _child(verb, "xcomp") is not None:  # "X is said to have ..."
        frame.content = _trim(list(sent))
        frame.agentless = agent_obj is None
    elif lemma in OBJECT_CONTENT_VERBS and _child(verb, "dobj") is not None:
        frame.content = _trim([t for t in verb.subtree if t.i > verb.i])
    elif verb.dep_ in {"parataxis", "advcl"} or (verb.dep_ == "ROOT" and _child(verb, "dobj") is None):
        frame_toks = {t.i for t in verb.subtree} if verb.dep_ != "ROOT" else _root_frame_block(verb)
        frame.content = _rest_of_sentence(sent, frame_toks)
        if frame.content is not None and frame.content[1] - frame.content[0] < 3:
            frame.content = None
    return frame
