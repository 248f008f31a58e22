"""The local engine's worker pool: input order kept across chunks, a stage failure reported for
its own article only, stages built once in the parent and inherited by the forked workers."""
from __future__ import annotations

import os

from sitrep.engines.local import LocalEngine
from sitrep.model import Article, OffsetMap


class Shout:
    """A stage that fails on one text: the engine retries the chunk article by article."""

    name = "shout"
    requires = ("text",)
    assigns = ("title",)

    def pipe(self, articles):
        for article in articles:
            if article.text == "boom":
                raise ValueError("cannot shout 'boom'")
            article.title = f"{article.text.upper()} from {os.getpid()}"
            yield article


def shouting_stages() -> list:
    return [Shout()]


def _articles(texts: list[str]) -> list[Article]:
    return [Article(id=f"a{i}", source_path="test", text=t, original=t, offsets=OffsetMap()) for i, t in enumerate(texts)]


def test_the_pool_keeps_order_and_reports_each_failure_once():
    texts = [f"report {i}" for i in range(13)]
    texts[5] = "boom"
    engine = LocalEngine(shouting_stages, workers=2)
    failures: list[tuple[str, str, str]] = []
    try:
        done = engine.run(_articles(texts), lambda stage, article, exc: failures.append((stage, article.id, str(exc))))
        again = engine.run(_articles(["after"]))
    finally:
        engine.close()
    assert [a.id for a in done] == [f"a{i}" for i in range(13)]
    titles = [a.title for a in done]
    assert titles[5] is None  # the failed article comes back without the stage's results
    assert all(t is not None and t.startswith(text.upper() + " from ") for t, text in zip(titles, texts) if text != "boom")
    assert failures == [("shout", "a5", "cannot shout 'boom'")]
    # the work happened in the forked workers, which share the one build of the stages
    pids = {int(t.rsplit(" ", 1)[1]) for t in titles if t is not None} | {int(again[0].title.rsplit(" ", 1)[1])}
    assert pids <= engine.worker_pids and os.getpid() not in pids
    assert engine.model_loads == 1 and engine.stage_cpu.get("shout", -1) >= 0


def test_one_worker_runs_the_stages_in_this_process():
    engine = LocalEngine(shouting_stages, workers=1)
    done = engine.run(_articles(["quiet"]))
    assert done[0].title == f"QUIET from {os.getpid()}" and not engine.overlaps
