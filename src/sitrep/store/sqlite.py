"""The embedded default store: one SQLite file in WAL mode with an FTS5 index.

WAL lets the API read a consistent snapshot while an ingest writes; ``BEGIN IMMEDIATE`` takes the
write lock at the start of a batch and ``busy_timeout`` makes a second writer wait rather than
fail with "database is locked".
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Callable

from ..model import SearchHit
from .migrations import SQLITE
from .search_syntax import parse, to_fts5
from .sql import SQLRepository, search_hit

__all__ = ["SQLiteRepository", "fts_query"]


def fts_query(query: str, spellings: Callable[[str], list[str]] | None = None) -> str:
    """The user's query (words, "phrases", OR, -word; see ``search_syntax``) as an FTS5 expression
    in which user text is only ever quoted strings, never FTS5 syntax (``AND``, ``*``, ``:``)."""
    return to_fts5(parse(query, spellings))


_fts_query = fts_query  # kept for the tests' name


class SQLiteRepository(SQLRepository):
    migrations = SQLITE

    def __init__(self, path: str | Path, timeout: float = 30.0):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        self._timeout = timeout
        self._revision_conn: sqlite3.Connection | None = None
        self._revision_lock = threading.Lock()
        self._init_local()
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={int(self._timeout * 1000)}")
        return conn

    def _begin(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def integrity_check(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def revision(self) -> str:
        """A token that changes whenever a commit lands, from this process or any other.

        ``PRAGMA data_version`` counts commits by *other* connections, so it is read on a
        connection of its own that never writes; reading it costs no disk access."""
        with self._revision_lock:
            if self._revision_conn is None:
                self._revision_conn = self._connect()
            return str(self._revision_conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        super().close()
        with self._revision_lock:
            if self._revision_conn is not None:
                self._revision_conn.close()
                self._revision_conn = None

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        q = fts_query(query, self.spellings)
        if not q:
            return []
        # Rank first, then cut snippets for the page only: a common word matches most of the
        # store, and a snippet for every match cost more than the ranking.
        rows = self.execute(
            """SELECT a.id, a.title, a.outlet, a.published_start, a.published_end,
                      snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(articles_fts) AS score
               FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
               WHERE articles_fts MATCH ?1 AND articles_fts.rowid IN (
                   SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1
                   ORDER BY bm25(articles_fts) LIMIT ?2 OFFSET ?3)
               ORDER BY score""",
            (q, limit, offset),
        ).fetchall()
        return [search_hit(r) for r in rows]
