"""Word lists the event confidence scorer reads: who can wage political violence, who can suffer
it, and the vocabularies of the kinds of news where violent verbs are figures of speech.

Kept apart from ``ontology`` (which ties trigger words to event types) because these lists say
nothing about types: they describe *arguments* and *contexts*. All entries are lower-case lemmas
(or lower-case surface forms where the lemmatiser is unreliable, e.g. plurals of nationalities).
"""
from __future__ import annotations

# People and organisations that carry out political violence (ACLED's actors): forces, armed
# groups, their members, and the police (who are one side of Riots and of much Violence
# against civilians).
ARMED_NOUNS = frozenset(
    """troop troops soldier force forces army military militant insurgent rebel guerrilla militia
    militiaman gunman gunmen terrorist jihadist extremist fighter attacker assailant bomber sniper
    police policeman policemen officer guard paramilitary commando marine battalion brigade unit
    regiment division squad coalition mob rioter protester demonstrator crowd gang kidnapper
    abductor settler tribesman tribesmen warplane jet drone aircraft helicopter artillery tank
    missile rocket mortar shell bomb ied explosive grenade gun gunfire sniper airstrike strike
    suicide bullet intelligence security peshmerga peshmergas landmine mine device sam launcher warship gunboat sniper""".split()
)

# Abstract nouns of conflict itself: "violence kills 10", "clashes left 3 dead" name the act as
# its own agent, which is how headlines speak of unattributed violence.
CONFLICT_ABSTRACTS = frozenset(
    """violence unrest fighting fight operation operations offensive attack attacks bombing
    bombings blast blasts explosion explosions fire gunfire shelling airstrike airstrikes strike
    strikes raid raids clash clashes war insurgency ambush crossfire""".split()
)

# Words of courts and policing that make a violent act an ordinary criminal case, which
# political-violence datasets leave out.
CRIMINAL_CASE_CUES = frozenset(
    """court trial charged charge convicted conviction pleaded plead guilty probation sentenced
    jailed prosecutor prosecutors lawsuit judge jury acquitted bail suspect serial killer
    murderer burglar robbery robber arrested""".split()
)

# Nouns that count or group what follows "of": "a wave of bombings", "a group of farmers".
GROUPING_NOUNS = frozenset(
    """wave series string spate number group round barrage salvo volley flurry couple dozen
    dozens scores hundreds thousands band unit team""".split()
)

# Counts that stand for people: "dozens killed", "scores of militants".
PEOPLE_COUNTS = frozenset("dozen dozens scores hundreds thousands several many some few".split())

# What violent verbs take as object, and who takes them as subject, when the sense is
# figurative: "the dollar hit its highest level", "struck a fierce shot", "killing demand".
FIGURATIVE_TARGETS = frozenset(
    """level high low record peak mark headline headlines market markets price prices share
    shares stock stocks demand deal plan plans proposal bill idea ideas policy policies decision
    economy growth profit profits revenue revenues sale sales chance chances hope hopes ball shot
    shots goal goals note chord balance gold jackpot form return change illness title lead top
    chart charts record scope order orders trade business customer customers consumer consumers
    audience youth market target targets budget cost costs spending deadline expectation
    expectations forecast forecasts odds nerve chord jackpot agreement contract sponsorship
    reputation confidence credibility manifesto campaign election vote votes tax taxes hunger
    poverty crime corruption piracy spam racism disease cancer illness injury round rounds
    pace lead bottom spot position terror terrorism liberty liberties left right home act case
    cause cut cuts request requests question questions complaint complaints criticism call calls
    letter letters email emails message messages""".split()
)
FIGURATIVE_ACTORS = frozenset(
    """dollar euro pound yen currency market markets share shares stock stocks price prices index
    economy sale sales profit profits figure figures concern concerns worry worries fear fears
    inflation rate rates deficit gap report law bill rule rules policy film movie album song book
    show novel game campaign season decline declines cost costs tax taxes storm weather
    reality action""".split()
)


# People who can be the victims of political violence (besides named persons and counts).
HUMAN_NOUNS = frozenset(
    """civilian resident villager farmer shepherd worker child children woman women man men boy
    girl family people person protester demonstrator journalist reporter doctor nurse teacher
    student refugee idp citizen official minister leader mayor governor politician candidate
    judge lawyer activist member member passenger driver pilot worker employee tourist pilgrim
    worshipper prisoner detainee hostage victim body corpse baby infant teenager youth elder
    cleric imam priest monk nun local inhabitant trader shopkeeper owner dweller crowd mob
    soldier troop policeman officer guard militant fighter commander chief head spokesman""".split()
)

# Places, buildings and vehicles: what an attack can physically hit.
PHYSICAL_TARGETS = frozenset(
    """house home building office headquarters compound base airbase camp checkpoint post
    position outpost barracks station airport port harbour border crossing bridge road highway
    street square market mosque church temple shrine school university hospital clinic hotel
    embassy consulate prison jail court parliament ministry palace residence village town city
    district area neighbourhood neighborhood suburb province region territory land field
    farmland farm orchard crop well pipeline line tower plant refinery factory warehouse depot
    shop store restaurant cafe bank vehicle car bus truck lorry van tanker convoy train boat
    ship vessel plane aircraft helicopter drone tank motorcycle ambulance target site facility
    facilities infrastructure installation property tent shelter hideout den safehouse""".split()
)

# Agents that kill or injure without politics: nature, illness, accidents.
NATURAL_AGENTS = frozenset(
    """tsunami earthquake quake flood flooding storm hurricane typhoon cyclone tornado
    landslide avalanche blaze wildfire drought famine disease illness cancer aids virus
    infection epidemic pandemic plague stroke accident crash collision overdose
    heat cold lightning plague outbreak""".split()
)

ANIMALS = frozenset(
    """animal rabbit hare fox bull cow ox dog cat rat mouse mice pig boar sheep goat chicken hen
    bird duck goose pheasant grouse deer stag horse pony fish whale shark dolphin bear wolf lion
    tiger leopard elephant rhino badger squirrel snake crocodile insect mosquito bullfighter hound quarry prey""".split()
)

BODY_PARTS = frozenset(
    """calf knee hamstring ankle shoulder back bicep biceps thigh groin foot toe hand wrist finger
    elbow neck hip achilles ligament muscle rib ribs arm leg eye nose jaw""".split()
)

# Vocabularies of the kinds of news where "beat", "hit", "attack", "battle" are figures of
# speech. Counted per sentence and per article; each list is chosen to be rare in conflict
# reporting.
DOMAIN_WORDS: dict[str, frozenset[str]] = {
    "sport": frozenset(
        """match game season league cup championship tournament final semi-final quarter-final
        coach striker midfielder defender goalkeeper keeper goal score scorer draw team squad
        player club fixture olympic olympics medal champion championship title race rugby
        football soccer cricket tennis golf boxer boxing athlete athletics sprint marathon
        wicket innings referee scrum stadium pitch premiership lap podium trophy
        tie-break tries half-time captain seed semi final quarter-finals kick-off cap caps international sprinter fan fans""".split()
    ),
    "market": frozenset(
        """share shares stock stocks index investor profit profits revenue revenues sale sales
        earnings dividend bid takeover merger firm company analyst economy economic
        growth inflation dollar euro yen percent price prices trading trader deficit tax sector
        consumer customer customers business bank brand retailer shareholder
        shareholders bond bonds currency fund funds""".split()
    ),
    "entertainment": frozenset(
        """film movie album song band singer actor actress star director show series episode
        novel book character plot award oscar oscars box chart music musical theatre theater
        stage comedy drama documentary festival concert tour premiere audience fiction
        soundtrack studio hollywood bollywood rapper reviewer review screen sequel""".split()
    ),
    "technology": frozenset(
        """software computer computers pc pcs website internet user users virus viruses worm
        hacker hackers spam phishing broadband mobile phone phones device devices console
        gamer gamers gaming online email program programs technology microsoft apple google
        download downloads digital network networks gadget gadgets""".split()
    ),
    "science": frozenset(
        """study studies researcher researchers scientist scientists journal experiment
        experiments laboratory lab genome genomes species sample samples professor
        research microbiology biology physics chemistry molecule protein gene genes specimen
        hypothesis astronomer telescope""".split()
    ),
}

# Words that mark a report as being about conflict, unrest or security: they outweigh the
# domain vocabularies above when an article has both.
CONFLICT_WORDS = frozenset(
    """troop troops soldier soldiers army military militant militants insurgent insurgents
    rebel rebels guerrilla militia gunman gunmen terrorist terrorists terrorism jihadist
    extremist war conflict violence violent bomb bombing bombings explosion explosive airstrike
    missile rocket shelling mortar artillery weapon weapons rifle casualty casualties civilian
    civilians ceasefire insurgency hostage kidnapping checkpoint convoy occupation coup riot
    riots rioter rioters police security killed wounded injured dead fatalities massacre
    genocide assassination armed ambush raid offensive troops invasion kill killing""".split()
)

# Lemmas of trigger words whose ordinary sense in general news is not violence, with the
# words around them that make the figurative sense certain.
LABOUR_STRIKE_CUES = frozenset(
    """union unions worker workers staff walkout industrial pay wage wages action picket ballot
    hunger general postal servant servants employee employees""".split()
)
# Modifiers that make a battle or fight one of courts, boardrooms or markets.
NON_ARMED_BATTLE_MODIFIERS = frozenset(
    """legal court courtroom takeover boardroom price ratings pr public political election
    electoral bidding bid patent copyright custody republican democrat democratic conservative
    tory labour liberal partisan personal verbal""".split()
)
FILMING_CUES = frozenset("film movie scene scenes video footage episode series documentary camera location".split())
VIOLENT_DEATH_CUES = frozenset(
    """kill killed killing murder murdered shot shooting gunman gunmen attack attacked bomb
    bombing blast explosion stabbed stabbing beaten execution executed assassination
    assassinated massacre violence torture tortured toll injuries hospitalized hospitalised
    severely brutally""".split()
)

# Nouns that a trigger word only qualifies: "riot police", "the riot act", "death penalty",
# "murder trial", "battle scenes", "attack helicopter" name things, not events.
QUALIFIED_HEADS = frozenset(
    """act police penalty sentence squad gear shield van trial case scene scenes sequence film
    movie game games video helicopter dog dogs rifle plan plans simulation drill exercise""".split()
)
