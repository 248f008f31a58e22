"""How sure sitrep is that an extracted event is a real event of its type, and why.

The extractor opens a frame on any trigger word ("beat", "hit", "battle"), which on curated
conflict text is nearly always right and on ordinary news is mostly wrong: "Wales beat Hungary",
"the dollar hit its highest level", "a long battle with cancer". This module scores each event
the way an analyst screens a candidate row, with every step written down as a reason:

* the sense of the trigger: a labour strike, shooting a film, a death with no violent cause, an
  injury nobody inflicted, "storming to victory", a verbal attack between politicians;
* the arguments: a political-violence event needs a plausible actor (forces, armed groups,
  states, people) or victim (people, forces, places, vehicles) and no implausible one (an
  abstract noun, an animal, a body part, an earthquake);
* the context: sport, market, entertainment or technology vocabulary in the sentence and across
  the article, against conflict vocabulary; scores such as "2-0";
* the reading: an event dated years before the report (history), planned, hypothetical,
  threatened or denied, or inside a quotation.

Pure functions of the ``Event``, the spaCy ``Doc`` of its article and the article itself; the
score is additive from a base, clipped to [0, 1], so each reason carries its signed weight.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sitrep.events import ontology
from sitrep.events.lexicon import (
    ANIMALS, ARMED_NOUNS, BODY_PARTS, CONFLICT_ABSTRACTS, CONFLICT_WORDS, CRIMINAL_CASE_CUES,
    DOMAIN_WORDS, FIGURATIVE_ACTORS, FIGURATIVE_TARGETS, FILMING_CUES, GROUPING_NOUNS, HUMAN_NOUNS,
    LABOUR_STRIKE_CUES, NATURAL_AGENTS, NON_ARMED_BATTLE_MODIFIERS, PEOPLE_COUNTS, PHYSICAL_TARGETS,
    QUALIFIED_HEADS, VIOLENT_DEATH_CUES,
)
from sitrep.model import Article, Event

# Events below this confidence are left out of the default ACLED export and map. Chosen with
# bench/sweep_confidence.py: 0.5 is the highest threshold at which ACLED Middle East event_type
# accuracy does not drop (0.708 against 0.707 unfiltered; UCDP "violent event found" 0.595
# against 0.596), and it leaves 0.78 political-violence events per 100 ordinary BBC articles
# (60.1 unfiltered); at 0.55 ACLED falls to 0.692. Figures: bench/RESULTS.md, issue 16.
MIN_CONFIDENCE = 0.5

POLITICAL_VIOLENCE = frozenset({ontology.BATTLES, ontology.VAC, ontology.EXPLOSIONS, ontology.RIOTS})

BASE = 0.6
# Signed weights, one per kind of evidence (see the module docstring).
W_PLAUSIBLE_ACTOR = 0.1
W_PLAUSIBLE_VICTIM = 0.1
W_IMPLAUSIBLE_ACTOR = -0.35
W_IMPLAUSIBLE_TARGET = -0.4
W_NO_ARGUMENTS = -0.1
W_FIGURATIVE = -0.5
W_PERSONS_QUARREL = -0.25
W_SENTENCE_DOMAIN = -0.15  # per domain word in the sentence, at most two
W_SENTENCE_CONFLICT = 0.1
W_ARTICLE_DOMAIN = -0.35
W_NO_ARMED_SIDE = -0.2
W_CRIMINAL_CASE = -0.2
W_ARTICLE_CONFLICT = 0.1
W_HISTORY = -0.3
W_NOT_HAPPENED = -0.3
W_DENIED = -0.25
W_QUOTED = -0.1
W_FURNITURE = -0.5

# An article reads as ordinary news when it uses at least this many words of the sport, market,
# entertainment, technology and science vocabularies together, and fewer than half as many
# conflict words.
ARTICLE_DOMAIN_MIN = 5
ARTICLE_DOMAIN_RATIO = 2
# Below this many tokens (a headline, a coder's one-paragraph note) the article-level reading
# is not used: such a text has no topic apart from its event.
ARTICLE_MIN_TOKENS = 100
HISTORY_YEARS = 2
QUOTATION_MIN_WORDS = 4

_SCORE = re.compile(r"(?<![\d.,/-])\d{1,3}-\d{1,3}(?![\d.,/-]|\s*(?:year|month|day|week|hour|minute|km|mile|metre|meter))")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# "in the 14th Century", "18th-century": a century is history whatever the report's year.
_CENTURY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)[ -][Cc]entur(?:y|ies)\b")
_HUMAN_PRONOUNS = {"he", "she", "him", "her", "they", "them", "we", "us", "i", "me", "you", "himself", "herself", "themselves"}


@dataclass(frozen=True)
class ArticleContext:
    """Word counts of one article per domain, computed once for all its events."""

    domains: dict[str, int]
    conflict: int
    tokens: int = 0

    def ordinary(self) -> int:
        """Words of all the ordinary-news vocabularies together."""
        return sum(self.domains.values())

    def describe(self) -> str:
        parts = [f"{n} {d}" for d, n in sorted(self.domains.items(), key=lambda kv: -kv[1]) if n]
        return ", ".join(parts[:3])


def _words(tokens) -> Iterable[str]:
    for t in tokens:
        if t.is_alpha or "-" in t.text:
            yield t.lower_
            lemma = t.lemma_.lower()
            if lemma != t.lower_:
                yield lemma


# Every word either vocabulary holds: most tokens are in neither, and are passed over on one
# look-up (the article's context reads every token of every report).
_ANY_VOCABULARY: frozenset[str] = frozenset(CONFLICT_WORDS).union(*DOMAIN_WORDS.values())


def _domain_hits(tokens) -> tuple[dict[str, list[str]], list[str]]:
    """Words of each domain vocabulary and of the conflict vocabulary among ``tokens``."""
    domains: dict[str, list[str]] = {d: [] for d in DOMAIN_WORDS}
    conflict: list[str] = []
    for t in tokens:
        lower = t.lower_
        lemma = t.lemma_.lower()
        if lower not in _ANY_VOCABULARY and lemma not in _ANY_VOCABULARY:
            continue
        forms = {lower, lemma}
        if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and lower not in ("police", "army"):
            continue  # "Arsenal", "Apple", "Hollywood Pictures": names are not vocabulary
        if forms & CONFLICT_WORDS:
            conflict.append(t.lower_)
            continue
        for d, vocab in DOMAIN_WORDS.items():
            if forms & vocab:
                domains[d].append(t.lower_)
                break
    return domains, conflict


def article_context(doc) -> ArticleContext:
    domains, conflict = _domain_hits(doc)
    return ArticleContext({d: len(w) for d, w in domains.items()}, len(conflict), len(doc))


# --------------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------------


def _sentence_of(event: Event, doc):
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if span is None or not len(span):
        return None, None
    return span.root, span.root.sent


def _argument_span(text: str | None, sent, trigger_char: int):
    """The occurrence of an argument's text in the trigger's sentence nearest the trigger."""
    if not text or sent is None:
        return None
    stext = sent.text
    best = None
    for m in re.finditer(re.escape(text), stext):
        dist = abs(sent.start_char + m.start() - trigger_char)
        if best is None or dist < best[0]:
            best = (dist, m.start(), m.end())
    if best is None:
        return None
    return sent.doc.char_span(sent.start_char + best[1], sent.start_char + best[2], alignment_mode="expand")


def argument_class(text: str | None, sent, trigger_char: int, role: str = "target") -> str | None:
    """What an actor or target (``role``) is: armed, state, human, physical, organisation,
    natural, animal, body, abstract or unknown (None when there is no argument).

    A common noun is "abstract" only when it is a known figurative argument for its role ("the
    dollar hit", "hit a record"); any other common noun stays "unknown", so an unlisted kind of
    person or thing costs nothing."""
    if not text:
        return None
    from sitrep.events.extract import country_code  # the one home of country words

    span = _argument_span(text, sent, trigger_char)
    if span is None or not len(span):
        if country_code(text):
            return "state"
        words = set(text.lower().split())
        if words & ARMED_NOUNS:
            return "armed"
        return "unknown"
    root = span.root
    if root.lemma_.lower() in GROUPING_NOUNS:  # "a wave of bombings": what the wave is of
        of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((o for o in of.children if o.dep_ == "pobj"), None) if of is not None else None
        if obj is not None:
            span = sent.doc[obj.left_edge.i:obj.i + 1]
            root = obj
    lemmas = {t.lemma_.lower() for t in span} | {t.lower_ for t in span}
    head = {root.lemma_.lower(), root.lower_}
    labels = {t.ent_type_ for t in span if t.ent_type_}
    if root.pos_ == "PRON":
        return "human" if root.lower_ in _HUMAN_PRONOUNS else "unknown"
    if "GROUP" in labels or "EQUIPMENT" in labels or head & ARMED_NOUNS or head & CONFLICT_ABSTRACTS:
        return "armed"
    if head & PEOPLE_COUNTS:
        return "human"
    if head & NATURAL_AGENTS or any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in NATURAL_AGENTS for c in root.lefts):
        return "natural"  # "the earthquake", "the heat wave"
    if head & ANIMALS:
        return "animal"
    if head & BODY_PARTS:
        return "body"
    if head & HUMAN_NOUNS or root.ent_type_ == "PERSON":
        return "human"
    if root.ent_type_ in ("FAC", "FACILITY", "LOC") or head & PHYSICAL_TARGETS:
        return "physical"
    if root.ent_type_ in ("GPE", "NORP") or country_code(root.text):
        return "state"
    if root.ent_type_ == "ORG":
        return "armed" if lemmas & ARMED_NOUNS else "organisation"
    if root.ent_type_ in ("CARDINAL", "QUANTITY") or root.like_num:
        return "human"  # "killed 12", "wounded 1,000": a count of people
    # (not WORK_OF_ART, PRODUCT, EVENT, LAW: the small model gives those to unfamiliar place names)
    if root.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
        return "abstract"
    if root.pos_ == "NOUN":
        figurative = FIGURATIVE_ACTORS if role == "actor" else FIGURATIVE_TARGETS
        if head & figurative:
            return "abstract"
    return "unknown"


PLAUSIBLE_ACTORS = {"armed", "state", "human"}
IMPLAUSIBLE_ACTORS = {"natural", "animal", "abstract", "body"}
PLAUSIBLE_VICTIMS = {"human", "armed", "physical", "state"}
IMPLAUSIBLE_TARGETS = {"abstract", "animal", "body", "natural"}
KIND_NAMES = {
    "abstract": "an abstract or common noun", "animal": "an animal", "body": "a body part",
    "natural": "a natural cause (nature, illness, accident)",
}


# --------------------------------------------------------------------------------------------
# The sense of the trigger
# --------------------------------------------------------------------------------------------


def _figurative_sense(event: Event, tok, sent, actor_cls, target_cls, sent_words: set[str]) -> str | None:
    """A reason when the trigger is used in a sense that is not violence, else None."""
    doc = sent.doc
    near_words = sent_words | (set(_words(doc[sent.start - 1].sent)) if sent.start > 0 else set())
    near_words |= set(_words(doc[sent.end].sent)) if sent.end < len(doc) else set()
    lemma = tok.lemma_.lower()
    word = event.trigger.text.lower()
    kids = {c.lower_ for c in tok.children}
    if tok.pos_ == "NOUN" and tok.dep_ == "compound" and tok.head.lemma_.lower() in QUALIFIED_HEADS:
        return f"'{event.trigger.text}' only qualifies '{tok.head.text}' (as in riot police, death penalty)"
    if lemma == "strike":
        before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
        labour = bool(near_words & LABOUR_STRIKE_CUES) and not armed_named_strict(sent_words)
        if (tok.pos_ == "NOUN" or tok.dep_ == "amod") and (labour or before == "on") or (tok.pos_ == "VERB" and labour and actor_cls != "armed"):
            return "a labour strike, not an attack"
    for c in tok.children:  # "bombarded the minister with requests"
        if c.dep_ == "prep" and c.lower_ == "with":
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in GROUPING_NOUNS:
                obj = next((o for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), obj)
            if obj is not None and {obj.lemma_.lower(), obj.lower_} & FIGURATIVE_TARGETS:
                return f"'{event.trigger.text}' with {obj.text}: words, not weapons"
    if lemma in ("shoot", "shot", "shooting") and sent_words & FILMING_CUES and not sent_words & VIOLENT_DEATH_CUES - {"shot", "shooting"}:
        return f"'{event.trigger.text}' is filming here"
    # The harm may be told in the sentence before or after: "fired live bullets at two men. Both
    # were injured.", "was severely beaten by a man. She had to be hospitalised."
    harm_named = bool(near_words & (VIOLENT_DEATH_CUES | ARMED_NOUNS | CONFLICT_ABSTRACTS))
    if lemma == "death" and not event.actor and not harm_named:
        return "a death with no violent cause named"
    if lemma in ("injure", "wound") and actor_cls != "armed" and not harm_named:
        return "an injury with no violence named"
    armed_here = armed_named_strict(sent_words) or _acronym_side(sent) or any(t.ent_type_ in ("GROUP", "EQUIPMENT") for t in sent)
    if lemma == "target" and actor_cls != "armed" and target_cls not in ("human", "armed", "physical") and not harm_named and not armed_here:
        return "'target' as in aiming at, with no force, weapon or harm named"
    if lemma in ("battle", "fight", "fighting", "clash") or (lemma == "attack" and tok.pos_ == "NOUN"):
        mods = {c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod")}
        if mods & NON_ARMED_BATTLE_MODIFIERS:
            return f"a {' '.join(sorted(mods & NON_ARMED_BATTLE_MODIFIERS))} {word}, not an armed one"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "against"):
                obj = next((o for o in c.children if o.dep_ == "pobj"), None)
                if obj is not None and ({obj.lemma_.lower(), obj.lower_} & (NATURAL_AGENTS | FIGURATIVE_TARGETS)):
                    return f"a {word} {c.lower_} {obj.text}, not an armed one"
    if lemma in ("demonstrate", "rally") and tok.pos_ == "VERB" and any(c.dep_ == "dobj" for c in tok.children):
        return f"'{event.trigger.text}' with an object: showing or gathering something, not a protest"
    if lemma == "threat" and tok.dep_ == "pobj" and tok.head.lower_ == "under":
        return "'under threat of': a condition, not a threat someone made"
    if lemma == "warn" and any(c.dep_ == "prep" and c.lower_ in ("about", "of") for c in tok.children) and not harm_named_strict(sent_words):
        return f"'{event.trigger.text}' about or of something: a caution, not a threat"
    if event.type in ("withdraw", "deploy") and actor_cls == "abstract":
        return f"'{event.trigger.text}' of {event.actor}: not a movement of forces"
    if lemma == "storm" and (kids & {"to", "into", "ahead", "off", "out", "back"}) and target_cls not in ("physical",):
        return f"'{event.trigger.text}' as in storming ahead or off, not storming a place"
    if lemma in ("beat", "beating") and actor_cls not in (None, "armed", "state") and not harm_named and not _to_death(tok):
        return "'beat' with no force or harm named: a win, not an assault"
    if lemma in ("hit", "strike") and tok.pos_ == "VERB" and actor_cls == "human" and not harm_named and not armed_here:
        return f"'{word}' by a person with no weapon, force or harm named"
    if lemma in ("beat", "beating") and (actor_cls in ("state", "organisation") or target_cls in ("state", "organisation")) and not armed_named_strict(sent_words):
        return "'beat' between teams or states: a win, not an assault"
    if (lemma in ("battle", "fight", "fighting", "clash") and _for_something(tok)
            and target_cls not in ("physical", "armed") and not sent_words & ARMED_NOUNS):
        return f"a '{word}' for or over something, with no armed side named"
    if (lemma in ("attack", "hit", "target", "blast", "slam") and tok.pos_ == "VERB" and actor_cls == "human"
            and target_cls != "physical" and not sent_words & (VIOLENT_DEATH_CUES | ARMED_NOUNS)):
        return "a person attacking a person or idea with words: no weapon, force or harm named"
    return None


# --------------------------------------------------------------------------------------------
# The scorer
# --------------------------------------------------------------------------------------------


def _natural_subject(tok) -> bool:
    """Whether the trigger's grammatical subject (through "that"/"which", and through "an outbreak
    of X") is a disease, a disaster or an accident."""
    from sitrep.events.syntax import _antecedent, _child

    subj = _child(tok, "nsubj")
    if subj is None:
        return False
    subj = _antecedent(subj)
    heads = [subj] + [o for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    for h in heads:
        words = {h.lemma_.lower(), h.lower_} | {c.lemma_.lower() for c in h.lefts if c.dep_ in ("compound", "amod")}
        if words & NATURAL_AGENTS:
            return True
    return False


def _to_death(tok) -> bool:
    """"beaten to death", "beat him up": the literal sense."""
    return any(c.lower_ in ("up", "unconscious") or (c.lower_ == "to" and any(o.lower_ == "death" for o in c.children)) for c in tok.children)


def _for_something(tok) -> bool:
    """A battle "for" or "over" something that is not a place ("for control", "over pay")."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("for", "over"):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is None or obj.ent_type_ in ("GPE", "LOC", "FAC", "FACILITY") or obj.lemma_.lower() in PHYSICAL_TARGETS:
                continue
            return True
    return False


def _acronym_side(sent) -> bool:
    """Whether a sentence names an upper-case acronym that is not a country ("QSD", "AAS", "IS"):
    conflict reporting names most armed groups that way."""
    from sitrep.events.extract import country_code

    return any(t.is_upper and len(t.text) >= 2 and t.pos_ == "PROPN" and not country_code(t.text) for t in sent)


def harm_named_strict(words: set[str]) -> bool:
    """Whether a sentence names forces, weapons or killing (what makes a warning a threat)."""
    return armed_named_strict(words) or bool(words & VIOLENT_DEATH_CUES)


def armed_named_strict(words: set[str]) -> bool:
    """Whether a sentence names forces or armed groups (not just police)."""
    return bool(words & (ARMED_NOUNS - {"police", "policeman", "policemen", "officer", "guard", "gang", "gun", "crowd", "mob"}))


def _in_quotation(sent, tok) -> bool:
    """Whether the trigger sits inside a quotation of its paragraph: between quotation marks
    that hold at least ``QUOTATION_MIN_WORDS`` words (a shorter stretch is a scare quote, as in
    headlines: coalition "strikes" IS gathering)."""
    from sitrep.events.syntax import _doc_text  # the document's text, joined once

    text = _doc_text(sent.doc)
    para_start = text.rfind("\n", 0, tok.idx) + 1
    para_end = text.find("\n", tok.idx)
    para_end = len(text) if para_end < 0 else para_end
    opened = None
    for i in range(para_start, tok.idx):
        ch = text[i]
        if ch == "\u201c" or (ch == '"' and opened is None):
            opened = i
        elif ch == "\u201d" or ch == '"':
            opened = None
    if opened is None:
        return False
    close = min((j for j in (text.find("\u201d", tok.idx, para_end), text.find('"', tok.idx, para_end)) if j >= 0), default=para_end)
    return len(text[opened + 1:close].split()) >= QUOTATION_MIN_WORDS


# How far before the first and after the last " | " of a headline run a trigger still belongs to
# it: about one headline (the 100 real pages' runs are 40–80 characters a headline).
FURNITURE_REACH = 90
_LINK_TAG = re.compile(r"\[[A-Z][A-Z ]{2,}\]\s*\|?\s*$")


def _furniture_line(sent, tok) -> bool:
    """Whether the trigger's line is page furniture: a related-links headline tagged like
    "China furious at Macron [INSIGHT]", or a run of headlines joined by " | ". The report's
    own sentences carry neither."""
    from sitrep.events.syntax import _doc_text

    text = _doc_text(sent.doc)
    lo = text.rfind("\n", 0, tok.idx) + 1
    hi = text.find("\n", tok.idx)
    line = text[lo:len(text) if hi < 0 else hi]
    if _LINK_TAG.search(line.strip()):
        return True
    if line.count(" | ") < 2:
        return False
    # A run of headlines inside a paragraph: the trigger must sit in or beside the run.
    at = tok.idx - lo
    first, last = line.find(" | "), line.rfind(" | ")
    return first - FURNITURE_REACH <= at <= last + FURNITURE_REACH


def score_event(event: Event, doc, article: Article | None = None, context: ArticleContext | None = None) -> tuple[float, list[str]]:
    """(confidence in [0, 1], reasons) for one event of ``doc``'s article."""
    tok, sent = _sentence_of(event, doc)
    if tok is None:
        return BASE, [f"{BASE:.2f} base; trigger not found in the parse"]
    context = context or article_context(doc)
    violent = event.acled_event_type in POLITICAL_VIOLENCE
    evidence: list[tuple[float, str]] = []
    actor_cls = argument_class(event.actor, sent, event.trigger.start, "actor")
    target_cls = argument_class(event.target, sent, event.trigger.start, "target")
    # The trigger is not evidence about itself ("strike" is also an armed noun).
    sent_words = set(_words(t for t in sent if not (event.trigger.start <= t.idx < event.trigger.end)))

    figurative = _figurative_sense(event, tok, sent, actor_cls, target_cls, sent_words)
    if figurative:
        evidence.append((W_FIGURATIVE, figurative))

    natural_here = bool(sent_words & NATURAL_AGENTS) and not armed_named_strict(sent_words) and not sent_words & VIOLENT_DEATH_CUES
    if violent and actor_cls is None and (_natural_subject(tok) or natural_here):
        actor_cls = "natural"  # "the Black Death pandemic that killed ...", "an outbreak of plague killed"
        evidence.append((W_IMPLAUSIBLE_ACTOR, f"what did it is {KIND_NAMES['natural']}, not a force, group, state or person"))
    elif violent:
        if actor_cls in IMPLAUSIBLE_ACTORS:
            evidence.append((W_IMPLAUSIBLE_ACTOR, f"actor '{event.actor}' is {KIND_NAMES[actor_cls]}, not a force, group, state or person"))
        if target_cls in IMPLAUSIBLE_TARGETS:
            evidence.append((W_IMPLAUSIBLE_TARGET, f"target '{event.target}' is {KIND_NAMES[target_cls]}, not a person, force, place or vehicle"))
        if actor_cls in PLAUSIBLE_ACTORS:
            evidence.append((W_PLAUSIBLE_ACTOR, f"plausible actor ({actor_cls})"))
        if target_cls in PLAUSIBLE_VICTIMS:
            evidence.append((W_PLAUSIBLE_VICTIM, f"plausible target ({target_cls})"))
        if actor_cls is None and target_cls is None:
            evidence.append((W_NO_ARGUMENTS, "no actor or target"))
        armed_named = (
            bool(sent_words & (ARMED_NOUNS | CONFLICT_WORDS)) or any(t.ent_type_ in ("GROUP", "EQUIPMENT") for t in sent)
            or _acronym_side(sent)
        )
        sides = {actor_cls, target_cls} - {None}
        if event.type == "clash" and sides and "armed" not in sides and not armed_named:
            evidence.append((W_NO_ARMED_SIDE, "a clash of sides none of which is armed, with no conflict word in its sentence"))
        if (
            event.acled_event_type == ontology.BATTLES and actor_cls == "human" and target_cls == "human"
            and not sent_words & ARMED_NOUNS and not sent_words & VIOLENT_DEATH_CUES
        ):
            evidence.append((W_PERSONS_QUARREL, "two persons with no arms or harm named: a quarrel, not a battle"))
        if actor_cls not in ("armed", "state") and sent_words & CRIMINAL_CASE_CUES and not armed_named_strict(sent_words):
            shown = ", ".join(sorted(sent_words & CRIMINAL_CASE_CUES)[:3])
            evidence.append((W_CRIMINAL_CASE, f"an ordinary criminal case ({shown}), not political violence"))

    # Context: the sentence, then the article.
    # The trigger itself ("killed", "bombed") is not context for itself.
    domains, conflict = _domain_hits(t for t in sent if not (event.trigger.start <= t.idx < event.trigger.end))
    if _SCORE.search(sent.text):
        domains["sport"].append("a score")
    top = max(domains, key=lambda d: len(domains[d]))
    if not violent:
        pass  # a protest about prices or a deal about shares is still a protest or a deal
    elif domains[top] and not conflict:
        n = min(len(domains[top]), 2)
        shown = ", ".join(f"'{w}'" for w in domains[top][:3])
        evidence.append((W_SENTENCE_DOMAIN * n, f"sentence reads as {top} ({shown})"))
    elif conflict:
        evidence.append((W_SENTENCE_CONFLICT, f"sentence names conflict or security ({', '.join(conflict[:3])})"))
    count = context.ordinary()
    if context.tokens < ARTICLE_MIN_TOKENS:
        pass  # a headline or a coder's note has no topic of its own to read
    elif count >= ARTICLE_DOMAIN_MIN and context.conflict * ARTICLE_DOMAIN_RATIO < count:
        evidence.append((W_ARTICLE_DOMAIN, f"article reads as ordinary news ({context.describe()} words against {context.conflict} conflict words)"))
    elif context.conflict >= 3 and context.conflict >= count:
        evidence.append((W_ARTICLE_CONFLICT, f"article is about conflict or security ({context.conflict} conflict words)"))

    # The reading: when, whether it happened, whose words.
    published = article.published if article is not None else None
    if (
        published is not None and event.time is not None and event.time.text and event.time.end is not None
        and event.time.start is not None and event.time.start.year >= 1800  # "kill 44" is no year
        and event.time.end < published.start - timedelta(days=365 * HISTORY_YEARS)
    ):
        evidence.append((W_HISTORY, f"history: dated {event.time.text}, years before the report"))
    elif published is not None and (event.time is None or not event.time.text):
        old = [int(y) for y in _YEAR.findall(sent.text) if int(y) <= published.start.year - HISTORY_YEARS]
        old += [100 * (int(c) - 1) for c in _CENTURY.findall(sent.text) if 100 * int(c) < published.start.year - HISTORY_YEARS]
        if old:
            evidence.append((W_HISTORY, f"history: its sentence names {old[0]}, years before the report"))
    if event.status in ("planned", "hypothetical", "threatened"):
        evidence.append((W_NOT_HAPPENED, f"not (yet) happened: {event.status}"))
    elif event.status == "denied":
        evidence.append((W_DENIED, "denied"))
    if _in_quotation(sent, tok):
        evidence.append((W_QUOTED, "inside a quotation"))
    if context.tokens >= ARTICLE_MIN_TOKENS and _furniture_line(sent, tok):
        evidence.append((W_FURNITURE, "on a line of page furniture (related links, a headline list), not the report"))

    score = BASE + sum(d for d, _ in evidence)
    score = round(min(1.0, max(0.0, score)), 2)
    reasons = [f"{BASE:.2f} base"] + [f"{d:+.2f} {r}" for d, r in evidence]
    return score, reasons


def score_events(events: list[Event], doc, article: Article | None = None) -> None:
    """Fill ``confidence`` and ``confidence_reasons`` on every event of one article."""
    if not events:
        return
    context = article_context(doc)
    for event in events:
        event.confidence, event.confidence_reasons = score_event(event, doc, article, context)


def is_confident(event: Event, threshold: float = MIN_CONFIDENCE) -> bool:
    """Whether an event passes ``threshold`` (events never scored count as passing)."""
    return event.confidence is None or event.confidence >= threshold
