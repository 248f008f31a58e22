"""Notices the watch loop hands to the alerter beside the new rows of the store.

A new article is found by reading the store past a rule's cursor; a revision of a known article is
not a new row to find that way, so the pass that detected it says so with an ``ArticleRevised``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ArticleRevised:
    """An outlet changed a report already stored: its ``revision``-th version (1 is the first
    stored), fetched at ``fetched_at`` (ISO time), with a one-line ``summary`` of what changed."""

    article_id: str
    revision: int
    fetched_at: str
    summary: str = ""

    @property
    def key(self) -> str:
        """The object an "article revised" rule fires once for: this version of this article."""
        return f"revision:{self.article_id}@{self.revision}"

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "revision": self.revision, "fetched_at": self.fetched_at,
                "summary": self.summary}
