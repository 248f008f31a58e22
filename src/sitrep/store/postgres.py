"""The server option: the same repository on PostgreSQL, for a newsroom or a research group
sharing one database. Full-text search uses a generated ``tsvector`` column with a GIN index.
"""
from __future__ import annotations

from typing import Any

from ..model import SearchHit
from .. import extras
from .migrations import POSTGRES
from .search_syntax import parse, to_tsquery_sql
from .sql import SQLRepository, search_hit


class PostgresRepository(SQLRepository):
    migrations = POSTGRES

    def __init__(self, url: str):
        extras.require(extras.POSTGRES)  # without it: MissingExtra naming `pip install 'sitrep[postgres]'`
        self.url = url
        self._init_local()
        self._migrate()

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(self.url, autocommit=True, row_factory=dict_row)

    def _sql(self, sql: str) -> str:
        # Placeholders: '?' → '%s'; a literal '%' must be doubled for psycopg.
        return sql.replace("%", "%%").replace("?", "%s")

    def _migrate(self) -> None:
        # Serialise concurrent first starts: only one process creates the schema.
        with self.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(424242)")
            super()._migrate()

    def integrity_check(self) -> str:
        # PostgreSQL checks its own pages; here: every table answers and counts are consistent.
        for table in ("articles", "sources", "claims", "events", "mentions", "stories"):
            self.db.execute(f"SELECT count(*) FROM {table}")
        return "ok"

    def revision(self) -> str:
        """A token that changes whenever a write transaction starts or ends on the server: the
        current snapshot (xmin:xmax:in-progress ids). Read-only queries take no transaction id,
        so it holds still while only readers run."""
        return str(self.execute("SELECT txid_current_snapshot()::text AS r").fetchone()["r"])

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        parsed = parse(query, self.spellings)
        if not parsed:
            return []
        tsquery, args = to_tsquery_sql(parsed)
        rows = self.execute(
            f"""SELECT id, title, outlet, published_start, published_end,
                      ts_headline('english', text, q, 'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet,
                      -ts_rank(tsv, q) AS score
               FROM articles, (SELECT {tsquery} AS q) AS typed
               WHERE tsv @@ q ORDER BY score LIMIT ? OFFSET ?""",
            (*args, limit, offset),
        ).fetchall()
        return [search_hit(r) for r in rows]
