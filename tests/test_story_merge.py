"""Story fragments made one (``sitrep.stories.fragments``): the clusterer's decision, the store's
``merge_stories`` on SQLite and PostgreSQL, and the pipeline step that applies the merges of a
batch in its transaction."""
from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitrep.model import Article, DateRange, OffsetMap, Story
from sitrep.stories import StoryClusterer

from test_story_stability import COMMON, by_date, corpus, make_topic


def fragmented_topic(rng: random.Random, used: set[str], prefix: str, start: date, n: int = 12) -> list[Article]:
    """One development over four days, each report telling it with three of its twelve words (an
    angle of its own): two reports may share none, so a single pass can open a second story for
    it, while each story's centroid grows towards the whole development."""
    topic = make_topic(rng, used)
    out = []
    for i in range(n):
        angle = rng.sample(topic["words"], 3)
        body = " ".join(rng.choice(angle + COMMON) for _ in range(40))
        text = f"{body}. {rng.choice(topic['people'])} spoke."
        day = start + timedelta(days=i // 3)
        out.append(Article(id=f"{prefix}-{i}", source_path=f"{prefix}-{i}.txt", text=text, original=text,
                           offsets=OffsetMap(), title=" ".join(rng.sample(angle, 3)), published=DateRange(day, day)))
    return out


def stories_of(clusterer: StoryClusterer, articles: list[Article], keep: set[str] | None = None) -> set[frozenset[str]]:
    for a in articles:
        clusterer.add(a)
    groups: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        if keep is None or a.id in keep:
            groups[clusterer.story_of[a.id]].add(a.id)
    return {frozenset(g) for g in groups.values()}


def test_fragments_of_one_development_are_merged_and_unmerged_without_the_rule():
    # the ratio test off: it leaves t-4, which scores alike with the two young fragments, alone
    # (test_story_ambiguity.py); here the merge rule is under test
    reports = fragmented_topic(random.Random(2), set(), "t", date(2021, 3, 1))
    apart = stories_of(StoryClusterer(merge_threshold=None, ambiguity_ratio=None), reports)
    assert len(apart) == 2  # the single pass alone keeps the two angles apart (centroids score 0.56)
    c = StoryClusterer(ambiguity_ratio=None)
    merged = stories_of(c, reports)
    assert merged == {frozenset(a.id for a in reports)}
    gone, keep, _ = c.merges[0]
    assert keep == c.story_of["t-0"] and gone not in c.stories  # the younger into the older
    # at a merge threshold above their score they stay apart
    assert len(stories_of(StoryClusterer(merge_threshold=0.6, ambiguity_ratio=None), reports)) == 2


def test_fragments_that_both_carry_sentence_vectors_are_not_merged():
    """With sentence vectors the reports were already scored by them; merging on top over-merged
    News-TS (fragments.py). Orthogonal unit vectors keep every report out of the embedding's
    own joins, so what is left is the merge rule, which must stand aside."""
    import numpy as np

    reports = fragmented_topic(random.Random(2), set(), "t", date(2021, 3, 1))
    c = StoryClusterer(embedding_gate=None)
    for i, a in enumerate(reports):
        v = np.zeros(len(reports), dtype=np.float32)
        v[i] = 1.0
        c.add(a, v)
    assert c.merges == []
    assert len({c.story_of[a.id] for a in reports}) >= 2


def test_a_merge_does_not_depend_on_unrelated_input():
    """Fragments merge alike whatever unrelated stories (with merges of their own) come between."""
    merges = 0
    for seed in range(4):
        rng = random.Random(40 + seed)
        used: set[str] = set()
        a = [x for i in range(4) for x in fragmented_topic(rng, used, f"t{i}", date(2021, 3, 1 + 2 * i))]
        a += corpus(rng, "a", 8, used, date(2021, 3, 1))
        b = [x for i in range(3) for x in fragmented_topic(rng, used, f"u{i}", date(2021, 3, 1 + i))]
        b += corpus(rng, "b", 15, used, date(2021, 2, 25))
        alone = StoryClusterer(merge_threshold=0.4)  # below the default: more merges to compare
        within = StoryClusterer(merge_threshold=0.4)
        assert stories_of(within, by_date(a + b), keep={x.id for x in a}) == stories_of(alone, by_date(a))
        merges += len(alone.merges)
        assert len(within.merges) >= len(alone.merges)
    assert merges >= 4  # there were fragments to merge


def test_state_saved_item_by_item_after_merges_rebuilds_the_same_stories():
    reports = fragmented_topic(random.Random(2), set(), "t", date(2021, 3, 1))
    c = StoryClusterer()
    items: dict = {}
    for n, a in enumerate(reports):
        c.add(a)
        if n % 3 == 2 or n == len(reports) - 1:  # a batch ends: save what changed
            for k, v in c.dirty_items().items():
                if v is None:
                    items.pop(k, None)
                else:
                    items[k] = v
            c.mark_saved()
    again = StoryClusterer.from_state(json.loads(json.dumps(c.state_header())), json.loads(json.dumps(items)))
    assert set(again.stories) == set(c.stories)
    assert again.story_of == c.story_of
    assert again.info(next(iter(c.stories))).article_ids == c.info(next(iter(c.stories))).article_ids


# ------------------------------------------------------------------------------------ the store


def _article(aid: str, outlet: str, day: int) -> Article:
    text = f"Report {aid}: rockets hit the base near Baghdad."
    return Article(id=aid, source_path=f"{aid}.txt", text=text, original=text, offsets=OffsetMap(),
                   title=f"Rockets {aid}", outlet=outlet, content_hash=aid + "hash",
                   published=DateRange(date(2020, 3, day), date(2020, 3, day)))


def _story(sid: str, ids: list[str], outlets: list[str], related: list[str]) -> Story:
    return Story(id=sid, title=f"story {sid}", article_ids=ids, start=date(2020, 3, 1), end=date(2020, 3, 3),
                 outlets=outlets, related=related)


def test_merge_stories_moves_articles_deletes_rows_and_keeps_the_id_resolvable(any_repo):
    repo = any_repo
    with repo.transaction():
        for aid, outlet, day in (("a1", "Wire A", 1), ("a2", "Wire B", 2), ("b1", "Wire C", 2),
                                 ("b2", "Wire C", 3), ("c1", "Wire D", 3), ("d1", "Wire E", 3)):
            repo.add_article(_article(aid, outlet, day))
        repo.save_story(_story("SA", ["a1", "a2"], ["Wire A", "Wire B"], []))
        repo.save_story(_story("SB", ["b1", "b2"], ["Wire C"], ["SC"]))
        repo.save_story(_story("SC", ["c1"], ["Wire D"], ["SB"]))
        repo.save_story(_story("SD", ["d1"], ["Wire E"], []))
    assert repo.count_stories(outlet="Wire C") == 1
    assert repo.merge_stories("SA", "SB") is True
    assert repo.story_of("b1") == repo.story_of("b2") == "SA"
    assert set(repo.article_ids_of_story("SA")) == {"a1", "a2", "b1", "b2"}
    assert repo.get_story("SB") is None and repo.story_head("SB") is None
    assert repo.merged_into("SB") == "SA" and repo.merged_into("SA") is None
    assert repo.count_stories(outlet="Wire C") == 0  # its outlet rows went with it (SA is rebuilt by the caller)
    assert repo.get_story("SC").related == ["SA"]  # type: ignore[union-attr]
    assert {s.id for s in repo.list_stories()} == {"SA", "SC", "SD"}
    assert repo.merge_stories("SA", "SB") is False  # idempotent
    assert repo.count("stories") == 3
    # a merge of the survivor keeps the chain flat: SB's reports are with SD now
    with repo.transaction():
        assert repo.merge_stories("SD", "SA") is True
    assert repo.merged_into("SB") == repo.merged_into("SA") == "SD"
    assert set(repo.article_ids_of_story("SD")) == {"a1", "a2", "b1", "b2", "d1"}


def test_merge_stories_rolls_back_with_its_transaction(any_repo):
    repo = any_repo
    with repo.transaction():
        for aid, day in (("a1", 1), ("b1", 2)):
            repo.add_article(_article(aid, "Wire A", day))
        repo.save_story(_story("SA", ["a1"], ["Wire A"], []))
        repo.save_story(_story("SB", ["b1"], ["Wire A"], []))
    with pytest.raises(RuntimeError):
        with repo.transaction():
            repo.merge_stories("SA", "SB")
            raise RuntimeError("killed")
    assert repo.story_of("b1") == "SB" and repo.merged_into("SB") is None
    assert repo.get_story("SB") is not None


# ------------------------------------------------------------------------------------ the pipeline


DETAILS = [
    "Residents of the nearby town heard sirens for an hour after midnight.",
    "The Pentagon briefed reporters on Thursday morning in Washington.",
    "Iraqi police found the launch vehicle abandoned on a farm road.",
    "Shares of defence contractors barely moved in London trading.",
    "A parliamentary committee in Baghdad summoned the interior minister.",
    "Flights at the international airport were delayed by several hours.",
]


def write_two_angles(path: Path) -> Path:
    """Reports of one rocket attack on Taji base from two angles (the strike; the casualties)."""
    rows = []
    for i in range(6):
        strike = i % 2 == 0
        rows.append({
            "id": f"taji-{i}",
            "outlet": f"Outlet {i}",
            "title": ("Katyusha rockets strike Camp Taji" if strike else "Coalition soldiers killed at Taji") + f" ({i})",
            "published": f"2020-03-{12 + i // 3:02d}",
            "text": ("Several Katyusha rockets struck Camp Taji north of Baghdad on Wednesday night, launched "
                     "from a truck near the base, security officials said." if strike else
                     "Two coalition soldiers and a contractor were killed and fourteen wounded at Camp Taji, "
                     "the coalition said, naming no group.") + " " + DETAILS[i],
        })
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_pipeline_applies_the_merges_of_each_batch_to_the_store(tmp_path, monkeypatch):
    """With joining made impossible (threshold 1.1) and merging made easy, every story after the
    first is a fragment that the merge step takes in: batches of two leave one stored story with
    every report, built and linked alike, and each absorbed id resolving to it."""
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    repo = SQLiteRepository(tmp_path / "s.sqlite")
    pipeline = Pipeline(repo, batch_size=2)
    c = pipeline.clusterer
    c.threshold, c.place_threshold, c.late_threshold = 1.1, None, 1.1
    c.headline_agrees, c.person_threshold = None, None  # no second chance inside the window either
    # as without the embeddings extra: stories that both carry sentence vectors are never merged
    monkeypatch.setattr("sitrep.pipeline._story_vectors", lambda articles: {})
    c.merge_min_size, c.merge_threshold = 1, 0.05
    report = pipeline.ingest([write_two_angles(tmp_path / "taji.jsonl")])
    pipeline.engine.close()
    assert report.stored == 6 and report.stories_merged == 5
    stories = repo.list_stories()
    assert len(stories) == 1 and repo.count("stories") == 1
    (story,) = stories
    stored = sorted(a.id for a in repo.list_articles(limit=10))
    assert sorted(story.article_ids) == sorted(repo.article_ids_of_story(story.id)) == stored
    absorbed = [repo.db.execute("SELECT absorbed_id FROM story_merges").fetchall()]
    assert len(absorbed[0]) == 5 and all(repo.merged_into(r[0]) == story.id for r in absorbed[0])
    assert repo.db.execute("SELECT count(*) FROM dossier_rows WHERE story_id != ?", (story.id,)).fetchone()[0] == 0
    assert len(story.outlets) == 6  # the survivor was rebuilt from every report
    # the saved clusterer state holds the merged story only
    again = Pipeline(repo, batch_size=2)
    assert set(again.clusterer.stories) == {story.id}
    assert again.clusterer.story_of == {aid: story.id for aid in stored}
    again.engine.close()

    # an absorbed id a reader kept resolves to the survivor: API (whole and paged), page, CLI
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from sitrep.api import create_app
    from sitrep.cli import app

    gone = absorbed[0][0][0]
    client = TestClient(create_app(str(tmp_path / "s.sqlite")))
    assert client.get(f"/api/stories/{gone}").json()["id"] == story.id
    assert client.get(f"/api/stories/{gone}?claims_limit=5").json()["id"] == story.id
    assert client.get(f"/api/stories/{gone}/places").json()["story_id"] == story.id
    assert client.get(f"/stories/{gone}").status_code == 200
    shown = CliRunner().invoke(app, ["story", gone, "--db", str(tmp_path / "s.sqlite"), "--json"])
    assert shown.exit_code == 0 and json.loads(shown.output)[0]["id"] == story.id
