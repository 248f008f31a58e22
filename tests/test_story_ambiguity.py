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


def _two_stories_and_a_neighbour(c: StoryClusterer, share_x: int, seed: int = 3,
                                 share_y: int | None = None) -> tuple[str, str, str]:
    """Stories of two events of one topic (x, y: own words each, ordinary news words shared) and a
    report made of ``share_x`` of x's words, ``share_y`` of y's (default: the rest of 12) and fresh
    words of a third event for the rest, drawn with ``seed``; returns (x's story, y's story, the
    report's). Scores with x's story and y's: (6, 3) 0.34 and 0.47; (7, 6) 0.48 and 0.17. The two
    stories' centroids score 0.04 with each other."""
    rng = random.Random(5)
    used: set[str] = set()
    x, y, z = make_topic(rng, used), make_topic(rng, used), make_topic(rng, used)
    sx = c.add(_report("x0", x["words"], random.Random(1)))
    sy = c.add(_report("y0", y["words"], random.Random(2)))
    n_y = 12 - share_x if share_y is None else share_y
    words = x["words"][:share_x] + y["words"][:n_y] + z["words"][: 12 - share_x - n_y]
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
    """Two stories whose centroids score ``ambiguity_fragment`` with each other (here 0.04, at a
    bar of 0.0): the report joins the best, as without the test."""
    sx, sy, m = _two_stories_and_a_neighbour(StoryClusterer(ambiguity_fragment=0.0), 6)
    assert m in (sx, sy)


def test_the_ratio_survives_the_saved_state():
    c = StoryClusterer(ambiguity_ratio=0.7, ambiguity_until=0.4, ambiguity_fragment=0.3, ambiguity_snippets=True)
    again = StoryClusterer.from_json(c.to_json())
    assert (again.ambiguity_ratio, again.ambiguity_until, again.ambiguity_fragment, again.ambiguity_snippets) == (
        0.7, 0.4, 0.3, True)


def test_a_snippet_is_not_put_to_the_ratio_test():
    """A report without a headline (News-TS's stemmed snippets) keeps the single pass's choice."""
    rng = random.Random(5)
    used: set[str] = set()
    x, y = make_topic(rng, used), make_topic(rng, used)
    c = StoryClusterer()
    sx = c.add(_report("x0", x["words"], random.Random(1)))
    sy = c.add(_report("y0", y["words"], random.Random(2)))
    m = _report("m0", x["words"][:6] + y["words"][:6], random.Random(3))
    m.title = None
    assert c.add(m) in (sx, sy)
