"""Big stories are rebuilt once per refresh, not once per batch, and nothing is left stale.

The pipeline builds a touched story within its batch only while it is new or small; larger ones
are marked stale (in the batch's transaction) and rebuilt together at the end of the run. These
tests use a tiny threshold so a handful of articles makes a "big" story, and check the stored
story then holds every member, that a run killed before its refresh leaves the stale mark behind,
and that the next run (even one with nothing new to read) rebuilds it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository

OUTLETS = ["Tigris Wire", "Basra Ledger", "Mosul Courier", "Anbar Post", "Kurdistan Daily", "Najaf Herald"]


def write_corpus(path: Path, n: int) -> Path:
    """``n`` reports of one rocket attack on Taji base, worded apart, from different outlets."""
    rows = []
    for i in range(n):
        rows.append({
            "id": f"taji-{i}",
            "outlet": OUTLETS[i % len(OUTLETS)],
            "title": f"Rockets hit Taji base north of Baghdad ({i})",
            "published": f"2020-03-{12 + i % 3:02d}",
            "text": (
                f"Several Katyusha rockets struck Camp Taji north of Baghdad on Wednesday night, "
                f"security officials said. Report number {i} from {OUTLETS[i % len(OUTLETS)]}.\n\n"
                "The Iraqi military said the rockets were launched from a truck near the base. "
                "Two coalition soldiers were killed and several were wounded in the attack on Taji.\n\n"
                "No group has claimed the rocket attack on the Taji base so far."
            ),
        })
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


class SmallStories(Pipeline):
    BUILD_NOW_MAX = 2


def stored_story_members(repo: SQLiteRepository) -> dict[str, tuple[set[str], set[str]]]:
    """story id → (article ids in the stored build, article ids linked to it)."""
    out = {}
    for story in repo.list_stories(limit=500):
        out[story.id] = (set(story.article_ids), set(repo.article_ids_of_story(story.id)))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("refresh") / "taji.jsonl", 8)


def test_big_story_is_rebuilt_at_the_end_with_every_member(tmp_path, corpus):
    repo = SQLiteRepository(tmp_path / "s.sqlite")
    pipeline = SmallStories(repo, batch_size=2)
    report = pipeline.ingest([corpus])
    assert report.stored == 8
    assert "story refresh" in report.seconds  # the big story waited for the refresh
    stories = stored_story_members(repo)
    biggest = max(stories.values(), key=lambda s: len(s[1]))
    assert len(biggest[1]) >= 4, "the Taji reports should form one story"
    for built, linked in stories.values():
        assert built == linked
    assert not repo.load_state("stale_stories")


def test_a_run_killed_before_its_refresh_is_rebuilt_by_the_next(tmp_path, corpus, monkeypatch):
    repo = SQLiteRepository(tmp_path / "s.sqlite")
    pipeline = SmallStories(repo, batch_size=2)
    # The run dies after its last batch committed but before the forced refresh.
    monkeypatch.setattr(pipeline, "refresh_stories", lambda report=None, *, force=False: 0)
    pipeline.ingest([corpus])
    stale = repo.load_state("stale_stories")
    assert stale, "a big story should be marked stale in the batch transaction"
    behind = [sid for sid, (built, linked) in stored_story_members(repo).items() if built != linked]
    assert set(behind) <= set(stale)
    monkeypatch.undo()

    again = SmallStories(repo, batch_size=2).ingest([corpus])  # nothing new to read
    assert again.stored == 0 and again.skipped == 8
    members = stored_story_members(repo)
    assert members
    for built, linked in members.values():
        assert built == linked
    assert not repo.load_state("stale_stories")
