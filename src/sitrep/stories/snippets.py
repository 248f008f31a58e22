"""Snippets: reports without a headline, scored with their sentence vectors mixed in.

Some sources give a report's text alone, a short paragraph with no headline and often no date
(Google News's story snippets, the News-TS set: lower-cased, stemmed). A snippet's few words
meet few of a story's, so TF-IDF alone leaves a development in many small stories; its sentence
vector (``stories.static``, the default, or MiniLM, ``stories.embedding``) says what it is about
whatever the words. So a snippet's score with a story mixes the two (``snippet_score``), and it
joins at a threshold of its own, chosen for the mix and for the vectors that made it.

The vector alone says "same topic", not "same development": the static vectors' cosine has a high
floor, and a snippet that the mix carries into a story on the vector's strength, while its own
words score almost nothing with it, is refused and shown as related (``disagree``).

Pure functions over the clusterer's state for the report being placed (its ``_vector``,
``_words``, ``_snippet_words``), as ``stories.fragments`` takes the clusterer; the measurements
that chose the constants stand beside them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.model import Article

if TYPE_CHECKING:
    from sitrep.stories.cluster import StoryClusterer, _Story

# MiniLM's vectors (``stories.embedding``, opt-in): a snippet is scored
# (1 - ``SNIPPET_WEIGHT``)·score + ``SNIPPET_WEIGHT``·cosine and joins at ``SNIPPET_THRESHOLD``.
# These constants are storye's, chosen on the News-TS tuning half, end to end, story stage re-run
# over the pipeline's stored output (bench/RESULTS.md, "Sentence embeddings, affordable"):
# 0.815 → 0.932 (held-out 0.719 → 0.888).
SNIPPET_WEIGHT = 0.5
SNIPPET_THRESHOLD = 0.23
# The static vectors (``stories.static``, the default): a snippet mixes them in at
# ``SNIPPET_WEIGHT`` and joins at ``STATIC_SNIPPET_THRESHOLD``, and fragments still merge
# (``stories.fragments``). News-TS tuning half, weight 0.5, with merging: 0.916 at 0.27, 0.927 at
# 0.28, 0.926 at 0.30, 0.919 at 0.33 (without merging 0.918 at 0.27, 0.904 at 0.30, 0.890 at
# MiniLM's 0.23); held-out half at the chosen 0.28: 0.852, off 0.816 (bench/RESULTS.md, "Static
# story vectors").
STATIC_SNIPPET_THRESHOLD = 0.28
# Both signals must agree for a snippet (issue 18, News-TS precision): a headline-less report
# whose vector is static joins a story only when its TF-IDF score with it (words and names, before
# the vector is mixed in) reaches ``STATIC_SNIPPET_MIN_WORDS``; a story it reaches the snippet
# threshold with but not this is refused and shown as related. The static cosine has a high floor
# (unrelated snippets of one topic score 0.4-0.6 with each other), so in the linear mix a cosine of
# 0.55 alone nearly reaches 0.28: on News-TS the wrong merges began with a snippet joining a young
# story of its topic on the vector with a word score of 0.02-0.20 (Kobe Bryant's contract into the
# NBA's injuries at 0.02, a Stars-Ducks game into the Dallas Cowboys' at 0.10, YouTube's comment
# spam into Google Glass at 0.17) and grew from there. News-TS tuning half BCubed F1, story stage
# re-run over the stored snippets (bench/RESULTS.md, "Snippets: words and vector must agree"): off
# 0.927, 0.08 0.928, 0.10 0.931, 0.12 0.929, 0.15 0.921 (held-out half, read afterwards: 0.852 off,
# 0.883 at 0.10); a cosine floor beside it (0.5) 0.914. GVA and the real pages: unchanged.
STATIC_SNIPPET_MIN_WORDS: float | None = 0.10


def is_snippet(article: Article) -> bool:
    """A report without a headline: scored with its vector mixed in, at a threshold of its own."""
    return not (article.title or "").strip()


def snippet_score(clusterer: "StoryClusterer", story: "_Story", words: float) -> float:
    """A snippet's score with ``story``: its word score ``words`` (terms and names) mixed with the
    cosine of its sentence vector to the story's at ``snippet_weight``; the word score alone when
    either has no vector (or the two come from different models)."""
    cos = clusterer._cosine(story)
    if cos is None:
        return words
    return (1 - clusterer.snippet_weight) * words + clusterer.snippet_weight * cos


def disagree(clusterer: "StoryClusterer") -> bool:
    """A snippet whose mixed score reaches the snippet threshold on the vector's strength
    while its own words and names score below ``static_snippet_words`` with the story
    (``_words``, set by the ``score`` just made): the two signals disagree, the vector alone
    says "same topic", and the snippet does not join (``STATIC_SNIPPET_MIN_WORDS``)."""
    c = clusterer
    return c._snippet_words is not None and c._vector is not None and c._words < c._snippet_words
