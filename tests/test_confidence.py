"""Event confidence: ordinary news (sport, markets, science, reviews) yields no political-violence
event an analyst would see, while conflict reporting keeps its events, each with its reasons."""
from __future__ import annotations

from datetime import date

import pytest

from sitrep.events.confidence import MIN_CONFIDENCE, POLITICAL_VIOLENCE, argument_class, is_confident
from sitrep.events.extract import extract_events
from sitrep.events.stage import load_nlp
from sitrep.model import Article, Cue, DateRange, Event, OffsetMap, Place
from sitrep.vocab import PlacePrecision

PUBLISHED = DateRange(date(2021, 6, 14), date(2021, 6, 14))

# Pages written for these tests in the register of their kind of news; each holds several
# violent-sounding trigger words used figuratively.
SPORT_PAGE = """Wales beat Hungary 2-0 in Cardiff on Saturday to reach the quarter-finals of the championship.

Gareth Bale struck a fierce shot past the goalkeeper after 20 minutes, and Aaron Ramsey hit the post before half-time. The visitors fought back in the second half but the Welsh defence held firm in a bruising battle.

"We attacked them from the first whistle and the fans were magnificent," the Wales coach said after the match. Ramsey was injured late on and is a doubt for the clash with Belgium next week.

Patton was beaten out by Wichita Heights' Aidan Gantenbein in the 800m final, while Kelly Holmes stormed to victory in the 1500m.

Hungary's manager said his team had lacked a cutting edge in front of goal. "We created chances in the first half but their keeper was excellent, and when you do not score you lose matches like this," he told reporters. The defeat leaves Hungary third in the group with one game to play.

Wales, who have now won four of their last five matches, will travel to Brussels with a full squad apart from Ramsey. The league season resumes in August, and several of the players are expected to be rested by their clubs after the tournament."""

MARKET_PAGE = """Shares in the carmaker hit their highest level in three years on Tuesday after the company raised its profit forecast.

The dollar struck a five-month low against the euro, and concerns about inflation hit bond markets across Europe. Analysts said the firm had beaten expectations, killing off fears of a loss in the fourth quarter.

The takeover battle for the retailer intensified as a rival bidder attacked the board's plan. Investors have targeted the technology sector, and the company will launch a new range of electric cars in the spring.

The chief executive told shareholders that sales in China rose 12% in the quarter, while revenue in Europe was flat. The group expects earnings per share of $4.10 for the year, ahead of the consensus of analysts polled by the exchange.

The wider stock market was mixed. The FTSE 100 index closed 0.3% higher, while oil prices fell after figures showed a rise in US crude inventories. Bank shares were weighed down by worries over interest rates, and the central bank is expected to keep its main rate on hold at its meeting next week."""

SCIENCE_PAGE = """Researchers at the university found that the virus attacked the immune cells of mice within hours of infection.

In the field study, a hunter killing a rabbit was filmed by camera traps, and foxes ambushed their prey at night. The team said the heat wave that hit the region last summer killed thousands of fish in the lake.

The surface of the keyboard reached 107 degrees Fahrenheit during the test, and the scientists fought to keep the samples cool.

The findings, published in the journal Nature, suggest that the immune response of small mammals is faster than earlier models assumed. The researchers sequenced the genomes of 40 animals and compared them with data from a database of laboratory strains.

"This changes how we think about the first hours of an infection," said the study's lead author, a professor of microbiology. Further experiments on cell cultures are planned for next year, and the team has applied for funding from a European research programme to extend the study to birds."""

REVIEW_PAGE = """The strange new reality that had ambushed her is the subject of the director's new film, which was shot in Cape Town last spring.

The battle scenes have the bravado you expect, but the film bombed at the box office. The lead actress killed it in the final act, and critics attacked the screenplay as a mess.

The novel it is based on, a best-seller, tells of a soldier who fights his own demons after the war. Reviewers said the sequel will storm the charts.

The film stars two newcomers in the lead roles, with a score by an award-winning composer and cinematography that makes the most of the coastal locations. At two and a half hours, it is long, and the second act drags.

The studio has high hopes for the film at the awards season, and it opens in cinemas across the country on Friday. The director's previous feature, a comedy about a travelling band, won the audience prize at the festival two years ago. Three stars out of five."""

CONFLICT_PAGE = """Gunmen killed three civilians in an attack on a village near Kirkuk on Monday, police said.

Iraqi security forces clashed with Islamic State militants in the Hamrin mountains on Tuesday, and two soldiers were wounded. A roadside bomb exploded near a military convoy on the road to Tikrit.

Protesters stormed the provincial council building in Basra and set fire to tyres."""


# A health page in the register of the plague stories among the 100 real pages: a hunter killing a
# rabbit (the object shared by "killed and ate"), a pandemic of the 14th century, an outbreak
# that killed a couple, and a civilian flight that "landed".
HEALTH_PAGE = """A HUNTER who killed and ate a wild rabbit in China has been hit by the deadly bubonic plague, health officials said.

Both diseases are associated with the Black Death pandemic that killed an estimated 25 million people in Europe alone in the 14th Century. In May this year, travellers were left stranded in Mongolia after an outbreak of deadly bubonic plague killed a couple after they ate an infected marmot.

The special aircraft carrying the patients' relatives landed at the airport at 6am, an official said. Doctors at the hospital said the patient was in a stable condition and that the risk to the public was low, and researchers will study samples from the area to learn how the infection spread."""

# A politics page with the related-links lines and figurative senses found on the 100 real pages.
POLITICS_PAGE = """The governor said on Monday that the state would spend more on treatment programmes for addiction.

"I am confident South Dakota can lead the country in this effort and demonstrate ways we can aggressively combat addiction," Noem said. Refugees must not be forced to make decisions under threat of starvation, the aid group added. The general had warned about the costs and risks of a new escalation.

China furious at Macron for Hong Kong protest jibe [INSIGHT]
Senators call for 5G security coordinator | Facebook gets questions over location tracking | Louisiana hit by ransomware attack

Vindman said it was his duty to report his concerns, as he deflected Republican attacks on his loyalty.

The legislature will debate the budget next week, and the governor expects the bill to pass before the summer recess."""


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def events_of(nlp, text: str):
    article = Article(id="t1", source_path="test", text=text, original=text, offsets=OffsetMap(), published=PUBLISHED)
    return extract_events(article, nlp(text))


@pytest.mark.parametrize("page", [SPORT_PAGE, MARKET_PAGE, SCIENCE_PAGE, REVIEW_PAGE], ids=["sport", "market", "science", "review"])
def test_ordinary_news_has_no_confident_political_violence(nlp, page):
    events = events_of(nlp, page)
    candidates = [e for e in events if e.acled_event_type in POLITICAL_VIOLENCE]
    assert candidates, "the page should tempt the extractor, or the test proves nothing"
    shown = [(e.trigger.text, e.confidence, e.confidence_reasons) for e in candidates if is_confident(e)]
    assert shown == []
    for e in candidates:  # every rejection says why
        assert e.confidence_reasons and e.confidence_reasons[0].endswith("base")
        assert len(e.confidence_reasons) > 1


def test_a_health_page_yields_no_confident_violence_or_deployment(nlp):
    events = events_of(nlp, HEALTH_PAGE)
    assert any(e.acled_event_type in POLITICAL_VIOLENCE for e in events), "the page should tempt the extractor"
    shown = [(e.type, e.trigger.text, e.confidence_reasons) for e in events if is_confident(e) and e.acled_event_type]
    assert shown == []


def test_furniture_and_figurative_senses_on_a_politics_page_are_not_shown(nlp):
    events = events_of(nlp, POLITICS_PAGE)
    assert events, "the page should tempt the extractor, or the test proves nothing"
    shown = [(e.type, e.trigger.text, e.confidence_reasons) for e in events if is_confident(e)]
    assert shown == []


def test_conflict_reporting_keeps_its_violent_events(nlp):
    events = events_of(nlp, CONFLICT_PAGE)
    kept = {e.trigger.text.lower() for e in events if e.acled_event_type in POLITICAL_VIOLENCE and is_confident(e)}
    assert {"killed", "clashed", "exploded", "stormed"} <= kept
    killed = next(e for e in events if e.trigger.text == "killed")
    assert killed.confidence >= MIN_CONFIDENCE + 0.2
    assert any("plausible actor" in r for r in killed.confidence_reasons)


def test_reasons_name_the_figurative_sense(nlp):
    events = events_of(nlp, SPORT_PAGE)
    beat = next(e for e in events if e.trigger.text == "beat")
    assert any("a win, not an assault" in r for r in beat.confidence_reasons)
    assert any("a score" in r for r in beat.confidence_reasons)
    market = events_of(nlp, MARKET_PAGE)
    hit = next(e for e in market if e.trigger.text == "hit")
    assert any("actor 'Shares" in r and "abstract" in r for r in hit.confidence_reasons)


def test_animals_and_abstract_agents_are_not_plausible(nlp):
    doc = nlp("A hunter was seen killing a rabbit. The strange new reality had ambushed her.")
    s1, s2 = list(doc.sents)
    assert argument_class("a rabbit", s1, s1[3].idx, "target") == "animal"
    assert argument_class("strange new reality", s2, s2[5].idx, "actor") == "abstract"
    doc = nlp("Gunmen killed three civilians and 12 policemen near the checkpoint.")
    sent = next(iter(doc.sents))
    assert argument_class("Gunmen", sent, 7, "actor") == "armed"
    assert argument_class("three civilians", sent, 7, "target") == "human"
    assert argument_class("the checkpoint", sent, 7, "target") == "physical"
    assert argument_class(None, sent, 7, "target") is None


def test_history_and_status_lower_confidence(nlp):
    old = events_of(nlp, "The 1993 Mumbai blasts killed more than 250 people, the court heard in a case dating from 1993.")
    assert any(r for e in old for r in e.confidence_reasons if "history" in r)
    planned = events_of(nlp, "The militants could attack the base at any time, officials warned.")
    attack = next(e for e in planned if e.type == "attack")
    assert attack.status in ("hypothetical", "threatened", "planned")
    assert any("not (yet) happened" in r for r in attack.confidence_reasons)


def test_confidence_travels_through_json_and_store_codec(nlp):
    event = next(e for e in events_of(nlp, CONFLICT_PAGE) if e.trigger.text == "killed")
    data = event.to_json()
    assert isinstance(data["confidence"], float) and 0 <= data["confidence"] <= 1
    assert data["confidence_reasons"] == event.confidence_reasons
    back = Event.from_json(data)
    assert back.confidence == event.confidence and back.confidence_reasons == event.confidence_reasons


def test_exports_leave_out_doubtful_events_by_default():
    from sitrep.views.exports import ACLED_COLUMNS, events_csv, events_geojson

    def place() -> Place:
        return Place("Kirkuk", 35.47, 44.39, PlacePrecision.TOWN, country="IQ")

    events = [
        Event("sure", "t1", "kill", Cue("killed", 0, 6), place=place(), confidence=0.9),
        Event("doubt", "t1", "assault", Cue("beat", 0, 4), place=place(), confidence=0.1),
        Event("old", "t1", "attack", Cue("hit", 0, 3), place=place()),  # stored unscored
    ]
    lines = events_csv(events, {}).splitlines()
    assert lines[0].split(",") == ACLED_COLUMNS + ["confidence"]
    ids = [line.split(",")[0] for line in lines[1:]]
    assert ids == ["sure", "old"] and lines[1].endswith(",0.90") and lines[2].endswith(",")
    assert len(events_csv(events, {}, min_confidence=0).splitlines()) == 4
    assert [f["id"] for f in events_geojson(events)["features"]] == ["sure", "old"]
    assert len(events_geojson(events, min_confidence=0.0)["features"]) == 3
