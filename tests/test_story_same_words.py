"""A dated follow-up inside the window whose words mostly differ from its story's (a score under
the join threshold) joins it when its headline tells the same happening in the same words
(issue 18: recall inside the window), and not when the headline is another's, when either report
has no date, or with the rule off."""
from __future__ import annotations

import random
from datetime import date

from sitrep.model import Article, DateRange, OffsetMap
from sitrep.stories import StoryClusterer
from sitrep.stories.cluster import DEFAULT_THRESHOLD, HEADLINE_THRESHOLD


def _words(seed: str, n: int) -> list[str]:
    """Made-up words, unseen by the idf table: each report's body has rare words of its own."""
    rng = random.Random(seed)
    syllables = "ka lo mi ve nt or sa ri du be an zu pe im ta ol ga ne zo to".split()
    return ["".join(rng.choice(syllables) for _ in range(4)) for _ in range(n)]


FIRST, SECOND = _words("first", 40), _words("second", 40)
COMMON = "police said the boat sank near the shore and rescuers found two people".split()
HEADLINE = "ferry capsizes off quellmar harbour"


def _report(aid: str, title: str, words: list[str], day: date | None) -> Article:
    """A lower-case report (no capitalised names: no person or place to share) of ``words``."""
    rng = random.Random(aid)
    text = " ".join(rng.choice(words + COMMON) for _ in range(250)) + "."
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
                   title=title, published=DateRange(day, day) if day else None)


def _follow_up(title: str, day: date | None = date(2021, 3, 3)) -> Article:
    """Two days on, other words but eight of the first report's (a score of about 0.19)."""
    return _report("a1", title, SECOND + FIRST[:8], day)


def _place(c: StoryClusterer, follow_up: Article) -> tuple[str, str, float]:
    first = c.add(_report("a0", HEADLINE, FIRST, date(2021, 3, 1)))
    vec, ents, *_ = c._weigh(follow_up, learn=False)
    days = (follow_up.published.start.toordinal(), follow_up.published.end.toordinal()) if follow_up.published else (None, None)
    s = c.score(c.stories[first], vec, ents, *days)
    return first, c.add(follow_up), s


def test_a_follow_up_told_in_the_same_words_joins_its_story():
    first, joined, s = _place(StoryClusterer(), _follow_up(HEADLINE + " - Coast Radio 5"))  # an outlet's tail
    assert HEADLINE_THRESHOLD <= s < DEFAULT_THRESHOLD  # under the join threshold: the headline decides
    assert joined == first


def test_another_headline_the_rule_off_or_no_date_keep_it_apart():
    outcomes = []
    for c, follow_up in (
        (StoryClusterer(), _follow_up("harbour master praises volunteer crews")),
        (StoryClusterer(headline_agrees=None), _follow_up(HEADLINE)),
        (StoryClusterer(), _follow_up(HEADLINE, day=None)),
    ):
        first, placed, s = _place(c, follow_up)
        outcomes.append(placed == first)
    assert outcomes == [False, False, False]


def test_a_saved_clusterer_keeps_the_rule():
    c = StoryClusterer()
    first = c.add(_report("a0", HEADLINE, FIRST, date(2021, 3, 1)))
    resumed = StoryClusterer.from_json(c.to_json())
    assert resumed.headline_agrees == c.headline_agrees
    assert resumed.add(_follow_up(HEADLINE)) == first
