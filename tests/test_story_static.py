"""sitrep.stories.static: the distilled word-piece table (the default story vectors), and how the
clusterer uses vectors of its length."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep.model import Article, DateRange, OffsetMap
from sitrep.stories import StoryClusterer, embedding, static
from sitrep.stories.cluster import STATIC_DIMENSIONS

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "distill_story_vectors.py"


def article(aid: str, title: str, text: str) -> Article:
    from datetime import date

    a = Article(id=aid, source_path="test", text=text, original=text, offsets=OffsetMap(), title=title)
    a.published = DateRange(date(2026, 3, 2), date(2026, 3, 2))
    return a


def distil_script():
    spec = importlib.util.spec_from_file_location("distill_story_vectors", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_packaged_table_is_small_and_whole():
    size = (static.TABLE_DIR / "vectors.npz").stat().st_size
    assert size <= 10_000_000  # shipped inside the package
    model = static.load()
    assert model.table.shape == (30522, STATIC_DIMENSIONS) and model.dimensions == STATIC_DIMENSIONS
    vocab = model.tokenizer.get_vocab()
    for special in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]"):
        assert not model.table[vocab[special]].any()  # carry nothing
    # the smooth inverse frequency: a function word weighs less than a rare content word
    norms = np.linalg.norm(model.table, axis=1)
    assert norms[vocab["the"]] < 0.2 * norms[vocab["shooting"]]


def test_same_event_closer_than_same_topic_and_other_topics():
    texts = [
        "Two killed in shooting outside Chicago bar. Two men were shot dead outside a bar on the South Side "
        "of Chicago early Sunday, police said.",
        "Police identify victims of South Side bar shooting. Chicago police on Monday named the two men "
        "killed in a shooting outside a South Side bar on Sunday.",
        "Apple unveils a 16-inch MacBook Pro. Apple on Wednesday introduced a 16-inch MacBook Pro with a "
        "new keyboard.",
    ]
    v = static.embed_texts(texts)
    assert v.shape == (3, STATIC_DIMENSIONS) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) > 0.8
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.5
    assert np.array_equal(static.embed_texts(texts[:1]), v[:1])  # a pure function of the text


def test_only_the_first_pieces_count_and_nothing_gives_zero():
    head = "Rebels seized the airport in Goma on Tuesday, residents said."
    long = head + " " + "Markets in Tokyo rallied. " * 200
    n = len(static.load().tokenizer.encode(head, add_special_tokens=False).ids)
    cut = static.embed_texts([head, long], tokens=n)
    assert np.allclose(cut[0], cut[1])
    assert not np.allclose(static.embed_texts([long])[0], cut[0])  # the default reads further
    empty = static.embed_texts(["", "[SEP]"])
    assert empty.shape == (2, STATIC_DIMENSIONS) and not empty.any()
    assert static.embed_texts([]).shape == (0, STATIC_DIMENSIONS)


def test_article_embeddings_by_model_are_cached_apart(monkeypatch):
    monkeypatch.setattr(embedding, "_cache", type(embedding._cache)())
    a = article("a", "Rebels seize Goma airport", "Rebels seized the airport in Goma on Tuesday, residents said.")
    v = embedding.article_embedding(a, "static")
    assert v is not None and v.shape == (STATIC_DIMENSIONS,)
    assert np.allclose(v, static.embed_texts([embedding.passage(a, chars=embedding.STATIC_LEAD_CHARS)])[0])
    monkeypatch.setattr(static, "embed_texts", lambda *x, **k: pytest.fail("embedded twice"))
    assert embedding.article_embedding(a, "static") is v
    assert list(embedding._cache)[0][0] == "static"
    with pytest.raises(ValueError, match="static or minilm"):
        embedding.article_embeddings([a], "gva")


# ---------------------------------------------------------------------------- in the clusterer

FIRST = article("a", "Velkor plant opens new line",
                "The Velkor plant in Tarnowa opened a new assembly line on Monday, its owners said, "
                "adding two hundred jobs to the town's plant.")
SECOND = article("b", "Regulators fine chemical firm over river spill",
                 "Regulators fined a chemical company on Monday after a spill into the river near the Velkor "
                 "plant in Tarnowa, officials said, and ordered a cleanup of the water supply.")


def unit(n: int, *xs: float) -> np.ndarray:
    v = np.zeros(n, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def test_static_vectors_do_not_gate_reports_with_a_headline():
    gated = StoryClusterer()  # MiniLM's length: the gate keeps the topic neighbour apart
    assert gated.add(FIRST, unit(embedding.DIMENSIONS, 1, 0)) != gated.add(SECOND, unit(embedding.DIMENSIONS, 0, 1))
    c = StoryClusterer()  # the static length: words decide, as without vectors
    assert c.add(FIRST, unit(STATIC_DIMENSIONS, 1, 0)) == c.add(SECOND, unit(STATIC_DIMENSIONS, 0, 1))
    strict = StoryClusterer(static_gate=0.5)  # a static gate when asked for
    assert strict.add(FIRST, unit(STATIC_DIMENSIONS, 1, 0)) != strict.add(SECOND, unit(STATIC_DIMENSIONS, 0, 1))


def test_a_snippet_joins_at_the_static_threshold():
    one = article("s1", "", "velkor tarnowa plant line open job owner")
    two = article("s2", "", "tarnowa regulator spill river chemical water cleanup fish inspect downstream supply order")
    near = unit(STATIC_DIMENSIONS, 1, 0.1)
    c = StoryClusterer()
    assert c.add(one, unit(STATIC_DIMENSIONS, 1, 0)) == c.add(two, near)  # 0.5·s + 0.5·0.995 ≥ 0.28
    mid = unit(STATIC_DIMENSIONS, 1, 2.2)  # cosine 0.41 to (1, 0)
    strict = StoryClusterer(static_snippet_threshold=0.99)
    assert strict.add(one, unit(STATIC_DIMENSIONS, 1, 0)) != strict.add(two, mid)
    loose = StoryClusterer(static_snippet_threshold=0.1)
    assert loose.add(one, unit(STATIC_DIMENSIONS, 1, 0)) == loose.add(two, mid)


def test_a_snippet_joins_only_when_its_words_agree_with_its_vector():
    # one plant's reopening, and a snippet of another story of its town (a harbour strike) that
    # shares only the town's name with it: the vectors read both as one topic (cosine 0.96, mixed
    # score 0.53, far above 0.28), the words barely (0.10 with the story)
    plant = article("p1", "", "velkor tarnowa plant line open job owner shift")
    strike = article("h1", "", "tarnowa harbour strike dock crane union wage talks ferry cargo delay port "
                     "grain container workers vote picket brekko salvane dunmore quillet orsova pentrack "
                     "lodrin maskell vintaro spelk gurney hask tolvane brisco mendle paskor quarrow "
                     "selvik tamber ulbrook vostig wennel yarrick zolden carvish ardeno")
    again = article("p2", "", "velkor plant tarnowa job line open hire shift owner")
    c = StoryClusterer()
    first = c.add(plant, unit(STATIC_DIMENSIONS, 1, 0))
    vec, ents, *_ = c._weigh(strike, learn=False)
    assert c.score(c.stories[first], vec, ents, None, None) < c.static_snippet_words
    other = c.add(strike, unit(STATIC_DIMENSIONS, 1, 0.3))
    assert other != first  # the vector alone says "same topic": refused
    assert c.related_of(first) == [other] and c.related_of(other) == [first]  # shown as related
    assert c.add(again, unit(STATIC_DIMENSIONS, 1, 0.1)) == first  # words and vector agree: joins
    mixed = StoryClusterer(static_snippet_words=None)  # the linear mix alone takes the strike in
    assert mixed.add(plant, unit(STATIC_DIMENSIONS, 1, 0)) == mixed.add(strike, unit(STATIC_DIMENSIONS, 1, 0.3))
    minilm = StoryClusterer()  # MiniLM's cosine separates events: its snippets keep the mix alone
    assert minilm.add(plant, unit(embedding.DIMENSIONS, 1, 0)) == minilm.add(strike, unit(embedding.DIMENSIONS, 1, 0.3))
    saved = StoryClusterer.from_json(StoryClusterer(static_snippet_words=0.2).to_json())
    assert saved.static_snippet_words == 0.2


def test_a_story_vector_of_the_other_model_is_replaced_not_summed():
    c = StoryClusterer(embedding_gate=None)
    sid = c.add(FIRST, unit(embedding.DIMENSIONS, 1, 0))  # ingested with MiniLM
    back = StoryClusterer.from_json(c.to_json())
    assert back.add(SECOND, unit(STATIC_DIMENSIONS, 0, 1)) == sid  # scored by words: no shape error
    v = back.stories[sid].vector
    assert v is not None and v.shape == (STATIC_DIMENSIONS,)
    assert float(v @ unit(STATIC_DIMENSIONS, 0, 1)) == pytest.approx(1.0)


# ---------------------------------------------------------------------------- the distillation


def test_distillation_steps():
    d = distil_script()
    rng = np.random.default_rng(0)
    table = rng.normal(size=(50, 8)).astype(np.float32)
    q, scale = d.quantize(table)
    assert q.dtype == np.int8 and np.abs(q).max() == 127
    assert np.allclose(q * scale[:, None], table, atol=float(scale.max()) / 2 + 1e-6)
    x = rng.normal(size=(40, 6)) @ np.diag([5, 3, 1, 0.5, 0.1, 0.01])
    p = d.pca(x, 2)
    assert p.shape == (40, 2) and np.allclose(p, d.pca(x, 2))  # the same bytes every run
    assert p[:, 0].var() > p[:, 1].var() > 0
    w = d.weights(["a"] * 4, np.array([1000.0, 10.0, 0.0, 100.0]), 1e-2)
    assert w[2] > w[1] > w[3] > w[0] and w.max() < 1
    zipf = d.weights(["a"] * 4, None, 1e-2)
    assert list(np.argsort(zipf)) == [0, 1, 2, 3]  # the first ranks weigh least


def test_static_vectors_do_not_stop_fragments_merging():
    """MiniLM's vectors stop a fragment merge (test_story_merge); the static ones do not
    (fragments.py: News-TS tuning half 0.904 → 0.926 with merging at the static threshold)."""
    import random
    from datetime import date

    from test_story_merge import fragmented_topic

    reports = fragmented_topic(random.Random(2), set(), "t", date(2021, 3, 1))

    def run(n: int) -> StoryClusterer:
        c = StoryClusterer(embedding_gate=None, ambiguity_ratio=None)  # the merge rule alone, as in test_story_merge
        for i, a in enumerate(reports):
            c.add(a, unit(n, *([0.0] * i + [1.0])))  # orthogonal: no vector agrees with another
        return c

    static_run = run(STATIC_DIMENSIONS)
    assert static_run.merges and len({static_run.story_of[a.id] for a in reports}) == 1
    v = static_run.stories[static_run.story_of["t-0"]].vector
    assert v is not None and v.shape == (STATIC_DIMENSIONS,) and float(np.linalg.norm(v)) == pytest.approx(12 ** 0.5, rel=1e-5)
    minilm_run = run(embedding.DIMENSIONS)
    assert minilm_run.merges == [] and len({minilm_run.story_of[a.id] for a in reports}) >= 2
