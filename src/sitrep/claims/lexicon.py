"""Word lists of attribution: reporting verbs, source nouns, hedges and denials.

Kept apart from the logic so they can grow without touching it. Lemmas, lower-case.
"""
from __future__ import annotations

# Verbs that introduce reported content (the cue of an attribution relation).
REPORTING_VERBS = frozenset(
    """say tell report cite quote specify warn caution blame deny claim add stress announce confirm
    state note insist accuse allege write explain argue acknowledge admit reveal indicate declare
    assert tweet mention predict promise vow emphasize emphasise underline suggest disclose
    comment reply respond estimate believe think contend concede complain
    testify refute reject assure recount""".split()
)

# Verbs that report only when they govern a clause: "pointed out that ...", "a poll shows that ...".
CLAUSE_REPORTING_VERBS = frozenset(
    """point ask observe remark boast joke quip lament charge counter retort reiterate repeat remind
    pledge swear hint imply conclude find show agree recall maintain signal acknowledge continue""".split()
)

# Verbs whose direct object (not a clause) can be the reported content: "denied the claims".
OBJECT_CONTENT_VERBS = frozenset(
    "deny blame confirm announce report reject claim accuse refute allege reveal disclose warn".split()
)

# "cited X as saying", "quoted X as saying": the subject relays, the object is the origin.
RELAY_VERBS = frozenset({"cite", "quote"})

DENIAL_VERBS = frozenset({"deny", "refute", "reject", "disprove", "rebut"})

HEDGE_ADVERBS = frozenset(
    """reportedly allegedly purportedly apparently possibly perhaps supposedly presumably unconfirmed rumoured
    rumored probably likely maybe seemingly ostensibly""".split()
)
HEDGE_MODALS = frozenset({"could", "may", "might"})
# "X is expected to ...", "is believed to", "is thought to": the writer passes on an expectation.
HEDGE_PASSIVES = frozenset("expect believe think understand suppose rumor rumour presume reckon suspect fear".split())
# "appears to", "seems to".
HEDGE_RAISING_VERBS = frozenset({"appear", "seem"})
# "is likely to", "it is possible that".
HEDGE_ADJECTIVES = frozenset({"likely", "unlikely", "probable", "possible", "improbable"})

# Head nouns of sources that are people or groups left unnamed: "a security source".
ANONYMOUS_HEADS = frozenset(
    """source official officer diplomat analyst expert observer resident witness spokesman spokeswoman
    spokesperson people person man woman representative insider aide member commander soldier fighter
    activist lawmaker legislator politician leader minister authority someone insider adviser advisor
    staffer employee investigator negotiator participant eyewitness correspondent journalist reporter
    insiders officials sources senator congressman congresswoman governor mayor president candidate
    nominee chairman chairwoman secretary general colonel prosecutor judge lawyer attorney doctor
    ambassador envoy director chief""".split()
)

# Head nouns naming a news publication: "the paper", "Almaalomah news agency".
PUBLICATION_NOUNS = frozenset(
    """paper newspaper publication agency outlet daily channel broadcaster website site magazine
    network tv television radio wire tabloid weekly journal station portal""".split()
)

# Non-agentive "sources" that point back to whoever was being relayed: "according to available data".
INFORMATION_NOUNS = frozenset(
    {"data", "datum", "information", "report", "reports", "account", "figure", "figures", "statement", "communique"}
)

# Documents an institution issues: "the statement said", "a report by the UN", "the office release".
# Their origin is the issuer when the article names it; otherwise the document itself (kind
# ``document``), which names nobody.
DOCUMENT_NOUNS = frozenset(
    """statement report communique communiqué release study document letter memo memorandum filing
    survey poll assessment audit review analysis transcript indictment complaint lawsuit ruling
    decree resolution bulletin notice cable dossier briefing testimony affidavit""".split()
)

OFFICIAL_TITLES = frozenset(
    """spokesman spokeswoman spokesperson minister general commander official president governor
    ambassador secretary chief colonel lieutenant major director head adviser advisor senator mayor
    prime deputy lt. gen. col. maj. brig. admiral captain sergeant chairman speaker envoy representative
    congressman congresswoman officer premier king emir sheikh prince""".split()
)

# Words that, inside an organisation's name, mark it as a news outlet.
OUTLET_NAME_CUES = (
    "Times", "News", "Agency", "TV", "Post", "Press", "Daily", "Journal", "Reuters", "AFP", "AP",
    "Tribune", "Gazette", "Herald", "Reporter", "Telegraph", "Guardian", "Radio", "Network", "Channel",
    "Media", "Broadcasting", "Television", "Al Jazeera", "BBC", "CNN", "Sputnik", "Tass", "TASS",
    "RIA", "Interfax", "Xinhua", "Anadolu", "IRNA", "Fars", "Tasnim", "Mehr", "Kurdistan24", "Rudaw",
)

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
THIRD_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})

# Quantifiers that stand for unnamed people as a speaker's subject ("some argue", "many of his
# supporters believe", "others said"): an anonymous source, never the outlet's own voice. "one"
# is left out ("one could argue" is the writer speaking).
QUANTIFIER_SOURCES = frozenset(
    {"some", "others", "many", "several", "both", "all", "each", "few", "most", "someone", "somebody",
     "everyone", "everybody"}
)
