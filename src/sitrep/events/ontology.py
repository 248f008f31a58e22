"""Event types sitrep reads out of reports, in PLOVER's terms, with their ACLED counterparts.

PLOVER (the successor of CAMEO) names *what kind of act* a report describes; ACLED is what conflict
analysts count with. sitrep types each event once, PLOVER-style (``deploy``, ``attack``, ...), and
carries ACLED's ``event_type`` / ``sub_event_type`` beside it so users can compare against ACLED
data. Where no ACLED category fits (an accusation, a threat), the ACLED fields are ``None`` rather
than a forced guess.

The trigger lexicon lists lemmas (verbs and nouns) and a few fixed phrases per type. It is the only
place words are tied to types: extraction looks triggers up here and never hard-codes them.
"""
from __future__ import annotations

from dataclasses import dataclass

# ACLED's own category names, spelt exactly as ACLED data spells them.
BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

ARMED_CLASH = "Armed clash"
AIR_DRONE_STRIKE = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
VAC_ATTACK = "Attack"
ABDUCTION = "Abduction/forced disappearance"
PEACEFUL_PROTEST = "Peaceful protest"
PROTEST_WITH_INTERVENTION = "Protest with intervention"
VIOLENT_DEMONSTRATION = "Violent demonstration"
MOB_VIOLENCE = "Mob violence"
HQ_ESTABLISHED = "Headquarters or base established"
NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
AGREEMENT = "Agreement"
ARRESTS = "Arrests"
LOOTING = "Looting/property destruction"
DISRUPTED_WEAPONS = "Disrupted weapons use"
CHANGE_TO_GROUP = "Change to group/activity"
OTHER = "Other"

ACLED_EVENT_TYPES = (BATTLES, EXPLOSIONS, VAC, PROTESTS, RIOTS, STRATEGIC)


@dataclass(frozen=True)
class EventType:
    """One PLOVER-style type: its ACLED default and, for PLOVER modes, the parent type."""

    name: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    parent: str | None = None  # PLOVER mode → root type ("riot" is a mode of "protest")
    violent: bool = False


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("deploy", STRATEGIC, OTHER),
        # An attack with no remote means named is, in ACLED's terms, a battle; remote means
        # (air, drone, missile, shelling, explosives) make it Explosions/Remote violence.
        EventType("attack", BATTLES, ARMED_CLASH, violent=True),
        EventType("clash", BATTLES, ARMED_CLASH, parent="attack", violent=True),
        EventType("kill", VAC, VAC_ATTACK, parent="attack", violent=True),
        EventType("assault", VAC, VAC_ATTACK, violent=True),
        EventType("abduct", VAC, ABDUCTION, parent="assault", violent=True),
        EventType("protest", PROTESTS, PEACEFUL_PROTEST),
        EventType("riot", RIOTS, VIOLENT_DEMONSTRATION, parent="protest", violent=True),
        EventType("withdraw", None, None),
        EventType("exercise", None, None),
        EventType("legislate", None, None),
        EventType("demand", None, None),
        EventType("threaten", None, None),
        EventType("negotiate", None, None),
        EventType("agree", STRATEGIC, AGREEMENT),
        EventType("accuse", None, None),
        EventType("deny", None, None),
        EventType("arrest", STRATEGIC, ARRESTS),
        EventType("loot", STRATEGIC, LOOTING, parent="assault"),
        EventType("defuse", STRATEGIC, DISRUPTED_WEAPONS),
        # Curfews, lockdowns, closures: ACLED's security measures (a change to an actor's activity).
        EventType("restrict", STRATEGIC, CHANGE_TO_GROUP),
    )
}

# Attack subtypes (PLOVER "mode") and the ACLED sub-event type each implies.
ATTACK_SUBTYPES: dict[str, tuple[str, str]] = {
    "air strike": (EXPLOSIONS, AIR_DRONE_STRIKE),
    "drone strike": (EXPLOSIONS, AIR_DRONE_STRIKE),
    "missile attack": (EXPLOSIONS, SHELLING),
    "rocket attack": (EXPLOSIONS, SHELLING),
    "shelling": (EXPLOSIONS, SHELLING),
    "explosive": (EXPLOSIONS, REMOTE_EXPLOSIVE),
    "armed clash": (BATTLES, ARMED_CLASH),
}


ACLED_SUB_EVENT_TYPES = (
    ARMED_CLASH, AIR_DRONE_STRIKE, SHELLING, REMOTE_EXPLOSIVE, VAC_ATTACK, ABDUCTION, PEACEFUL_PROTEST,
    PROTEST_WITH_INTERVENTION, VIOLENT_DEMONSTRATION, MOB_VIOLENCE, HQ_ESTABLISHED, NON_VIOLENT_TRANSFER,
    AGREEMENT, ARRESTS, LOOTING, DISRUPTED_WEAPONS, CHANGE_TO_GROUP, OTHER,
)


@dataclass(frozen=True)
class TypeFilter:
    """What a user's ``--type`` names: a PLOVER type (the stored ``type``), or an ACLED event type or
    sub-event type (matched against each event's ACLED fields, which may differ from its PLOVER
    type's default: an attack by drone is "Explosions/Remote violence")."""

    plover: str | None = None
    acled: str | None = None

    def matches_acled(self, event_type: str | None, sub_event_type: str | None) -> bool:
        return self.acled is None or self.acled in (event_type, sub_event_type)


def type_filter(name: str) -> TypeFilter:
    """The filter a user's type name means, case-insensitively; ValueError (listing every valid
    name) when it is in neither vocabulary, so a typo never reads as "no such events"."""
    key = name.strip().casefold()
    for plover in EVENT_TYPES:
        if plover.casefold() == key:
            return TypeFilter(plover=plover)
    for acled in ACLED_EVENT_TYPES + ACLED_SUB_EVENT_TYPES:
        if acled.casefold() == key:
            return TypeFilter(acled=acled)
    raise ValueError(
        f"unknown event type {name!r}; PLOVER types: {', '.join(EVENT_TYPES)}; "
        f"ACLED event types: {', '.join(ACLED_EVENT_TYPES)}; "
        f"ACLED sub-event types: {', '.join(dict.fromkeys(ACLED_SUB_EVENT_TYPES))}"
    )


@dataclass(frozen=True)
class Trigger:
    """A lexicon entry: the type a word signals, its attack subtype, and what it needs to count.

    ``needs`` names a class of argument without which the word is too ambiguous to be an event
    ("send" only deploys when what is sent is troops or weapons; "place" only when weapons are
    placed; "land" only when aircraft or troops land).
    """

    type: str
    subtype: str | None = None
    needs: str | None = None  # "military": the object (or, intransitively, the subject) is force;
    # "mover": the subject is ("a military column entered"); "installation": forces establish a base
    response: bool = False  # the other side answering fire: the exchange is a battle


# Verb lemmas. Several lemmas may map to the same type.
VERB_TRIGGERS: dict[str, Trigger] = {
    # deploy / mobilize
    "deploy": Trigger("deploy"),
    "redeploy": Trigger("deploy"),
    "station": Trigger("deploy", needs="military"),
    "send": Trigger("deploy", needs="military"),
    "dispatch": Trigger("deploy", needs="military"),
    "transfer": Trigger("deploy", needs="military"),
    "place": Trigger("deploy", needs="military"),
    "position": Trigger("deploy", needs="military"),
    "ship": Trigger("deploy", needs="military"),
    "land": Trigger("deploy", needs="military"),
    "mobilize": Trigger("deploy"),
    "mobilise": Trigger("deploy"),
    "reinforce": Trigger("deploy", needs="military"),
    # attack
    "strike": Trigger("attack"),
    "hit": Trigger("attack"),
    "target": Trigger("attack"),
    "attack": Trigger("attack"),
    "shell": Trigger("attack", "shelling"),
    "bomb": Trigger("attack", "air strike"),
    "bombard": Trigger("attack", "shelling"),
    "fire": Trigger("attack", needs="military"),
    "launch": Trigger("attack", needs="military"),
    "raid": Trigger("attack"),
    "clash": Trigger("clash", "armed clash"),
    "fight": Trigger("clash", "armed clash"),
    "ambush": Trigger("clash", "armed clash"),
    "explode": Trigger("attack", "explosive"),
    "detonate": Trigger("attack", "explosive"),
    # kill / assault
    "kill": Trigger("kill"),
    "assassinate": Trigger("kill"),
    "murder": Trigger("kill"),
    "execute": Trigger("kill"),
    "shoot": Trigger("assault"),
    "stab": Trigger("assault"),
    "beat": Trigger("assault"),
    "assault": Trigger("assault"),
    "wound": Trigger("assault"),
    "injure": Trigger("assault"),
    "abduct": Trigger("abduct"),
    "kidnap": Trigger("abduct"),
    # protest / riot
    "protest": Trigger("protest"),
    "demonstrate": Trigger("protest"),
    "rally": Trigger("protest"),
    "march": Trigger("protest"),
    "storm": Trigger("riot"),
    "riot": Trigger("riot"),
    "torch": Trigger("riot"),
    # withdraw
    "withdraw": Trigger("withdraw"),
    "relocate": Trigger("withdraw"),
    "evacuate": Trigger("withdraw"),
    "retreat": Trigger("withdraw"),
    # exercise
    "drill": Trigger("exercise"),
    "exercise": Trigger("exercise", needs="military"),
    "manoeuvre": Trigger("exercise"),
    "maneuver": Trigger("exercise"),
    # legislate / decide
    "oblige": Trigger("legislate"),
    "vote": Trigger("legislate"),
    "legislate": Trigger("legislate"),
    "decide": Trigger("legislate"),
    "approve": Trigger("legislate"),
    "ratify": Trigger("legislate"),
    "ban": Trigger("legislate"),
    # demand, threaten, negotiate, agree, accuse, deny, arrest
    "demand": Trigger("demand"),
    "urge": Trigger("demand"),
    "threaten": Trigger("threaten"),
    "warn": Trigger("threaten"),
    "negotiate": Trigger("negotiate"),
    "agree": Trigger("agree"),
    "sign": Trigger("agree"),
    "accuse": Trigger("accuse"),
    "blame": Trigger("accuse"),
    "deny": Trigger("deny"),
    "arrest": Trigger("arrest"),
    "detain": Trigger("arrest"),
    "capture": Trigger("arrest"),
    "loot": Trigger("loot"),
    "plunder": Trigger("loot"),
    "demolish": Trigger("loot"),
    "raze": Trigger("loot"),
    "bulldoze": Trigger("loot"),
    "defuse": Trigger("defuse"),
    "dismantle": Trigger("defuse", needs="military"),
    "seize": Trigger("defuse", needs="military"),
    "confiscate": Trigger("defuse", needs="military"),
    "repel": Trigger("clash", "armed clash"),
    "intercept": Trigger("defuse", needs="military"),
    "establish": Trigger("deploy", needs="installation"),
    "fortify": Trigger("deploy", needs="installation"),
    "enter": Trigger("deploy", needs="mover"),
    "arrive": Trigger("deploy", needs="mover"),
    "thwart": Trigger("clash", "armed clash", needs="military"),
    "patrol": Trigger("deploy"),
}

# Noun lemmas (the event named as a thing: "an Iranian missile strike", "mass protests").
NOUN_TRIGGERS: dict[str, Trigger] = {
    "deployment": Trigger("deploy"),
    "redeployment": Trigger("deploy"),
    "reinforcement": Trigger("deploy"),
    "strike": Trigger("attack"),
    "airstrike": Trigger("attack", "air strike"),
    "attack": Trigger("attack"),
    "shelling": Trigger("attack", "shelling"),
    "bombardment": Trigger("attack", "shelling"),
    "bombing": Trigger("attack", "air strike"),
    "raid": Trigger("attack"),
    "clash": Trigger("clash", "armed clash"),
    "fighting": Trigger("clash", "armed clash"),
    "explosion": Trigger("attack", "explosive"),
    "blast": Trigger("attack", "explosive"),
    "killing": Trigger("kill"),
    "assassination": Trigger("kill"),
    "death": Trigger("kill"),
    "murder": Trigger("kill"),
    "protest": Trigger("protest"),
    "demonstration": Trigger("protest"),
    "rally": Trigger("protest"),
    "sit-in": Trigger("protest"),
    "riot": Trigger("riot"),
    "storming": Trigger("riot"),
    "withdrawal": Trigger("withdraw"),
    "pullout": Trigger("withdraw"),
    "evacuation": Trigger("withdraw"),
    "drill": Trigger("exercise"),
    "exercise": Trigger("exercise"),
    "manoeuvre": Trigger("exercise"),
    "maneuver": Trigger("exercise"),
    "vote": Trigger("legislate"),
    "resolution": Trigger("legislate"),
    "demand": Trigger("demand"),
    "threat": Trigger("threaten"),
    "negotiation": Trigger("negotiate"),
    "talk": Trigger("negotiate"),
    "agreement": Trigger("agree"),
    "deal": Trigger("agree"),
    "ceasefire": Trigger("agree"),
    "accusation": Trigger("accuse"),
    "denial": Trigger("deny"),
    "arrest": Trigger("arrest"),
    "kidnapping": Trigger("abduct"),
    "incursion": Trigger("clash", "armed clash"),
    "offensive": Trigger("clash", "armed clash"),
    "battle": Trigger("clash", "armed clash"),
    "firefight": Trigger("clash", "armed clash"),
    "gunfight": Trigger("clash", "armed clash"),
    "skirmish": Trigger("clash", "armed clash"),
    "ambush": Trigger("clash", "armed clash"),
    "assault": Trigger("attack"),
    "patrol": Trigger("deploy"),
    "looting": Trigger("loot"),
    "demolition": Trigger("loot"),
    "arson": Trigger("loot"),
    "abduction": Trigger("abduct"),
    "curfew": Trigger("restrict"),
    "lockdown": Trigger("restrict"),
}

# Noun or verb plus a particle/object that together signal the type ("pull out", "call on",
# "pass a law"). Keyed by (head lemma, dependent lemma).
PHRASE_TRIGGERS: dict[tuple[str, str], Trigger] = {
    ("pull", "out"): Trigger("withdraw"),
    ("pull", "back"): Trigger("withdraw"),
    ("call", "on"): Trigger("demand"),
    ("pass", "law"): Trigger("legislate"),
    ("pass", "bill"): Trigger("legislate"),
    ("pass", "resolution"): Trigger("legislate"),
    ("send", "troop"): Trigger("deploy"),
    ("set", "up"): Trigger("deploy", needs="military"),
    ("open", "fire"): Trigger("attack", "armed clash"),
    ("exchange", "fire"): Trigger("clash", "armed clash"),
    ("exchange", "artillery"): Trigger("clash", "armed clash"),
    ("exchange", "gunfire"): Trigger("clash", "armed clash"),
    ("fire", "back"): Trigger("clash", "armed clash", response=True),
    ("return", "fire"): Trigger("clash", "armed clash", response=True),
}

# Modifiers of a noun trigger that fix the attack subtype ("missile strike", "drone attack").
SUBTYPE_MODIFIERS: dict[str, str] = {
    "air": "air strike",
    "aerial": "air strike",
    "airstrike": "air strike",
    "drone": "drone strike",
    "uav": "drone strike",
    "missile": "missile attack",
    "ballistic": "missile attack",
    "rocket": "rocket attack",
    "mortar": "shelling",
    "artillery": "shelling",
    "shell": "shelling",
    "bomb": "explosive",
    "ied": "explosive",
    "car": "explosive",
    "suicide": "explosive",
    "landmine": "explosive",
    "mine": "explosive",
    "explosive": "explosive",
    "grenade": "explosive",
    "warplane": "air strike",
    "jet": "air strike",
    "helicopter": "air strike",
    "shelling": "shelling",
    "atgm": "missile attack",
    "rpg": "missile attack",
    "katyusha": "rocket attack",
    "ordnance": "explosive",
    "ordinance": "explosive",
}

# Who a protest is by: a verb whose subject is one of these is a demonstration ("protesters
# gathered", "rioters blocked the road"); rioters make it a riot.
PROTESTER_NOUNS = {"protester": "protest", "protestor": "protest", "demonstrator": "protest", "rioter": "riot"}
# What turns a demonstration violent in ACLED's sense (Violent demonstration).
RIOT_CUES = frozenset("riot rioter hurl throw stone rock molotov torch burn burning fire vandalize vandalise smash loot clash".split())
# Targets that make an attack violence against civilians.
CIVILIAN_NOUNS = frozenset(
    """civilian resident villager farmer shepherd worker child woman man boy girl family people
    protester demonstrator journalist doctor teacher student refugee idp citizen""".split()
)

# People who bear arms: violence against them is fighting, not violence against civilians.
COMBATANT_NOUNS = frozenset(
    """fighter militant soldier troop insurgent rebel guerrilla militiaman gunman gunmen jihadist
    policeman policemen officer commander colonel lieutenant sergeant captain guard bodyguard
    sniper recruit conscript personnel mercenary peshmerga paramilitary commando marine
    bomber serviceman servicemen""".split()
)
# Craft only forces fly or drive: shooting one down is fighting.
MILITARY_CRAFT = frozenset("helicopter chinook drone uav warplane fighter-jet tank warship gunboat apache blackhawk".split())
# Nouns that take their armed or unarmed reading from what they belong to: "a QSD member",
# "a member of the regime's 4th Division", "pro-Houthi elements".
AFFILIATION_NOUNS = frozenset("member element affiliate".split())
# Words that mark what a member belongs to as a force or an armed group.
FORCE_WORDS = frozenset(
    """force forces army military militia brigade division battalion regiment unit intelligence
    police security guard guards group faction resistance army navy airforce gendarmerie pmf
    coalition service""".split()
)

# Words that make an argument "military": troops, weapons, aircraft.
MILITARY_NOUNS = frozenset(
    """troop soldier force forces personnel adviser advisor marine unit battalion brigade division
    contingent fighter militia militiaman weapon missile rocket battery system sam patriot
    launcher drone plane aircraft jet bomber helicopter warship ship vessel carrier tank artillery
    ammunition munition equipment reinforcement gun mortar shell""".split()
)

# What forces establish: "established fortifications", "set up a new base".
INSTALLATION_NOUNS = frozenset(
    """base fortification fortifications checkpoint checkpoints outpost barracks headquarters
    trench trenches""".split()
)
# An attack named by these is property destruction ("an arson attack on a factory").
PROPERTY_ATTACK_MODIFIERS = frozenset({"arson"})

# Answering fire: "responded to the fire", "retaliated to the shelling". With what they answer
# (``RESPONSE_OBJECTS``) they make the exchange an armed clash.
RESPONSE_VERBS = frozenset("respond retaliate reply".split())
RESPONSE_OBJECTS = frozenset("fire gunfire shelling shell attack attacks assault bombardment shooting artillery mortar".split())

# Verbs whose subject, when it is a projectile, makes an attack: "rockets fell near the airport".
PROJECTILE_VERBS = frozenset("fall land impact hit strike explode".split())
PROJECTILE_NOUNS = frozenset("rocket missile mortar shell projectile katyusha grenade".split())

# What forces fire besides the equipment below: "fired RPGs", "fired heavy weapons".
FIRED_NOUNS = frozenset("rpg atgm weapon weapons round rounds grenade cannon caliber calibre bullet bullets".split())

# "Equipment" nouns worth reporting as the means of an event.
EQUIPMENT_NOUNS = frozenset(
    """missile rocket battery sam patriot launcher drone plane aircraft jet bomber helicopter
    warship ship vessel carrier tank artillery mortar shell bomb ied weapon gun ammunition
    munition system""".split()
)


def trigger_for(lemma: str, pos: str) -> Trigger | None:
    """The lexicon entry for a lemma used as ``pos`` ("VERB"/"NOUN"), or None."""
    lemma = lemma.lower()
    if pos in ("VERB", "AUX"):
        return VERB_TRIGGERS.get(lemma)
    if pos in ("NOUN", "PROPN"):
        return NOUN_TRIGGERS.get(lemma)
    return None


# Types that name what violence did to people (killed, wounded, abducted) rather than how: ACLED
# codes such an event by its means when the report names them ("killed by a landmine") and by
# who the victims are when it does not.
OUTCOME_TYPES = frozenset({"kill", "assault", "abduct"})


def acled_for(
    event_type: str, subtype: str | None = None, civilian_target: bool = False, armed_target: bool = False,
) -> tuple[str | None, str | None]:
    """ACLED ``(event_type, sub_event_type)`` for a PLOVER type and optional attack subtype.

    An attack by direct means on civilians is Violence against civilians; by remote means it
    stays Explosions/Remote violence (ACLED codes the means first). Direct violence against
    combatants ("gunmen shot dead a QSD fighter", "forces killed 3 militants") is a battle in
    ACLED's terms: Violence against civilians is reserved for the unarmed."""
    remote = subtype in ATTACK_SUBTYPES and ATTACK_SUBTYPES[subtype][0] == EXPLOSIONS if subtype else False
    if subtype and subtype in ATTACK_SUBTYPES and (event_type in ("attack", "clash") or (remote and event_type in OUTCOME_TYPES)):
        if subtype == "armed clash" and civilian_target:
            return (VAC, VAC_ATTACK)
        return ATTACK_SUBTYPES[subtype]
    if event_type == "attack" and civilian_target:
        return (VAC, VAC_ATTACK)
    if event_type in OUTCOME_TYPES and armed_target and not civilian_target:
        return (BATTLES, ARMED_CLASH)
    et = EVENT_TYPES.get(event_type)
    if et is None:
        return (None, None)
    return (et.acled_event_type, et.acled_sub_event_type)


def root_type(event_type: str) -> str:
    """The PLOVER root of a type: a mode such as ``riot`` belongs to ``protest``."""
    seen = set()
    t = event_type
    while t in EVENT_TYPES and EVENT_TYPES[t].parent and t not in seen:
        seen.add(t)
        t = EVENT_TYPES[t].parent  # type: ignore[assignment]
    return t


def same_family(a: str, b: str) -> bool:
    """Whether two types are the same or one is a mode of the other (riot ~ protest)."""
    return a == b or root_type(a) == root_type(b)
