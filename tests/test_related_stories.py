"""Related stories (issue 18): two rocket attacks on different Iraqi bases two days apart are one
topic but two events. The pipeline keeps them apart and lists each as related to the other, in
the stored story, the API and the dossier page, also when the second arrives in a later batch
(the first story's stored record is updated without a rebuild)."""
from __future__ import annotations

import json
from pathlib import Path

from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository

TAJI = ("Several Katyusha rockets struck Camp Taji north of Baghdad on Wednesday night, security officials "
        "said. The Iraqi military said the rockets were launched from a truck near the base. Two coalition "
        "soldiers were killed in the attack on Taji. No group has claimed the rocket attack so far.")
BALAD = ("Three rockets landed inside Balad air base in Salahuddin province on Friday, the Iraqi military said. "
         "Nobody was hurt at Balad, where American contractors maintain F-16 jets. Local police said the "
         "launchers were found on farmland east of the base.")


def write_corpus(path: Path) -> Path:
    rows = []
    for i, (outlet, day) in enumerate([("Tigris Wire", "2020-03-11"), ("Basra Ledger", "2020-03-12")]):
        rows.append({"id": f"taji-{i}", "outlet": outlet, "title": "Rockets hit Camp Taji north of Baghdad",
                     "published": day, "text": f"{TAJI} Reported by {outlet}."})
    for i, (outlet, day) in enumerate([("Anbar Post", "2020-03-13"), ("Najaf Herald", "2020-03-13")]):
        rows.append({"id": f"balad-{i}", "outlet": outlet, "title": "Rockets land inside Balad air base",
                     "published": day, "text": f"{BALAD} Reported by {outlet}."})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_same_topic_other_event_is_related_in_store_api_and_page(tmp_path):
    corpus = write_corpus(tmp_path / "bases.jsonl")
    db = tmp_path / "s.sqlite"
    repo = SQLiteRepository(db)
    Pipeline(repo, batch_size=2).ingest([corpus])  # Taji in the first batch, Balad in the second
    stories = {s.title: s for s in repo.list_stories(limit=10)}
    taji, balad = stories["Rockets hit Camp Taji north of Baghdad"], stories["Rockets land inside Balad air base"]
    assert len(taji.article_ids) == 2 and len(balad.article_ids) == 2, "two events: never merged"
    assert taji.related == [balad.id] and balad.related == [taji.id]
    assert repo.story_head(taji.id)["related"] == [balad.id]  # the listing the dossier reads

    from fastapi.testclient import TestClient

    from sitrep.api import create_app
    client = TestClient(create_app(str(db)))
    assert client.get(f"/api/stories/{taji.id}").json()["related"] == [balad.id]
    assert client.get(f"/api/stories/{taji.id}?claims_limit=5").json()["related"] == [balad.id]
    page = client.get(f"/stories/{taji.id}").text
    assert f'href="/stories/{balad.id}">Rockets land inside Balad air base</a>' in page

    from typer.testing import CliRunner

    from sitrep.cli import app
    shown = CliRunner().invoke(app, ["story", taji.id, "--db", str(db)])
    assert shown.exit_code == 0
    assert "related stories" in shown.output and balad.id in shown.output
