"""No date, no evidence of "same time" (``UNDATED_GAP``): a report with a headline and a story of
which one has no publication date are scored as if they were at the window's edge, so a report
sharing only part of a story's words joins it when both are dated the same day, not when undated;
a report that is plainly the same event joins either way."""
from __future__ import annotations

import random
from datetime import date

from sitrep.model import Article, DateRange, OffsetMap
from sitrep.stories import StoryClusterer

from test_story_stability import COMMON, make_topic

DAY = date(2021, 5, 3)


def _report(aid: str, words: list[str], seed: int, dated: bool) -> Article:
    rng = random.Random(seed)
    body = " ".join(rng.choice(words + COMMON[:12]) for _ in range(40))
    title = " ".join(rng.sample(words, 3))
    return Article(id=aid, source_path=f"{aid}.txt", text=body, original=body, offsets=OffsetMap(), title=title,
                   published=DateRange(DAY, DAY) if dated else None)


def _joins(shared: int, dated: bool, **kw) -> bool:
    """Does a report made of ``shared`` of a story's 12 own words (and another event's for the
    rest) join it? Same-day scores: 5 shared 0.34, 8 shared 0.62 (undated: 0.24, 0.43)."""
    rng = random.Random(5)
    used: set[str] = set()
    x, z = make_topic(rng, used), make_topic(rng, used)
    c = StoryClusterer(**kw)
    sx = c.add(_report("x0", x["words"], 1, dated))
    return c.add(_report("m0", x["words"][:shared] + z["words"][: 12 - shared], 3, dated)) == sx


def test_a_partial_match_joins_when_dated_not_when_undated():
    assert _joins(5, dated=True)
    assert not _joins(5, dated=False)
    assert _joins(5, dated=False, undated_gap=None)  # scored as same-day without the rule


def test_a_plain_match_joins_undated_too():
    assert _joins(8, dated=False)


def test_a_snippet_keeps_its_own_threshold():
    """Snippets (no headline) were tuned on undated News-TS: the rule leaves them alone."""
    rng = random.Random(5)
    used: set[str] = set()
    x, z = make_topic(rng, used), make_topic(rng, used)
    scores = []
    for gap in (7, None):
        c = StoryClusterer(undated_gap=gap)
        sx = c.add(_report("x0", x["words"], 1, False))
        a = _report("m0", x["words"][:5] + z["words"][:7], 3, False)
        a.title = None
        vec, ents, *_ = c._weigh(a)
        c._snippet = True
        scores.append(c.score(c.stories[sx], vec, ents, None, None))
    assert scores[0] == scores[1] > 0
