"""The ratio test (``StoryClusterer._ambiguous``): a report that scores nearly as well with a second
story of its topic as with the best one joins neither and is shown as related to both, unless the
two stories are themselves one development (fragments); a report with a clear best joins it."""
from __future__ import annotations

import random
from datetime import date

from sitrep.model import Article, DateRange, OffsetMap
from sitrep.stories import StoryClusterer

from test_story_stability import COMMON, make_topic

DAY = date(2021, 5, 3)


def _report(aid: str, words: list[str], rng: random.Random) -> Article:
    body = " ".join(rng.choice(words + COMMON[:12]) for _ in range(40))
    title = " ".join(rng.sample(words, 3))
    return Article(id=aid, source_path=f"{aid}.txt", text=body, original=body, offsets=OffsetMap(), title=title,
                   published=DateRange(DAY, DAY))


def _two_stories_and_a_neighbour(c: StoryClusterer, share_x: int, seed: int = 3) -> tuple[str, str, str]:
    """Stories of two events of one topic (x, y: own words each, ordinary news words shared) and a
    report made of ``share_x`` of x's words and 12 - ``share_x`` of y's, drawn with ``seed`` (6, 3:
    it scores 0.34 with x's story and 0.47 with y's; 7, 6: 0.48 and 0.17; the two stories' centroids
    score 0.04 with each other); returns (x's story, y's story, the report's)."""
    rng = random.Random(5)
    used: set[str] = set()
    x, y = make_topic(rng, used), make_topic(rng, used)
    sx = c.add(_report("x0", x["words"], random.Random(1)))
    sy = c.add(_report("y0", y["words"], random.Random(2)))
    words = x["words"][:share_x] + y["words"][: 12 - share_x]
    return sx, sy, c.add(_report("m0", words, random.Random(seed)))


def test_a_report_between_two_stories_of_a_topic_joins_neither_and_relates_both():
    sx, sy, m = _two_stories_and_a_neighbour(StoryClusterer(ambiguity_ratio=None), 6)
    assert m in (sx, sy)  # without the test it joins one of them
    c = StoryClusterer()
    sx, sy, m = _two_stories_and_a_neighbour(c, 6)
    assert m not in (sx, sy)
    assert sorted(c.info(m).related) == sorted([sx, sy])


def test_a_report_with_a_clear_best_story_joins_it():
    c = StoryClusterer()
    sx, sy, m = _two_stories_and_a_neighbour(c, 7, seed=6)
    assert m == sx
    assert c.info(m).related == [sy]  # the runner-up (0.17) is shown beside it


def test_stories_of_one_development_are_no_choice():
    """Two stories whose centroids score above the fragment threshold with each other: the report
    joins the best, as without the test."""
    sx, sy, m = _two_stories_and_a_neighbour(StoryClusterer(merge_threshold=0.0, merge_min_size=99), 6)
    assert m in (sx, sy)


def test_the_ratio_survives_the_saved_state():
    c = StoryClusterer(ambiguity_ratio=0.7, ambiguity_until=0.4)
    again = StoryClusterer.from_json(c.to_json())
    assert (again.ambiguity_ratio, again.ambiguity_until) == (0.7, 0.4)
