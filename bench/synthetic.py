"""Generated conflict reports with the shape of real news, for benchmarks that need more articles
than ``../shared`` holds.

    .venv/bin/python bench/synthetic.py --n 400 [--compare]     # write nothing; print the shape
                                                                 # beside the real GVA reports

A throughput figure is only as honest as its input: text that is denser than news (an event and a
quoted source in every sentence, the same twenty places everywhere) makes the claim, event and
story stages look slower than they are, and text that is thinner makes them look faster. So the
generator is calibrated against the real GVA incident-cluster reports in ``../shared`` (read in
place when ``--compare`` asks, never copied) on what drives sitrep's cost:

* length: words per report drawn from a log-normal with the GVA median (218) and mean (326), so
  the long tail of 600–2,000-word features is there too;
* sentences of ≈ 17 words in short paragraphs (news style: one to three sentences each);
* entity density (≈ 11–12 named things, dates and numbers per 100 words) and the share of
  sentences with a reporting cue (≈ 35 %);
* story structure: an incident is told by one to several outlets (GVA: 1.7 reports per
  incident), each in its own words and order, and ≈ 5 % of reports are near-verbatim reprints;
* variety: thousands of real place names (the shipped gazetteer extract), a few thousand person
  names, and each outlet's own footer junk for the boilerplate learner.

Every sentence template below was written for this benchmark.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GAZETTEER = REPO / "src" / "sitrep" / "data" / "gazetteer" / "places.tsv.gz"
GVA = REPO.parent / "shared" / "eval" / "gva-incident-clusters" / "articles.jsonl"

# Countries whose towns the incidents happen in, with the country's name and demonym as news
# writes them.
THEATRES = {
    "IQ": ("Iraq", "Iraqi"), "SY": ("Syria", "Syrian"), "YE": ("Yemen", "Yemeni"),
    "AF": ("Afghanistan", "Afghan"), "LB": ("Lebanon", "Lebanese"), "NG": ("Nigeria", "Nigerian"),
    "ML": ("Mali", "Malian"), "SO": ("Somalia", "Somali"), "UA": ("Ukraine", "Ukrainian"),
    "PK": ("Pakistan", "Pakistani"), "LY": ("Libya", "Libyan"), "SD": ("Sudan", "Sudanese"),
    "TR": ("Turkey", "Turkish"), "EG": ("Egypt", "Egyptian"), "ET": ("Ethiopia", "Ethiopian"),
}
FIRST = ("Ahmed Mohammed Ali Hassan Omar Khalid Yusuf Ibrahim Mustafa Hussein Karim Samir Tariq Walid "
         "Nabil Faisal Hamid Rashid Salim Jamal Fatima Aisha Layla Maryam Noor Huda Zainab Rania Sara "
         "Amina John Michael David James Robert Mark Paul Peter Anna Maria Elena Olena Andriy Oleksandr "
         "Dmitry Sergei Abdullahi Musa Aliyu Chinedu Emeka Ngozi Amadou Moussa Ibrahima Fatoumata "
         "Abdirahman Mehmet Ayse Emre Kemal Hamza Bilal Rahim Gul Zahra Reza Farhad Kamal").split()
LAST = ("al-Maliki al-Jubouri al-Obeidi al-Hashimi Hamdan Saleh Nasser Haddad Khoury Aziz Rahman Karimi "
        "Hosseini Ahmadi Sultani Barzani Talabani Mahmoud Abdullah Osman Farah Warsame Diallo Traore "
        "Keita Coulibaly Okafor Adeyemi Bello Yusuf Mensah Kovalenko Shevchenko Bondarenko Melnyk "
        "Petrov Ivanov Smith Johnson Miller Brown Carter Lewis Walker Young Hill Green Baker Kaya "
        "Demir Yilmaz Celik Aydin Khan Qureshi Siddiqui Haqqani Durrani Popal Amiri Noori Safi Zaidi "
        "al-Tamimi al-Dulaimi al-Shammari al-Zubaidi al-Kubaisi al-Rubaie").split()
ROLES = ["police spokesman", "provincial governor", "army spokesman", "local councillor", "interior ministry spokesman",
         "health official", "military commander", "tribal leader", "defence ministry official", "mayor",
         "security official", "UN envoy", "hospital director", "witness", "aid worker"]
RANKS = ["Colonel", "Major General", "Brigadier", "Captain", "General", "Lieutenant Colonel"]
ARMED_GROUPS = ["Islamic State", "the Popular Mobilization Forces", "al-Shabaab", "the Taliban", "Boko Haram",
                "the Houthis", "the Syrian Democratic Forces", "the Peshmerga", "Hezbollah", "Kataib Hezbollah",
                "the Rapid Support Forces", "the Wagner Group", "JNIM", "Hayat Tahrir al-Sham", "the PKK"]
IRREGULARS = ["unidentified gunmen", "insurgents", "rebel fighters", "militants", "tribal fighters", "an armed group"]
STATE_FORCES = ["the army", "security forces", "the police", "government troops", "the air force",
                "special forces", "border guards", "the coalition", "federal police", "the national guard"]
ORGS = ["the United Nations", "the Red Crescent", "Human Rights Watch", "Amnesty International",
        "the World Health Organization", "Doctors Without Borders", "the International Committee of the Red Cross",
        "the Interior Ministry", "the Defence Ministry", "the Health Ministry", "the European Union",
        "the African Union", "the State Department", "the Pentagon", "NATO", "the World Food Programme"]
ANON = ["a security source", "a police officer who asked not to be named", "two officials", "local sources",
        "a military source", "residents", "witnesses", "sources close to the investigation", "an official"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CLOCK = ["at dawn", "around midnight", "in the early hours", "shortly after noon", "at about 9 p.m.", "overnight"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "12", "15", "20", "at least 23",
           "dozens of"]

# What happened, by kind: the lead, the facts a report may add (no attribution: the writer gives
# each its source, or none), and the headline.
INCIDENTS = {
    "attack": ("{actor} attacked {target} in {place} {when}, killing {n} people and wounding {n2} others",
               ["the attackers fled towards {place2} before reinforcements arrived",
                "{n2} of the wounded were taken to hospitals in {city}, where {n3} were in a critical condition",
                "it was the deadliest attack in {province} since {month}",
                "the gunmen arrived in {n3} pick-up trucks and opened fire on the guards at the entrance",
                "a curfew was imposed on {place} and the roads leading to {place2}",
                "the bodies of {n3} victims had not yet been identified"],
               "{n} killed in attack on {target} in {place}"),
    "airstrike": ("an air strike hit {target} near {place} {when}, killing {n} people",
                  ["the strike destroyed several buildings and a weapons depot on the edge of {place}",
                   "aircraft were heard over {place2} for more than an hour before the first explosion",
                   "{n2} of the dead were women and {n3} were children",
                   "rescue workers were still searching the rubble on {weekday} evening",
                   "{actor} had been using the site to store rockets and drones",
                   "the strike was the third in the area since {month}"],
                  "Air strike hits {target} near {place}"),
    "shelling": ("artillery shells fell on {place} {when}, wounding {n} civilians",
                 ["shelling also hit the outskirts of {place2}, damaging a school and a water station",
                  "the bombardment lasted until {clock_end}",
                  "the town has changed hands several times since {month} {year}",
                  "{n2} houses were destroyed and hundreds of families left for {city}",
                  "the shells were fired from positions held by {actor} about {km} kilometres away"],
                 "Shelling wounds {n} in {place}"),
    "protest": ("thousands of protesters marched through {place} {when} to demand {demand}",
                ["police fired tear gas to disperse crowds near the governor's office",
                 "{n2} protesters were arrested and {n3} were injured in scuffles with the police",
                 "similar rallies were held in {place2} and {city}",
                 "the protests were the largest in {province} since {year}",
                 "demonstrators blocked the main road to {city} with burning tyres"],
                "Protesters in {place} demand {demand}"),
    "deployment": ("{actor} deployed {equipment} to {place} {when}",
                   ["the move follows weeks of rocket attacks on bases in {province}",
                    "about {n2} hundred troops travelled with the convoy from {city}",
                    "the {equipment} are expected to stay in {place} until {month}",
                    "{country} has not commented on the deployment",
                    "the reinforcements arrived at the base in {place} late at night"],
                   "{actor_title} moves {equipment} to {place}"),
    "arrest": ("{actor} arrested {n} suspects in {place} {when} over a series of bombings",
               ["the suspects were taken to {city} for questioning",
                "weapons and explosives were found in a house in {place2}",
                "their trial is expected to begin in {month}",
                "the suspects are accused of belonging to {group}",
                "{n3} of those arrested were released without charge on {weekday}"],
               "{n} arrested in {place} over bombings"),
    "clash": ("fighting broke out between {actor} and {target} near {place} {when}",
              ["the clashes spread to {place2} by the evening",
               "{n2} fighters were killed on both sides",
               "a ceasefire agreed in {month} has largely collapsed",
               "both sides used mortars and heavy machine guns in the fighting around {place}",
               "the fighting forced the closure of the highway between {place} and {city}"],
              "Clashes near {place} kill {n2}"),
    "abduction": ("gunmen abducted {n} aid workers on the road between {place} and {place2} {when}",
                  ["the kidnappers have not made any demands",
                   "{org} has suspended its work in {province}",
                   "kidnappings for ransom have risen sharply since {month}",
                   "the aid workers were travelling to a clinic in {place2} when their car was stopped",
                   "security forces launched a search operation in the hills around {place}"],
                  "{n} aid workers abducted near {place}"),
}
EQUIPMENT = ["Patriot missile batteries", "armoured vehicles", "attack helicopters", "drones", "artillery units",
             "air defence systems", "tanks", "reinforcements"]
DEMANDS = ["jobs and better services", "an end to corruption", "early elections", "the release of detainees",
           "the resignation of the government", "electricity and clean water"]
TARGETS = ["a checkpoint", "a military base", "a police station", "a convoy", "a market", "a mosque",
           "an army post", "a government building", "a village", "a camp for displaced people", "a hospital"]

# Clauses that carry no event of the story: background, colour, reaction. Fields are filled from
# the incident, so names and dates recur as they do in real reports.
BACKGROUND = [
    "{province} has been one of the most unstable regions of {country} for years",
    "the area lies about {km} kilometres from {city}",
    "attacks claimed by {group} have killed hundreds of people in the region since {year}",
    "the government has promised to restore order but has struggled to do so",
    "many families have fled the fighting and now live in tents on the edge of {city}",
    "prices of food and fuel have doubled since {month}",
    "the road to {city} remained closed on {weekday}",
    "local hospitals are short of medicine, fuel for their generators and trained staff",
    "it was not immediately clear who was behind the violence",
    "elections are due to be held in {month}, but few expect them to take place on time",
    "the region has seen a wave of violence since {year}",
    "aid groups have warned of a growing humanitarian crisis in {province}",
    "schools in the district were closed for the rest of the week",
    "security was tightened around government buildings in {city}",
    "the incident came two days after a visit by {person} to the area",
    "mobile phone networks were cut for several hours",
    "tensions between the two sides have been rising for months",
    "the United Nations estimates that more than {n4} people have been displaced",
    "{person} called for calm and urged residents to stay indoors",
    "the {demonym} government has blamed foreign fighters for much of the violence",
    "talks between the government and {group} broke down in {month} {year}",
    "the attack is likely to add to pressure on the government, which faces a budget crisis",
    "{org} has repeatedly called on all sides to protect civilians",
    "more than half of the population of {province} depends on food aid",
    "the border crossing near {place2} has been closed since {month}",
    "officials have offered a reward for information about those responsible",
    "the violence has hit farmers hardest, as many cannot reach their fields",
    "a similar incident in {place2} in {month} left {n3} people dead",
]
# Sentences with no names at all, as every report has some.
COLOUR = [
    "the sound of the blasts could be heard several kilometres away",
    "by the afternoon, shops had begun to reopen and traffic had returned to the main road",
    "relatives gathered outside the morgue waiting for news of the missing",
    "the cause of the fire that followed was not yet known",
    "officials said an investigation had been opened",
    "people in the area say they no longer trust the promises of politicians",
    "the power went out soon after the first explosion and did not come back until the next day",
    "some families loaded their belongings onto trucks and left for safer areas",
    "it was the second such incident this month",
    "the number of victims is expected to rise as rescue teams reach outlying villages",
    "volunteers used their own cars to carry the injured to the nearest clinic",
    "there was no immediate claim of responsibility",
    "the main road was reopened late in the evening after the debris was cleared",
    "prayers for the dead were held the following morning",
    "a spokesman declined to give further details",
    "the region has few paved roads and the nearest hospital is hours away",
]
HISTORY = [
    "in {month} {year}, {n} people were killed when {group} attacked {target} in {place}",
    "{group} seized {place} in {year} and held it for several months",
    "{person}, a former {role}, was killed in an ambush near {place} in {month} {year}",
    "a bombing at {target} in {place} in {year} killed {n} people and was claimed by {group}",
    "in {year}, {n} soldiers died when their convoy was ambushed outside {place}",
    "the last major offensive against {group} in {country} began in {month} {year} near {place}",
]
JOINERS = ["while", "and", "but", "as", "although"]
JOBS = ["teacher", "farmer", "taxi driver", "student", "shopkeeper", "nurse", "soldier", "engineer", "baker",
        "mechanic", "policeman", "doctor", "labourer", "imam", "tailor", "truck driver"]
RELATIVES = ["brother", "son", "daughter", "wife", "cousin", "father", "nephew", "two sons"]
SHOPS = ["bakery", "pharmacy", "tea house", "mobile phone shop", "butcher's shop", "car repair shop", "grocery"]
VEHICLES = ["a white pick-up truck", "two motorcycles", "a minibus", "an ambulance", "a black saloon car",
            "a fuel tanker", "a water truck", "an armoured jeep"]
ORDINALS = ["2nd", "3rd", "5th", "7th", "9th", "11th", "14th", "16th", "20th", "23rd"]


def _street(rng: random.Random) -> str:
    return f"{rng.choice(LAST).removeprefix('al-')} {rng.choice(['Street', 'Road', 'Square', 'district', 'quarter'])}"


# Particulars of one incident, made once for it with names of their own, so that its reports
# share them and reports of other incidents do not (as real reports of one event share the
# victims' names and the street it happened in).
DETAILS = [
    lambda rng, inc: f"the victims included {person(rng)}, a {rng.randint(17, 70)}-year-old {rng.choice(JOBS)}, "
                     f"and his {rng.choice(RELATIVES)}",
    lambda rng, inc: f"{person(rng)}, who runs a {rng.choice(SHOPS)} on {_street(rng)}, saw {rng.choice(VEHICLES)} "
                     f"drive away just before it happened",
    lambda rng, inc: f"the {rng.choice(ORDINALS)} Brigade had taken over security in {inc.facts['place']} only "
                     f"{rng.choice(['two', 'three', 'six'])} weeks earlier",
    lambda rng, inc: f"the wounded were treated at the {rng.choice(LAST).removeprefix('al-')} hospital in "
                     f"{inc.facts['city']}",
    lambda rng, inc: f"{inc.facts['place']} is home to about {rng.randint(3, 90)},000 people, most of them "
                     f"{rng.choice(['farmers', 'traders', 'herders', 'fishermen', 'labourers'])}",
    lambda rng, inc: f"{_street(rng)} and the market around it were sealed off by {inc.facts['actor'] if inc.kind == 'deployment' else 'the police'}",
    lambda rng, inc: f"{person(rng)}, the head of the local council, was among those who "
                     f"{rng.choice(['visited the site', 'attended the funerals', 'called for an inquiry'])}",
    lambda rng, inc: f"a {rng.choice(JOBS)} named {person(rng)} was reported missing after the incident",
]
QUOTES = [
    "We heard a huge explosion and then gunfire for an hour",
    "The situation is very dangerous and people are afraid to leave their homes",
    "We will not allow these criminals to threaten our people",
    "Our forces are in full control of the area",
    "We need help, the hospitals cannot cope",
    "Those responsible will be brought to justice",
    "This is a clear violation of the ceasefire",
    "Nobody has told us anything about our relatives",
    "We have lost everything, our house, our car, our shop",
    "The government has abandoned us",
    "We are working around the clock to reopen the road",
    "Every night we sleep in our clothes, ready to run",
]
SAID = ["said", "said", "said", "told reporters", "said in a statement", "told {outlet}", "said on {weekday}",
        "confirmed", "added", "claimed", "told a news conference"]
JUNK = ["Share this article", "Follow us on Telegram", "Read more:", "Advertisement", "Subscribe to our newsletter",
        "Comments are closed.", "Related articles", "Click here to read more", "All rights reserved.",
        "Sign up for our daily briefing", "Tags: security, conflict", "Print this page"]
OUTLET_NAMES = ("Courier Herald Tribune Observer Monitor Post Chronicle Gazette Times Dispatch Sentinel Mirror "
                "Express Standard Review Journal Bulletin Record Star Echo").split()
OUTLET_PLACES = "Eastern Northern Gulf Levant Horn Sahel Capital National Frontier Coastal Desert River".split()


# Each outlet words the shared templates its own way: a report picks one variant per word group.
WORDINGS = [
    ("killing", ["killing", "leaving dead", "claiming the lives of"]),
    ("wounding", ["wounding", "injuring", "hurting"]),
    ("attacked", ["attacked", "stormed", "raided", "targeted"]),
    ("fled towards", ["fled towards", "escaped in the direction of", "withdrew towards"]),
    ("destroyed", ["destroyed", "levelled", "flattened", "wrecked"]),
    ("arrested", ["arrested", "detained", "rounded up", "picked up"]),
    ("suspects", ["suspects", "people", "men", "alleged militants"]),
    ("protesters", ["protesters", "demonstrators", "marchers"]),
    ("fighting broke out", ["fighting broke out", "clashes erupted", "heavy fighting was reported"]),
    ("abducted", ["abducted", "kidnapped", "seized", "snatched"]),
    ("deployed", ["deployed", "sent", "moved", "dispatched"]),
    ("air strike", ["air strike", "airstrike", "aerial bombardment", "air raid"]),
    ("artillery shells fell on", ["artillery shells fell on", "shells slammed into", "mortar rounds hit"]),
    ("civilians", ["civilians", "residents", "people"]),
    ("the area", ["the area", "the region", "the district"]),
    ("government", ["government", "authorities", "administration"]),
    ("security forces", ["security forces", "the security services", "troops"]),
    ("hospitals", ["hospitals", "clinics", "medical centres"]),
    ("for years", ["for years", "for a decade", "for a long time"]),
    ("since", ["since", "ever since"]),
]


def wording(rng: random.Random) -> list[tuple[str, str]]:
    """One report's choice of words for the shared templates."""
    return [(base, rng.choice(variants)) for base, variants in WORDINGS]


def reword(text: str, choice: list[tuple[str, str]]) -> str:
    for base, variant in choice:
        if variant != base and base in text:
            text = text.replace(base, variant)
    return text


def _sentence(clause: str) -> str:
    """A clause as a sentence of its own: capitalised, with a full stop."""
    return clause[:1].upper() + clause[1:] + "."


@lru_cache(maxsize=1)
def towns() -> dict[str, list[tuple[str, int]]]:
    """ASCII names of populated places in each theatre country, with population, from the shipped
    gazetteer extract (the project's own file, so the generator needs nothing from ../shared)."""
    out: dict[str, list[tuple[str, int]]] = {cc: [] for cc in THEATRES}
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if len(col) < 15 or col[6] != "P" or col[8] not in out:
                continue
            name = col[2] or col[1]
            if name and name.isascii() and name.count(" ") <= 1:
                out[col[8]].append((name, int(col[14] or 0)))
    return {cc: sorted(v, key=lambda t: -t[1]) for cc, v in out.items() if v}


def outlets(count: int = 60) -> list[str]:
    rng = random.Random(11)
    names = set()
    while len(names) < count:
        names.add(f"The {rng.choice(OUTLET_PLACES)} {rng.choice(OUTLET_NAMES)}")
    return sorted(names)


@dataclass
class Incident:
    """What the reports of one story agree on."""

    id: int
    kind: str
    country: str
    day: date
    facts: dict[str, str]
    background: list[str] = field(default_factory=list)  # the context its reports draw on
    details: list[str] = field(default_factory=list)  # particulars only this incident has
    facts_told: list[str] = field(default_factory=list)  # which of its kind's facts it has
    reports: int = 0


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def incident(rng: random.Random, i: int, day: date) -> Incident:
    cc = rng.choice(list(THEATRES))
    country, demonym = THEATRES[cc]
    places = towns()[cc]
    big = places[: max(5, len(places) // 20)]  # cities: the biggest twentieth
    kind = rng.choice(list(INCIDENTS))
    state = rng.random() < 0.5
    actor = rng.choice(STATE_FORCES) if state else rng.choice(ARMED_GROUPS + IRREGULARS)
    if state and rng.random() < 0.5:
        actor = f"{demonym} {actor.removeprefix('the ')}"
    facts = {
        "place": rng.choice(places)[0], "place2": rng.choice(places)[0], "city": rng.choice(big)[0],
        "province": f"{rng.choice(big)[0]} province", "country": country, "demonym": demonym,
        "actor": actor, "group": rng.choice(ARMED_GROUPS), "target": rng.choice(TARGETS),
        "n": rng.choice(NUMBERS), "n2": rng.choice(NUMBERS[:10]), "n3": rng.choice(NUMBERS[:4]),
        "n4": f"{rng.randint(2, 900)},000", "km": str(rng.randint(5, 250)),
        "month": rng.choice(MONTHS), "year": str(rng.randint(2011, 2019)), "org": rng.choice(ORGS),
        "equipment": rng.choice(EQUIPMENT), "demand": rng.choice(DEMANDS),
        "official": f"{rng.choice(RANKS)} {person(rng)}" if rng.random() < 0.4 else person(rng),
        "role": rng.choice(ROLES), "person": person(rng), "weekday": WEEKDAYS[day.weekday()],
        "demonym_actor": demonym,
        "clock_end": rng.choice(["the morning", "late afternoon", "nightfall", "midnight"]),
    }
    if kind == "clash" and not state:
        facts["target"] = rng.choice(STATE_FORCES)
    inc = Incident(i, kind, cc, day, facts, background=rng.sample(BACKGROUND, 6))
    inc.details = [detail(rng, inc) for detail in rng.sample(DETAILS, 3)]
    inc.facts_told = rng.sample(INCIDENTS[kind][1], 3)  # what is known of this one
    return inc


class Writer:
    """Writes one outlet's report of an incident: the lead, then the story's facts (mostly
    attributed), quotes, background and colour in an order of its own, up to a drawn length."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = wording(rng)

    def fill(self, template: str, inc: Incident, published: date) -> str:
        """``template`` with the incident's facts, the time said relative to ``published``."""
        rng, f = self.rng, inc.facts
        delta = (published - inc.day).days
        when = f"on {f['weekday']}" if delta else "today"
        if delta > 6:
            when = f"on {inc.day.day} {MONTHS[inc.day.month - 1]}"
        elif rng.random() < 0.3:
            when = f"{rng.choice(CLOCK)} {when}" if delta else rng.choice(CLOCK)
        return reword(template, self.words).format(**f, when=when, outlet=rng.choice(outlets()),
                               actor_title=f["actor"][:1].upper() + f["actor"][1:])

    def attributed(self, clause: str, inc: Incident) -> str:
        """``clause`` said by someone: a named official, an organisation or an anonymous source,
        in one of the three shapes news uses (trailing cue, "according to", "X said that")."""
        rng, f = self.rng, inc.facts
        who = rng.random()
        if who < 0.4:
            source = f"{f['official']}, a {f['role']}," if rng.random() < 0.6 else f["official"]
        elif who < 0.6:
            source = f["org"]
        else:
            source = rng.choice(ANON)
        verb = rng.choice(SAID).format(outlet=rng.choice(outlets()), weekday=f["weekday"])
        shape = rng.random()
        if shape < 0.45:
            return f"{_sentence(clause)[:-1]}, {source} {verb}."
        if shape < 0.75:
            return f"According to {source.rstrip(',')}, {clause}."
        return _sentence(f"{source} {verb} that {clause}")

    def history(self, inc: Incident) -> str:
        """An earlier incident elsewhere in the country, with facts of its own (long reports
        recount the background; this keeps them from repeating themselves)."""
        rng = self.rng
        place = rng.choice(towns()[inc.country])[0]
        return rng.choice(HISTORY).format(
            month=rng.choice(MONTHS), year=rng.randint(2012, 2019), n=rng.choice(NUMBERS),
            group=rng.choice(ARMED_GROUPS), target=rng.choice(TARGETS), place=place, person=person(rng),
            role=rng.choice(ROLES), country=inc.facts["country"])

    def quote(self, inc: Incident) -> str:
        rng = self.rng
        speaker = rng.choice([inc.facts["official"], person(rng), "one resident", "a shopkeeper"])
        return f"\u201c{rng.choice(QUOTES)},\u201d {speaker} said."

    def report(self, inc: Incident, published: date, target_words: int) -> tuple[str, str]:
        """(headline, body) of about ``target_words`` words; the body ends in footer junk."""
        rng = self.rng
        lead, _, title = INCIDENTS[inc.kind]
        sentences = [_sentence(self.fill(lead, inc, published))]
        words = len(sentences[0].split())
        # each outlet has part of what is known (the facts and particulars first, then some of
        # the background), and words of its own in between; a long report goes on with earlier
        # incidents (history), as long features do, rather than repeat itself
        pool = [("background", c) for c in rng.sample(inc.background, len(inc.background) // 2)]
        told = inc.details + inc.facts_told
        pool += [("fact", c) for c in rng.sample(told, (len(told) + 1) // 2)]
        while words < target_words:
            if pool and rng.random() < 0.6:
                kind, template = pool.pop()
            elif rng.random() < 0.4:
                kind, template = "history", self.history(inc)
            else:
                kind, template = "colour", rng.choice(COLOUR)
            draw = rng.random()
            if draw < 0.1:
                s = self.quote(inc)
            elif kind == "fact" and draw < 0.6 or kind != "fact" and draw < 0.2:
                s = self.attributed(self.fill(template, inc, published), inc)
            elif draw < 0.7 or not pool:
                s = _sentence(self.fill(template, inc, published))
            else:  # two clauses in one sentence, as news writes them
                other = pool.pop()[1]
                s = _sentence(f"{self.fill(template, inc, published)}, {rng.choice(JOINERS)} "
                              f"{self.fill(other, inc, published)}")
            sentences.append(s)
            words += len(s.split())
        paras, i = [], 0
        while i < len(sentences):
            k = rng.choice([1, 1, 2, 2, 3])
            paras.append(" ".join(sentences[i:i + k]))
            i += k
        return self.fill(title, inc, published), "\n\n".join(paras) + "\n\n" + "\n".join(rng.sample(JUNK, 2))


def report_length(rng: random.Random) -> int:
    """Words in a report: log-normal with the GVA reports' median (218) and mean (326)."""
    mu, sigma = math.log(218), math.sqrt(2 * math.log(326 / 218))
    return max(40, min(2500, int(rng.lognormvariate(mu, sigma))))


def records(n: int, seed: int = 7):
    """``n`` JSONL-ready report records, in publication order, deterministic for ``seed``."""
    rng = random.Random(seed)
    names = outlets()
    start = date(2020, 1, 1)
    open_incidents: list[Incident] = []
    prev = None
    for i in range(n):
        day = start + timedelta(days=i * 365 // max(n, 1))
        if prev is not None and rng.random() < 0.05:  # a reprint: another outlet, light edits
            body = prev["text"].replace(" said ", " stated ", 1).replace("According to", "Citing", 1)
            yield dict(prev, id=f"syn-{i}", outlet=rng.choice(names), url=f"https://reprint.example/{i}", text=body)
            continue
        open_incidents = [x for x in open_incidents if (day - x.day).days <= 3 and x.reports < 6]
        if open_incidents and rng.random() < 0.42:
            inc = rng.choice(open_incidents)
        else:
            inc = incident(rng, i, day - timedelta(days=rng.choice([0, 1, 1, 2])))
            open_incidents.append(inc)
        inc.reports += 1
        outlet = rng.choice(names)
        title, text = Writer(rng).report(inc, day, report_length(rng))
        rec = {"id": f"syn-{i}", "outlet": outlet, "url": f"https://{names.index(outlet)}.example/{i}",
               "title": title, "published": day.isoformat(), "text": text, "incident": inc.id}
        prev = rec
        yield rec


def generate(n: int, path: Path, seed: int = 7) -> int:
    """Write ``n`` records to ``path`` (JSONL); returns the number of words written."""
    words = 0
    with path.open("w") as fh:
        for rec in records(n, seed):
            words += len(rec["text"].split())
            fh.write(json.dumps(rec) + "\n")
    return words


def shape(texts: list[str], parse_sample: int = 300) -> dict:
    """What the calibration compares: length deciles, words per sentence, share of sentences
    with a reporting cue, and named things per 100 words (the plain spaCy model's view)."""
    import statistics

    import spacy

    from sitrep.nlp import MODEL_NAME

    words = [len(t.split()) for t in texts]
    nlp = spacy.load(MODEL_NAME)
    alpha = sents = cued = ents = 0
    for doc in nlp.pipe(texts[:parse_sample], batch_size=32):
        alpha += sum(1 for t in doc if t.is_alpha)
        ents += len(doc.ents)
        for s in doc.sents:
            sents += 1
            cued += any(t.lemma_ in {"say", "tell", "report", "accord", "claim", "confirm"} for t in s)
    return {"reports": len(texts), "mean words": round(statistics.mean(words)),
            "median words": round(statistics.median(words)),
            "deciles": [round(x) for x in statistics.quantiles(words, n=10)],
            "words per sentence": round(alpha / max(sents, 1), 1),
            "cue sentences %": round(100 * cued / max(sents, 1), 1),
            "entities per 100 words": round(100 * ents / max(alpha, 1), 1)}


def similarity(records: list[tuple[str, str, object]], pairs: int = 3000, seed: int = 1) -> dict:
    """Median TF-IDF cosine (the story clusterer's own weighting) between two reports of one
    incident and between reports of two: how hard the reports make story clustering."""
    import statistics

    from sitrep.model import Article, OffsetMap
    from sitrep.stories.cluster import StoryClusterer, _dot

    clusterer = StoryClusterer()
    articles = [Article(id=str(i), source_path="", text=text, original=text, offsets=OffsetMap(), title=title)
                for i, (title, text, _) in enumerate(records)]
    for a in articles:  # document frequencies first, then every report weighed with them all
        clusterer._terms.weigh(clusterer._term_counts(a))
    vecs = [clusterer._terms.weigh(clusterer._term_counts(a), learn=False) for a in articles]
    by_incident: dict = {}
    for i, (_, _, incident) in enumerate(records):
        by_incident.setdefault(incident, []).append(i)
    same = [_dot(vecs[ks[0]], vecs[ks[1]]) for ks in by_incident.values() if len(ks) > 1]
    rng = random.Random(seed)
    other = []
    for _ in range(pairs):
        i, j = rng.sample(range(len(vecs)), 2)
        if records[i][2] != records[j][2]:
            other.append(_dot(vecs[i], vecs[j]))
    return {"cosine same incident (median)": round(statistics.median(same), 2),
            "cosine other incident (median)": round(statistics.median(other), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--compare", action="store_true", help="print the shape beside the real GVA reports")
    ap.add_argument("--show", type=int, default=0, help="print this many generated reports")
    args = ap.parse_args()
    import sys

    sys.path.insert(0, str(REPO / "src"))
    recs = list(records(args.n))
    for rec in recs[: args.show]:
        print(f"--- {rec['id']} {rec['outlet']} {rec['published']} incident {rec['incident']}\n{rec['title']}\n\n{rec['text']}\n")
    incidents = len({r["incident"] for r in recs})
    print(f"generated: {incidents} incidents, {len(recs) / incidents:.2f} reports each;",
          json.dumps(shape([r["text"] for r in recs]) | similarity(
              [(r["title"], r["text"], r["incident"]) for r in recs])))
    if args.compare:
        if not GVA.exists():
            print(f"skipped: {GVA} is absent")
            return
        gva = [json.loads(line) for line in GVA.open()]
        incidents = len({r["incident_id"] for r in gva})
        print(f"GVA:       {incidents} incidents, {len(gva) / incidents:.2f} reports each;",
              json.dumps(shape([r["text"] for r in gva]) | similarity(
                  [(r["title"], r["text"], r["incident_id"]) for r in gva])))


if __name__ == "__main__":
    main()
