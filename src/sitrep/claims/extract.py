"""From attribution frames to ``Claim`` records with their sourcing chains.

Each sentence yields either the claims of its frames (the reported content, attributed along a
chain outlet → intermediate publications → origin) or, when nothing in it is attributed, one claim
in the outlet's own voice. Discourse rules follow how reports are written:

* a demonstrative frame ("This was reported by EADaily, citing ...") re-attributes the sentence
  before it, and an inverted frame the splitter cut off its quotation ('"...?" Holmes
  testified.') attributes the quotation just before it;
* an unattributed sentence in the same paragraph as an attributed one continues that attribution,
  and keeps X's cue, when it goes on quoting X, is the sentence "X said:" introduces or is in a
  paragraph relayed "According to X, ..."; the writer's plain sentences stay the writer's
  (``_withdraw_plain``);
* a quotation goes on in the next paragraph with its speaker when the paragraph before ended
  inside the quotation or on a colon, or when the new paragraph opens with a quotation mark and
  names no speaker of its own: the speaker holds until another attribution;
* a paragraph that opens a quotation and names its speaker only in a later sentence credits the
  quotation's earlier sentences to that speaker.

Frames nested in another frame's content ("The Times reported that White had warned ...") extend
the outer frame's chain. A claim is hedged by a modal or evidential cue of its own clause.
Page furniture (``furniture``) yields no claim, and neither does a note on why a source goes
unnamed ("The officials spoke on condition of anonymity.").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from sitrep.claims.frames import Frame, ends_on_colon, frames_in
from sitrep.claims.furniture import asks_or_bids, furniture_sentences, words_end
from sitrep.claims.hedging import frame_hedged, hedged
from sitrep.claims.lexicon import DENIAL_VERBS
from sitrep.claims.sources import Source, SourceMemory, describe_source
from sitrep.model import Article, Claim, Cue, SourceHop
from sitrep.vocab import SourceKind


@dataclass
class _Attribution:
    chain: list[SourceHop]
    cue: Cue | None
    named: bool
    hedged: bool
    carried: bool = False  # continues an attribution made earlier, not a frame of its own
    # runs on into the writer's plain sentences after it: "According to X, ..." (the writer
    # flags the paragraph as relayed)
    runs_on: bool = False
    introduces: int | None = None  # the sentence a frame "He said:" introduces (its number)


def _outlet_hop(article: Article) -> SourceHop:
    return SourceHop(article.outlet or "unknown outlet", SourceKind.OUTLET)


def _is_statement(sent: Span) -> bool:
    """Sentences worth a claim: a verb and a few words (not a byline, link or share button)."""
    words = [t for t in sent if t.is_alpha]
    return len(words) >= 4 and any(t.pos_ in {"VERB", "AUX"} for t in sent)


# Why a source goes unnamed ("The officials spoke on condition of anonymity", "He declined to be
# identified", "... was not authorised to speak publicly"): a note on the sourcing, which the chain
# already carries as an anonymous hop, not a statement about the world.
_SOURCING_NOTE = re.compile(
    r"\b(?:on (?:the )?condition (?:of|that) (?:anonymity|(?:he|she|they|his|her|their)\b[^.]{0,30}\b(?:named|identified))"
    r"|(?:declined|refused|asked not|wished not) to be (?:named|identified)"
    r"|(?:not|n[’']t) (?:authori[sz]ed|permitted|allowed|cleared) to (?:speak|talk|comment|discuss|brief))\b",
    re.I,
)
# That the source said nothing ("The Pentagon did not respond to a request for comment", "He declined
# to comment", "could not be reached for comment"): also a note on the sourcing. It is no claim in
# the outlet's voice, and its verb is no cue of a claim by the source (the tagger read "Pentagon |
# did not respond to | a request for comment" as one, counted in the demo's story as 4 reports / 2
# origins).
_NO_COMMENT = re.compile(
    r"\b(?:(?:did|does|do|has|have|had|could|would)\s*(?:not|n[’']t)\s+(?:immediately\s+)?(?:respond|reply|return)\w*"
    r"\b[^.]{0,40}?\b(?:requests?|calls?|messages?|e-?mails?|inquir(?:y|ies))\b[^.]{0,25}?\bcomment\w*"
    r"|(?:declined|refused)\s+(?:immediately\s+)?to\s+comment"
    r"|(?:could|can)\s*(?:not|n[’']t)\s+be\s+(?:immediately\s+)?reached\s+for\s+comment)\b",
    re.I,
)
# Longer sentences carry more than the note ("X, who spoke on condition of anonymity, said the base
# was hit" has a frame and is read as one); a note alone is short.
_SOURCING_NOTE_WORDS = 20


def _is_sourcing_note(sent: Span) -> bool:
    """A sentence, with no attribution frame of its own, that only says why its source is unnamed."""
    return sum(t.is_alpha for t in sent) <= _SOURCING_NOTE_WORDS and (
        _SOURCING_NOTE.search(sent.text) is not None or _NO_COMMENT.search(sent.text) is not None)


def no_comment_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` says a source did not comment: no learned cue may lie there."""
    return [m.span() for m in _NO_COMMENT.finditer(text)]


def after_quotation(sent: Span) -> bool:
    """A short sentence right after a closing quotation mark: maybe its cut-off frame
    ('"..." Holmes testified.'), worth reading for one though it is no statement itself."""
    return sent.start > 0 and sent.doc[sent.start - 1].text in {'"', "”", "’", "»"}


def _depth(frame: Frame, frames: list[Frame]) -> int:
    return sum(1 for g in frames if g is not frame and _contains(g, frame))


def _contains(outer: Frame, inner: Frame) -> bool:
    if outer.content is None:
        return False
    return outer.content[0] <= inner.anchor.i < outer.content[1] and not (
        inner.content is not None and inner.content == outer.content
    )


def _attach(chain: list[SourceHop], src: Source, outlet: SourceHop) -> list[SourceHop]:
    """Append ``src`` to ``chain``; a remembered source at the top level brings its own chain."""
    if src.chain and len(chain) == 1:
        return [outlet] + [h for h in src.chain[1:]]
    if chain and chain[-1].name.lower() == src.hop.name.lower():
        return chain
    return chain + [src.hop]


def _resolve(frame: Frame, prefix: list[SourceHop], memory: SourceMemory, outlet: SourceHop) -> tuple[list[SourceHop], bool]:
    chain = list(prefix)
    named = len(prefix) == 1 and outlet.name != "unknown outlet" or (len(prefix) > 1)
    if frame.recipient is not None:
        rec = describe_source(frame.recipient, memory, frame.lemma)
        if rec is not None and rec.hop.kind == "publication":
            chain = _attach(chain, rec, outlet)
            memory.push(Source(rec.hop, list(chain), rec.named, rec.head_lemma, rec.plural))
    for head in frame.sources:
        src = describe_source(head, memory, frame.lemma)
        if src is None:
            named = True
            continue
        chain = _attach(chain, src, outlet)
        named = src.named
        memory.push(Source(src.hop, list(chain), src.named, src.head_lemma, src.plural))
    if frame.agentless and len(chain) == len(prefix):
        named = False
    return chain, named


def _denied(tokens: list, frame: Frame | None) -> bool:
    if frame is not None and frame.lemma in DENIAL_VERBS:
        return True
    return any(t.lemma_.lower() in DENIAL_VERBS and t.pos_ == "VERB" for t in tokens)


def _cue(frame: Frame, text: str) -> Cue:
    first, last = frame.cue[0], frame.cue[-1]
    return Cue(text[first.idx : last.idx + len(last.text)], first.idx, last.idx + len(last.text))


def _char_range(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    first, last = doc[rng[0]], doc[rng[1] - 1]
    return first.idx, last.idx + len(last.text)


OPENING_QUOTES = {'"', "“", "‘", "«"}


def quote_open(paragraph: str) -> bool:
    """Whether a paragraph ends inside a quotation: news style leaves a quote that runs on into
    the next paragraph unclosed."""
    curly = paragraph.count("“") - paragraph.count("”")
    return curly > 0 or (curly == 0 and paragraph.count('"') % 2 == 1)


def _quoted(sent: Span, text: str, paragraph_start: int) -> bool:
    """Whether ``sent`` is (part of) a quotation: it holds a double quotation mark or follows an
    open one in its paragraph."""
    return any(ch in sent.text for ch in '"“”«»') or quote_open(text[paragraph_start : sent.start_char])


def _inside_quotation(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` is inside a quotation opened in ``text[start:pos]``, by the last quotation
    mark before it: an opening one (curly, or straight with a space or nothing before it and a
    word after it) or a closing one. Counting marks would not do where a feed ran paragraphs
    together: the mark that reopened a quotation in the next paragraph leaves the count even."""
    k = max(text.rfind(mark, start, pos) for mark in '"“”«»')
    if k < 0:
        return False
    if text[k] in "“«":
        return True
    if text[k] in "”»":
        return False
    before = text[k - 1] if k > start else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _within_quotation(sent: Span, text: str, paragraph_start: int) -> bool:
    """Whether ``sent`` speaks inside a quotation: it opens with a quotation mark, starts inside
    one opened before it in its paragraph, or ends on the closing mark of one. A sentence that
    only holds a quoted phrase (a name, a scare quote: 'A "refund processor" was supposed to
    ...') is the writer's."""
    if text[sent.start_char : sent.start_char + 1] in OPENING_QUOTES or _inside_quotation(text, paragraph_start, sent.start_char):
        return True
    words = sent.text.rstrip()
    return (words.endswith("”") and "“" not in words) or (words.endswith('"') and words.count('"') == 1)


def _credit_quotation(found: list, items: list[int], text: str, paragraph_start: int) -> None:
    """'"We believe justice was served. And we are thankful," the family said.': a paragraph that
    opens a quotation and names its speaker only in a later sentence gives that speaker the
    sentences before, as long as they are inside the quotation and nobody else was credited."""
    if text[paragraph_start : paragraph_start + 1] not in OPENING_QUOTES:
        return
    framed = [k for k in items if found[k][2].cue is not None and not found[k][2].carried]
    if not framed:
        return
    first = min(framed, key=lambda k: found[k][0])
    speaker = found[first][2]
    for k in items:
        start, end, attr, denied = found[k]
        if start >= found[first][0] or attr.cue is not None or len(attr.chain) > 1:
            continue
        if quote_open(text[paragraph_start:end]):
            found[k] = (start, end, _Attribution(list(speaker.chain), speaker.cue, speaker.named, attr.hedged,
                                                 carried=True), denied)


def _continues_quotation(previous: str, sent: Span, rest: list, text: str) -> bool:
    """Whether the paragraph starting at ``sent`` goes on quoting the previous one's speaker: the
    previous paragraph ended inside a quotation or on a colon, or this paragraph opens with a
    quotation mark and names no speaker of its own in any sentence (``rest``: this and the
    following sentences with their frames) before the next paragraph."""
    previous = previous.rstrip()
    if not previous:
        return False
    if quote_open(previous) or previous.endswith(":"):
        return True
    if text[sent.start_char : sent.start_char + 1] not in OPENING_QUOTES:
        return False
    end = sent.start_char
    for other, frames in rest:
        if "\n" in text[end : other.start_char]:
            break
        if frames:
            return False
        end = words_end(other)
    return True



def extract_claims(article: Article, doc: Doc, learned: bool = True) -> list[Claim]:
    """Claims of ``article`` read from ``doc`` (the parse of ``article.text``), in text order;
    with ``learned``, the rules' claims combined with the learned tagger's (``learned.combine``)."""
    text = article.text
    outlet = _outlet_hop(article)
    memory = SourceMemory(article.outlet)
    found: list[tuple[int, int, _Attribution, bool]] = []  # start, end, attribution, denied
    prev_sentence: list[int] = []  # indices into ``found`` made from the previous sentence
    adjacent: list[int] = []  # the same, but empty when the sentence just before made no claim
    carry: _Attribution | None = None  # attribution running through the current paragraph
    prev_end = 0
    paragraph_start = 0
    paragraph_items: list[int] = []  # indices into ``found`` made in the current paragraph
    # carried claims of sentences that are the writer's (content and cue span → own voice or None)
    plain: dict[tuple[int, int, int, int], _Attribution | None] = {}
    sents = list(doc.sents)
    furniture = furniture_sentences(sents, text)
    statement = [_is_statement(s) for s in sents]
    readable = [n not in furniture and (statement[n] or after_quotation(s) or ends_on_colon(s))
                for n, s in enumerate(sents)]
    sentences = [(sent, frames_in(sent) if readable[n] else []) for n, sent in enumerate(sents)]
    for n, (sent, frames) in enumerate(sentences):
        if "\n" in text[prev_end : sent.start_char]:
            previous = text[paragraph_start:prev_end]
            _credit_quotation(found, paragraph_items, text, paragraph_start)
            paragraph_start, paragraph_items = sent.start_char, []
            if not _continues_quotation(previous, sent, sentences[n:], text):
                carry = None  # a new paragraph ends the running attribution
        prev_end = words_end(sent)
        if (n in furniture or not statement[n] and not any(f.inverted or f.forward for f in frames)
                or not frames and _is_sourcing_note(sent)):
            adjacent = []
            continue
        this_sentence: list[int] = []
        resolved: dict[int, list[SourceHop]] = {}
        for frame in sorted(frames, key=lambda f: (_depth(f, frames), f.anchor.i)):
            parents = [g for g in frames if id(g) in resolved and _contains(g, frame)]
            parent = min(parents, key=lambda g: g.content[1] - g.content[0]) if parents else None  # type: ignore[index]
            prefix = resolved[id(parent)] if parent is not None else [outlet]
            chain, named = _resolve(frame, prefix, memory, outlet)
            resolved[id(frame)] = chain
            if frame.forward:
                # "He said:" makes no claim of its own: its speaker goes on in what follows (this
                # paragraph, and the next as the previous one ended on a colon)
                carry = _Attribution(list(chain), _cue(frame, text), named, False, introduces=n + 1)
                continue
            if frame.retro:
                # "This was reported by X" re-attributes the sentence before; an inverted frame cut
                # off its quotation ('"..." Holmes testified.') only claims the quotation just
                # before it that nobody else was credited with.
                for k in adjacent if frame.inverted else prev_sentence:
                    s, e, attr, den = found[k]
                    if frame.inverted and len(attr.chain) > 1 and not attr.carried:
                        continue
                    found[k] = (s, e, _Attribution(list(chain), _cue(frame, text), named, attr.hedged), den)
                carry = _Attribution(list(chain), _cue(frame, text), named, False)
                continue
            rng = frame.content if frame.content is not None else (sent.start, sent.end)
            tokens = list(doc[rng[0] : rng[1]])
            attr = _Attribution(chain, _cue(frame, text), named, hedged(tokens + frame.cue, frame, chain))
            start, end = _char_range(doc, rng)
            found.append((start, end, attr, _denied(tokens, frame)))
            this_sentence.append(len(found) - 1)
            paragraph_items.append(len(found) - 1)
            # the sentences that go on with this attribution share its frame's hedge, not its clause's
            carry = _Attribution(chain, attr.cue, named, frame_hedged(frame, chain),
                                 runs_on=frame.lemma == "according to")
        if not frames and carry is None and asks_or_bids(sent) and not _quoted(sent, text, paragraph_start):
            adjacent = []
            continue  # the writer's own question or command asserts nothing
        if not frames:
            tokens = [t for t in sent if not t.is_space]
            rng = (tokens[0].i, tokens[-1].i + 1)
            while rng[1] > rng[0] + 1 and doc[rng[1] - 1].is_punct and doc[rng[1] - 1].text in {".", ";"}:
                rng = (rng[0], rng[1] - 1)
            start, end = _char_range(doc, rng)
            own = _Attribution([outlet], None, article.outlet is not None, hedged(tokens, None, [outlet]))
            if carry is not None:
                attr = _Attribution(list(carry.chain), carry.cue, carry.named,
                                    hedged(tokens, None, carry.chain) or carry.hedged, carried=True)
                if (not (carry.runs_on or carry.introduces == n or _within_quotation(sent, text, paragraph_start))
                        and attr.cue is not None):
                    # the writer's plain sentence: its own voice, or nothing for the writer's own
                    # question (``_withdraw_plain``)
                    plain[(start, end, attr.cue.start, attr.cue.end)] = (
                        None if asks_or_bids(sent) and not _quoted(sent, text, paragraph_start) else own)
            else:
                attr = own
            found.append((start, end, attr, _denied(tokens, None)))
            this_sentence.append(len(found) - 1)
            paragraph_items.append(len(found) - 1)
        prev_sentence = adjacent = this_sentence
    doc.user_data.pop("sitrep_ents", None)  # the entity cache must not outlive this pass
    _credit_quotation(found, paragraph_items, text, paragraph_start)
    found.sort(key=lambda f: (f[0], f[1]))
    claims = []
    for n, (start, end, attr, denied) in enumerate(found, 1):
        claims.append(
            Claim(
                id=f"{article.id}:c{n}",
                article_id=article.id,
                text=text[start:end],
                start=start,
                end=end,
                chain=[SourceHop(h.name, h.kind, h.start, h.end, h.role, h.affiliation) for h in attr.chain],
                cue=attr.cue,
                origin_named=attr.named,
                hedged=attr.hedged,
                denied=denied,
            )
        )
    if learned:
        from sitrep.claims.learned import combine

        claims = combine(article, doc, claims, furniture=furniture, plain=plain, silent=no_comment_spans(text))
    return _withdraw_plain(article, claims, plain)


def _withdraw_plain(article: Article, claims: list[Claim],
                    plain: dict[tuple[int, int, int, int], _Attribution | None]) -> list[Claim]:
    """The claims with the attribution withdrawn from the writer's plain sentences. An attribution
    runs on into a sentence with no frame of its own only inside a quotation (the sentence opens
    with a quotation mark, starts inside one or closes one), as the sentence a frame introduces
    ("He said:" before it) or in a paragraph relayed "According to X"; a sentence after "X said
    ..." that quotes nobody is the writer's. On 225 ordinary BBC articles, where the feed keeps no
    paragraph break after the lead, 46 of the 53 sampled claims carried into a sentence with no
    quotation mark were no attribution of X's ("Bellamy left Newcastle to join Celtic on loan"
    after "Souness ... claiming ..."; bench/eval_claims_ordinary.py).
    The rules carry them all the same until the claims are combined: the tagger was trained on the
    rules' reading with the carried contents marked (``learned.rule_flags``, bit 6), and reads them
    as it was trained to."""
    if not plain:
        return claims
    out = []
    for c in claims:
        key = (c.start, c.end, c.cue.start, c.cue.end) if c.cue is not None else None
        if key is None or key not in plain:
            out.append(c)
            continue
        own = plain[key]
        if own is None:
            continue  # the writer's own question or command asserts nothing
        out.append(replace(c, chain=[replace(h) for h in own.chain], cue=None, origin_named=own.named,
                           hedged=own.hedged))
    return numbered(article, out)


def numbered(article: Article, claims: list[Claim]) -> list[Claim]:
    """``claims`` with ids numbered in their order (``ARTICLE:c1`` …), after some were dropped or added."""
    for n, c in enumerate(claims, 1):
        c.id = f"{article.id}:c{n}"
    return claims
