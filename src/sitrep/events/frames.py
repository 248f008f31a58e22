"""The frame of one trigger: the lexicon entry a token opens (``_match_trigger``), and the actor,
target, theme, equipment and place slots read off the parse around it, named the way an analyst
names them ("Iranian missile strike" → Iran; a state's forces stand for the state)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from sitrep.claims.sources import doc_ents
from sitrep.events import ontology
from sitrep.countries import country_code, country_name
from sitrep.events.countries import _country_modifier
from sitrep.events.ontology import EQUIPMENT_NOUNS, MILITARY_NOUNS, Trigger
from sitrep.events.places import (
    GENERIC_PLACE_HEADS,
    PLACE_NOUNS,
    PLACE_PREPS,
    PLACED_TYPES,
    _is_place,
    _locative_slot,
    _place_bounds,
)
from sitrep.events.syntax import (
    PLACE_LABELS,
    RELATIVE_PRONOUNS,
    _antecedent,
    _child,
    _clause_verb,
    _ent_of,
    _is_verb,
    _np_bounds,
    _prep_objects,
    _subject,
    _text,
)

NAME_LABELS_NOT_TRIGGERS = {"ORG", "GROUP", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "FACILITY", "FAC"}
# Verbs that only carry a noun event ("held a drill", "conducted airstrikes"): their subject
# is the noun event's actor. Verbs whose subject *undergoes* it ("suffered a strike"): target.
LIGHT_VERBS = {
    "hold", "conduct", "launch", "carry", "stage", "organize", "organise", "mount", "perform",
    "make", "begin", "start", "continue", "resume", "intensify", "step", "execute", "lead", "wage",
}
PATIENT_VERBS = {"suffer", "face", "undergo", "endure", "sustain", "survive", "repel", "witness"}
# Nouns that count or group events: "a string of airstrikes", "a wave of protests".
QUANTITY_NOUNS = {"string", "series", "wave", "number", "spate", "round", "barrage", "salvo", "volley", "dozen", "couple", "flurry"}
# Nouns whose "of X" names who acts ("the withdrawal of US forces") rather than the target.
INTRANSITIVE_NOUN_TYPES = {"deploy", "withdraw", "protest", "exercise", "negotiate", "agree", "clash"}
# Verbs that say what protesters are, have or think, not what they do ("demonstrators had no
# option", "protesters said"): with a protester subject they open no protest.
STATIVE_VERBS = {"be", "have", "say", "tell", "need", "want", "know", "think", "feel", "seem", "get", "believe", "hope", "fear"}
# Counts and groups that stand for the people they count: "hundreds of protesters".
GROUP_COUNT_NOUNS = {"hundred", "hundreds", "dozen", "dozens", "thousand", "thousands", "group", "crowd", "scores", "number"}
# What is fired in "opened fire", "exchanged fire": the act, not a target.
FIRE_WORDS = {"fire", "gunfire", "shot", "shots"}
FORCE_HEADS = MILITARY_NOUNS | {"military", "army", "navy", "coalition", "contingent", "official", "officials"}


@dataclass
class _Frame:
    tok: Token
    trigger: Trigger
    subtype: str | None
    start: int
    end: int
    # spaCy tokens (or spans) of the frame's arguments
    actor: Any = None
    target: Any = None
    theme: Any = None
    equipment: Any = None
    means: Any = None  # the subject when it may be a weapon or an attack ("a landmine killed")
    places: list = field(default_factory=list)


def _match_trigger(tok) -> tuple[Trigger, str | None, int, int] | None:
    """(lexicon entry, attack subtype, char start, char end) when ``tok`` opens an event."""
    if tok.ent_type_ in NAME_LABELS_NOT_TRIGGERS and tok.pos_ == "PROPN":
        return None
    lemma = tok.lemma_.lower()
    start, end = tok.idx, tok.idx + len(tok.text)
    if _is_verb(tok):
        for c in tok.children:
            key = (lemma, c.lemma_.lower())
            if key in ontology.PHRASE_TRIGGERS and c.dep_ in ("prt", "prep", "dobj"):
                phrase = ontology.PHRASE_TRIGGERS[key]
                if c.dep_ in ("prt",) or abs(c.i - tok.i) <= 3:
                    s, e = min(start, c.idx), max(end, c.idx + len(c.text))
                    return phrase, phrase.subtype, s, e
        if lemma in ontology.RESPONSE_VERBS and any(
            o.lemma_.lower() in ontology.RESPONSE_OBJECTS for _p, o in _prep_objects(tok, {"to"})
        ):
            # "responded to the fire", "retaliated to pro-Houthi shelling": the other side fought back
            return Trigger("clash", "armed clash", response=True), "armed clash", start, end
        subj = _child(tok, "nsubj")
        if lemma in ontology.PROJECTILE_VERBS and subj is not None and subj.lemma_.lower() in ontology.PROJECTILE_NOUNS:
            # "three Katyusha rockets fell near the airport", "a mortar shell landed in the camp"
            return Trigger("attack", ontology.SUBTYPE_MODIFIERS.get(subj.lemma_.lower(), "shelling")), None, start, end
        trig = ontology.VERB_TRIGGERS.get(lemma)
        if trig is None and tok.tag_ == "VBG" and tok.dep_ in ("pobj", "dobj", "nsubj"):
            trig = ontology.NOUN_TRIGGERS.get(tok.lower_)
        if trig is None:
            # "protesters gathered", "rioters blocked the road": the subject makes it a protest
            if subj is not None and subj.lemma_.lower() in GROUP_COUNT_NOUNS:
                # "hundreds of protesters gathered": the count stands for the protesters
                subj = next((o for _p, o in _prep_objects(subj, {"of"})), subj)
            kind = ontology.PROTESTER_NOUNS.get(subj.lemma_.lower()) if subj is not None else None
            if kind and tok.dep_ not in ("relcl", "acl", "amod") and lemma not in STATIVE_VERBS:
                trig = Trigger(kind)
        if trig is None:
            return None
        return trig, trig.subtype, start, end
    if tok.pos_ in ("NOUN", "PROPN"):
        if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.lemma_.lower() in ontology.NOUN_TRIGGERS:
            return None  # "missile strike": the head is the trigger
        trig = ontology.NOUN_TRIGGERS.get(lemma) or ontology.NOUN_TRIGGERS.get(tok.lower_)
        if trig is None and lemma == "exchange" and (
            any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in ontology.RESPONSE_OBJECTS for c in tok.lefts)
            or any(o.lemma_.lower() in ontology.RESPONSE_OBJECTS for _p, o in _prep_objects(tok, {"of"}))
        ):
            trig = Trigger("clash", "armed clash", response=True)  # "a shelling exchange", "an exchange of fire"
            return trig, trig.subtype, start, end
        if trig is None:
            return None
        if trig.type == "attack" and any(c.lemma_.lower() in ontology.PROPERTY_ATTACK_MODIFIERS for c in tok.lefts):
            return Trigger("loot"), None, start, end  # "an arson attack targeting a factory"
        subtype = trig.subtype
        # "air strike", "Iranian missile strike", "rocket attacks": the modifier fixes the subtype
        for c in tok.lefts:
            mod = c.lemma_.lower()
            if c.dep_ in ("compound", "amod", "nmod") and mod in ontology.SUBTYPE_MODIFIERS:
                subtype = ontology.SUBTYPE_MODIFIERS[mod]
                if c.i >= tok.i - 2 and all(t.dep_ in ("compound", "amod", "nmod") for t in tok.doc[c.i:tok.i]):
                    start = min(start, c.idx)
        return trig, subtype, start, end
    return None


def _is_military(tok) -> bool:
    if tok is None:
        return False
    words = {tok.lemma_.lower(), tok.lower_, tok.lower_.rstrip("s")}
    for c in tok.children:  # "the aircraft carrying the deportees": a civilian flight
        if c.dep_ == "acl" and c.lemma_.lower() in ("carry", "transport", "bring"):
            cargo = _child(c, "dobj")
            if cargo is not None and not (_is_military(cargo) or cargo.lemma_.lower() in ontology.COMBATANT_NOUNS):
                return False
    if words & MILITARY_NOUNS or tok.ent_type_ == "EQUIPMENT":
        return True
    if any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in ("military", "armoured", "armored") for c in tok.lefts):
        return True  # "military vehicles", "a US military column"
    for c in tok.children:  # "planes carrying soldiers", "batteries of missiles"
        if c.dep_ in ("acl", "prep", "conj"):
            for g in c.subtree:
                if g.pos_ in ("NOUN", "PROPN") and ({g.lemma_.lower(), g.lower_.rstrip("s")} & MILITARY_NOUNS):
                    return True
    return False


def _is_installation(tok) -> bool:
    return tok is not None and bool({tok.lemma_.lower(), tok.lower_} & ontology.INSTALLATION_NOUNS)


def _is_equipment(tok) -> bool:
    return tok is not None and (
        tok.ent_type_ == "EQUIPMENT" or bool({tok.lemma_.lower(), tok.lower_.rstrip("s")} & EQUIPMENT_NOUNS)
    )


def _is_time_token(tok) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_.rstrip(".") in _TIME_WORDS


_TIME_WORDS = {m.lower() for m in calendar.month_name if m} | {d.lower() for d in calendar.day_name} | {
    "yesterday", "today", "tonight", "week", "month", "year", "weekend", "morning", "evening", "night"}


def _light_verb_subject(noun):
    """For a noun event carried by a light verb: (subject, 'actor' or 'target', verb)."""
    n = noun
    # climb "a string of airstrikes" → "string"
    while n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.lemma_.lower() in QUANTITY_NOUNS:
        n = n.head.head
    if n.dep_ in ("dobj", "nsubjpass") and _is_verb(n.head):
        verb = n.head
        lemma = verb.lemma_.lower()
        if lemma in LIGHT_VERBS:
            return _subject(verb), "actor", verb
        if lemma in PATIENT_VERBS:
            return _subject(verb), "target", verb
    return None, None, None


def _read_frame(tok, trig: Trigger, subtype: str | None, start: int, end: int) -> _Frame:
    fr = _Frame(tok, trig, subtype, start, end)
    etype = trig.type
    if _is_verb(tok):
        passive = _child(tok, "nsubjpass") is not None or _child(tok, "auxpass") is not None
        # Headline passives drop the auxiliary: "Three killed in attack", "militants killed".
        bare_participle = tok.tag_ == "VBN" and _child(tok, "aux", "auxpass") is None and tok.dep_ in ("acl", "ROOT")
        obj = _child(tok, "dobj")
        if obj is None and _child(tok, "nsubjpass") is None:
            # "killed and ate a wild rabbit": conjoined verbs share their object
            obj = next((_child(c, "dobj") for c in tok.children if c.dep_ == "conj" and _is_verb(c) and _child(c, "dobj") is not None), None)
        patient = _child(tok, "nsubjpass")
        if tok.lemma_.lower() == "shoot" and obj is None and any(c.dep_ in ("prt", "advmod") and c.lower_ == "down" for c in tok.children):
            bare_participle = True  # "US Chinook helicopter shot down": the helicopter is shot
        if bare_participle and obj is None:
            passive = True
            patient = patient or _child(tok, "nsubj") or (tok.head if tok.dep_ == "acl" else None)
        subj = _subject(tok) if not passive else None
        if patient is not None:
            patient = _antecedent(patient)
        agent = None
        for _prep, o in _prep_objects(tok, {"by"}):
            if passive or _child(tok, "agent") is not None:
                agent = o
        if passive and patient is None and tok.dep_ == "acl":
            patient = tok.head
        if etype in ("deploy", "withdraw", "exercise"):
            fr.actor = agent if passive else subj
            fr.theme = patient if passive else obj
            if fr.theme is None and subj is not None and _is_military(subj):
                fr.theme = subj  # "planes ... landed", "forces withdrew"
            if fr.actor is not None and fr.actor == fr.theme and not _country_modifier(fr.actor):
                fr.actor = None
        else:
            fr.actor = agent if passive else subj
            fr.target = patient if passive else obj
            if fr.target is not None and (fr.target.lemma_.lower() in FIRE_WORDS or (tok.lemma_.lower() == "fire" and _is_weapon(fr.target))):
                # "opened fire on X", "fired machine guns at X": what is fired is the means
                fr.equipment = fr.target if _is_weapon(fr.target) else None
                fr.target = None
            for _prep, o in _prep_objects(tok, {"on", "against", "at"}):
                if fr.target is None and not _is_time_token(o):
                    fr.target = o
        if fr.actor is not None and _is_equipment(fr.actor) and etype not in ("deploy", "withdraw", "exercise"):
            fr.equipment = fr.actor  # "hit by Iranian missiles": missiles are the means
        if fr.theme is not None and _is_equipment(fr.theme):
            fr.equipment = fr.theme
        fr.means = fr.actor  # "airstrikes targeted", "a landmine ... killed": the subject may be the means
        if fr.actor is not None and fr.actor.pos_ in ("NOUN", "PROPN") and ontology.NOUN_TRIGGERS.get(fr.actor.lemma_.lower()):
            # "the air strike, which killed X": the actor is the strike's actor
            inner = _match_trigger(fr.actor)
            if inner:
                sub = _read_frame(fr.actor, inner[0], inner[1], inner[2], inner[3])
                fr.equipment = fr.equipment or sub.equipment
                fr.places = sub.places[:]
                fr.actor = sub.actor
                fr.subtype = fr.subtype or sub.subtype
    else:
        # Noun trigger: possessor, nationality or agent names the actor.
        for c in tok.lefts:
            if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"):
                fr.actor = c
            elif c.dep_ in ("compound", "nmod", "amod") and c.lemma_.lower() not in ontology.SUBTYPE_MODIFIERS:
                if c.ent_type_ in ("NORP", "GPE", "ORG", "GROUP") or country_code(c.text):
                    fr.actor = fr.actor or c
            elif c.dep_ in ("compound", "nmod") and c.lemma_.lower() in ontology.SUBTYPE_MODIFIERS:
                if fr.equipment is None and _is_equipment(c):
                    fr.equipment = c
                for cc in c.lefts:  # "Iranian missile strike": the nationality sits on "missile"
                    if cc.ent_type_ in ("NORP", "GPE") or country_code(cc.text):
                        fr.actor = fr.actor or cc
        for prep, o in _prep_objects(tok, {"by", "of", "on", "against", "with"}):
            if prep == "by":
                fr.actor = o
            elif prep == "of":
                if etype in INTRANSITIVE_NOUN_TYPES:
                    if fr.actor is None:
                        fr.actor = o
                        if etype in ("deploy", "withdraw"):
                            fr.theme = o
                elif fr.target is None:
                    fr.target = o
            elif prep in ("on", "against") and fr.target is None:
                fr.target = o
        for c in tok.children:  # "the air strike, which killed X": X is the target
            if c.dep_ == "relcl" and fr.target is None and c.lemma_.lower() in ontology.VERB_TRIGGERS:
                obj = _child(c, "dobj")
                if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS:
                    fr.target = obj
        if fr.target is None and tok.dep_ in ("nsubj", "nsubjpass") and _is_verb(tok.head):
            for _prep, o in _prep_objects(tok.head, {"on", "against"}):
                if not _is_time_token(o):
                    fr.target = o  # "an airstrike was reported on Thirah mountain"
                    break
        if fr.actor is None:
            for c in tok.lefts:  # "Saudi-led coalition airstrikes": the force named before it
                if c.dep_ in ("compound", "nmod") and c.lemma_.lower() in FORCE_HEADS:
                    fr.actor = c
        subj, role, _verb = _light_verb_subject(tok)
        if subj is not None:
            if role == "actor" and fr.actor is None:
                fr.actor = subj
            elif role == "target" and fr.target is None:
                fr.target = subj
        if fr.actor is not None and _is_equipment(fr.actor) and fr.equipment is None:
            fr.equipment = fr.actor
    if etype in ("attack", "clash") or ontology.root_type(etype) == "attack":
        sides = _prep_objects(tok, {"between"})
        if not sides and not _is_verb(tok) and tok.dep_ in ("nsubj", "nsubjpass"):
            sides = _prep_objects(tok.head, {"between"})  # "clashes erupted between A and B"
        for _prep, o in sides:
            # "clashes between A and B": A and B are the two sides
            if fr.actor is None:
                fr.actor = o
                other = _child(o, "conj")
                if other is not None and fr.target is None:
                    fr.target = other
        if etype == "attack" and fr.subtype is None:
            fr.subtype = _subtype_from_means(tok, fr)
    if etype in ontology.OUTCOME_TYPES and fr.subtype is None:
        fr.subtype = _subtype_from_means(tok, fr, outcome=True)
    if fr.target is not None and _is_time_token(fr.target):
        fr.target = None  # "a pullout on March 29": a date, not a target
    fr.places = fr.places or _place_candidates(fr)
    return fr


def _is_weapon(tok) -> bool:
    """A weapon or round named as what is fired ("machine guns", "RPGs", "14.5mm", "heavy weapons")."""
    if tok is None:
        return False
    words = {tok.lemma_.lower(), tok.lower_, tok.lower_.rstrip("s")}
    return bool(words & (EQUIPMENT_NOUNS | ontology.FIRED_NOUNS)) or tok.ent_type_ == "EQUIPMENT" or tok.lower_.endswith("mm")


def _subtype_from_means(tok, fr: _Frame, outcome: bool = False) -> str | None:
    """The attack subtype the means imply: "fired mortar shells" → shelling, "by a landmine"
    → explosive, "using a drone" → drone strike, "airstrikes targeted" → air strike. For an
    outcome ("killed", "injured") the object is the victim, not the means.

    Weapons fired at a target with no remote means named ("fired heavy machine guns at the
    village") are, in ACLED's coding, a shelling/artillery attack: fire from a distance at a
    place, not an engagement of two sides (which "clash", "exchange fire" name)."""
    means = [fr.equipment, fr.means] if outcome else [fr.equipment, fr.means, _child(tok, "dobj")]
    means += [o for _p, o in _prep_objects(tok, {"with", "using", "by", "in", "during"} if outcome else {"with", "using", "by"})]
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ("use", "employ"):
            means.append(_child(c, "dobj"))
    for m in means:
        if m is None:
            continue
        # An outcome's circumstance counts by its own head ("in the shelling", "by a landmine"),
        # not its modifiers: "killed in a helicopter crash" is no air strike.
        mods = [] if outcome and m is not fr.equipment and not _is_weapon(m) and not ontology.NOUN_TRIGGERS.get(m.lemma_.lower()) else [
            c for c in m.lefts if c.dep_ in ("compound", "amod", "nmod")]
        for t in [m] + mods:
            sub = ontology.SUBTYPE_MODIFIERS.get(t.lemma_.lower()) or ontology.SUBTYPE_MODIFIERS.get(t.lower_.rstrip("s"))
            if sub:
                return sub
            inner = ontology.NOUN_TRIGGERS.get(t.lemma_.lower())
            if inner is not None and inner.subtype and inner.subtype != "armed clash" and t is m:
                return inner.subtype  # "killed in the shelling", "airstrikes targeted"
    if not outcome and tok.lemma_.lower() == "fire" and _is_verb(tok) and _is_weapon(fr.equipment):
        return "shelling"
    return None


def _is_civilian(tok) -> bool:
    if tok is None:
        return False
    tok = _antecedent(tok)
    words = {tok.lemma_.lower(), tok.lower_.rstrip("s")}
    words |= {c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound")}
    return bool(words & ontology.CIVILIAN_NOUNS)


def _is_armed(tok) -> bool:
    """Whether a target is a combatant: a fighter, soldier, militant or officer, or a member of an
    armed group or force ("a QSD member", "a member of the regime's 4th Division"). A bare count
    ("killed 15 IS militants", where the parse may stop at "15") is read with the words after it."""
    if tok is None:
        return False
    tok = _antecedent(tok)
    words = {tok.lemma_.lower(), tok.lower_, tok.lower_.rstrip("s")}
    if words & ontology.COMBATANT_NOUNS:
        return True
    if words & ontology.MILITARY_CRAFT or tok.ent_type_ == "EQUIPMENT":
        return True  # "shot down a helicopter", "downed a drone": the craft of a force
    doc = tok.doc
    if tok.like_num or tok.lower_ in ("other", "others"):
        after = doc[tok.i + 1:min(tok.i + 4, tok.sent.end)]
        return any({t.lemma_.lower(), t.lower_} & ontology.COMBATANT_NOUNS for t in after)
    if not words & ontology.AFFILIATION_NOUNS:
        return False
    owners = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
    for _prep, o in _prep_objects(tok, {"of", "from"}):
        owners.extend(o.subtree)
    for c in owners:
        if c.ent_type_ == "GROUP" or (c.is_upper and len(c.text) >= 2 and c.pos_ in ("PROPN", "NOUN")):
            return True
        if {c.lemma_.lower(), c.lower_} & (ontology.FORCE_WORDS | ontology.COMBATANT_NOUNS):
            return True
    return False


def _riot_cues(tok) -> bool:
    """Whether the sentence of a demonstration tells of violence by its participants."""
    return any(t.lemma_.lower() in ontology.RIOT_CUES for t in tok.sent)


def _name_actor(tok) -> str | None:
    """How an analyst names an actor: a state for its forces, weapons or capital; otherwise the
    name as written (without its determiner)."""
    if tok is None:
        return None
    tok = _antecedent(tok)
    if tok.pos_ == "PRON":
        return None
    ent = _ent_of(tok)
    if ent is not None and ent.label_ == "GPE":
        code = country_code(ent.text, capitals=True)
        if code:
            return country_name(code)
    if ent is not None and ent.label_ == "NORP" and ent.root == tok:
        code = country_code(ent.text)
        if code:
            return country_name(code)
    code = country_code(tok.text, capitals=tok.ent_type_ == "GPE")
    if code:
        return country_name(code)
    lemma = tok.lemma_.lower()
    if lemma in FORCE_HEADS or _is_equipment(tok) or tok.lower_ in FORCE_HEADS:
        code = _country_modifier(tok)
        if code:
            return country_name(code)
    text = _text(tok.doc, _np_bounds(tok))
    return text or None


def _describe(tok) -> str | None:
    if tok is None:
        return None
    tok = _antecedent(tok)
    if tok.pos_ == "PRON":
        return None
    return _text(tok.doc, _np_bounds(tok)) or None


# Prepositions whose object is who or what an event concerns, never where it happens.
NON_LOCATIVE_PREPS = {"against", "with", "by", "about", "over", "like", "than"}


def _non_locative(tok) -> bool:
    """Whether a name is (or is listed with) the object of a preposition that never gives a place."""
    while tok.dep_ in ("conj", "appos") and tok.head != tok:
        tok = tok.head
    return tok.dep_ == "pobj" and (tok.head.lower_ in NON_LOCATIVE_PREPS or _according_to(tok))


def _according_to(tok) -> bool:
    """ "according to the United Nations": a source, not a place."""
    prep = tok.head
    return prep.lower_ == "to" and prep.head.lower_ == "according"


def _place_candidates(fr: _Frame) -> list[tuple[int, int]]:
    tok = fr.tok
    doc = tok.doc
    etype = fr.trigger.type
    preps = set(PLACE_PREPS) - {"on"}
    if etype not in ("withdraw",):
        preps -= {"from"}
    if etype not in ("deploy", "withdraw"):
        preps -= {"to", "into", "towards", "toward"}
    holders = [tok]
    if not _is_verb(tok):
        _s, _r, verb = _light_verb_subject(tok)
        if verb is not None:
            holders.append(verb)
        elif tok.dep_ in ("nsubj", "nsubjpass") and _is_verb(tok.head):
            holders.append(tok.head)  # "clashes erupted in X", "the attack took place at X"
    if _is_verb(tok):
        # "shot and killed ... in X", "targeted a hideout and killed ... in X": conjoined
        # verbs share their circumstances.
        holders += [c for c in tok.children if c.dep_ == "conj" and _is_verb(c)]
        if tok.dep_ == "conj" and _is_verb(tok.head):
            holders.append(tok.head)
    for arg in (fr.actor, fr.theme):
        if arg is not None and not _is_verb(arg):
            holders.append(arg)  # "workers in Kut protested": the place sits on the actor
    out: list[tuple[int, int]] = []
    for h in holders:
        for _prep, o in _prep_objects(h, preps):
            if _is_place(o) and o.lemma_.lower() not in GENERIC_PLACE_HEADS:
                b = _place_bounds(o)
                if b:
                    out.append(b)
    # A target that is itself a place: "the base ... was shelled".
    arg = fr.target if etype in PLACED_TYPES else None  # "accused Russia": Russia is not where
    if arg is not None and _is_place(arg) and arg.lemma_.lower() not in GENERIC_PLACE_HEADS and arg.pos_ != "PRON":
        b = _place_bounds(_antecedent(arg))
        if b:
            out.append(b)
    if not out:
        # The nearest place name in the clause that is not a nationality on an argument.
        sent = tok.sent
        verb = _clause_verb(tok)
        best = None
        for ent in doc_ents(doc):
            if ent.label_ not in PLACE_LABELS or ent.start < sent.start or ent.end > sent.end:
                continue
            root = ent.root
            if root.dep_ in ("compound", "nmod", "amod", "poss", "nsubj", "nsubjpass", "dobj") and root.head.lemma_.lower() not in PLACE_NOUNS:
                continue
            if _non_locative(root):
                continue  # "protests against Beijing", "according to the United Nations"
            if _clause_verb(root) != verb and _clause_verb(root) != tok:
                continue
            dist = abs(root.i - tok.i)
            if best is None or dist < best[0]:
                best = (dist, (ent.start, ent.end))
        if best is None and etype in PLACED_TYPES:
            # Parses of long coded sentences often attach "in X" to the wrong word: as a last
            # resort take the nearest place name of the sentence in a locative slot.
            for ent in doc_ents(doc):
                if ent.start < sent.start or ent.end > sent.end:
                    continue
                root = ent.root
                ok = _locative_slot(root) and ent.label_ in PLACE_LABELS | {"PERSON", "ORG"} and not _according_to(root)
                if ok and not country_code(ent.text):
                    dist = abs(root.i - tok.i) + (0 if root.i > tok.i else 5)
                    if best is None or dist < best[0]:
                        best = (dist, (ent.start, ent.end))
        if best:
            out.append(best[1])
    return out
