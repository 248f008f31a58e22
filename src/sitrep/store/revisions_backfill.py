"""Migration 10: the first revision of each page ``sitrep watch`` stored before revisions were kept.

A revision is only recorded from the moment watch stores a page; pages stored by an earlier
version get their first revision here, from the article as stored and the page's crawl row
(its fetch time and WARC record), so their history starts with what was first read.
"""
from __future__ import annotations

import json
from typing import Any

from ..model import Article, Claim, Event
from ..revisions import Snapshot


def backfill_first_revisions(repo: Any) -> None:
    rows = repo.execute(
        "SELECT p.url, p.fetched_at, p.warc_file, p.warc_record, s.article_id FROM watch_pages p"
        " JOIN sources s ON s.source_path = p.url AND s.record_key = '' AND s.status = 'stored'").fetchall()
    for row in rows:
        found = repo.execute("SELECT data FROM articles WHERE id=?", (row["article_id"],)).fetchone()
        if found is None:
            continue
        article = Article.from_record(json.loads(found["data"]))
        article.claims = [Claim.from_json(json.loads(r["data"])) for r in repo.execute(
            "SELECT data FROM claims WHERE article_id=? ORDER BY span_start", (article.id,)).fetchall()]
        article.events = [Event.from_json(json.loads(r["data"])) for r in repo.execute(
            "SELECT data FROM events WHERE article_id=? ORDER BY id", (article.id,)).fetchall()]
        warc = (row["warc_file"], row["warc_record"]) if row["warc_file"] else None
        # the page's own title is unknown (the article's may be a feed's): None, see watch.refetch
        repo.add_revision(article.id, 1, row["fetched_at"], Snapshot.of(article), None, warc, None)
        repo.execute("UPDATE watch_pages SET article_id=?, first_fetched_at=? WHERE url=?",
                     (article.id, row["fetched_at"], row["url"]))
