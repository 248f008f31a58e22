"""The repository written once in the SQL that SQLite and PostgreSQL share.

Writes happen inside ``transaction()`` blocks that the pipeline opens once per batch, so a run
killed midway leaves whole batches or nothing, and the ``sources`` table lets the next run skip
what is done. Queries use ``?`` placeholders and ``ON CONFLICT`` upserts, which both engines
understand (the PostgreSQL backend turns ``?`` into ``%s``); a backend supplies only its
connection, its migrations and its full-text search.
"""
from __future__ import annotations

import json
import sqlite3  # only its statement splitter, which also fits PostgreSQL DDL

import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from ..model import Article, Claim, Entity, Event, IngestError, Mention, SearchHit, StoredError, Story
from .base import COUNTED_TABLES, StoredJSONKind
from .dossier import DossierReads, refresh_if_ungrouped, write_dossier
from .lookups import (
    entity_name_rows,
    event_anchor_rows,
    event_name_rows,
    fold,
    fold_title,
    story_corroboration,
    story_facet_rows,
    story_listing,
    story_outlet_rows,
)
from ..revisions import Snapshot, text_key, what_changed
from ..shapes import RevisionChangesJSON
from .migrations import Migration
from .search_syntax import MAX_SPELLINGS



_IN_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound on parameters


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SQLRepository(DossierReads):
    """Everything but the connection, the DDL and full-text search."""

    migrations: list[Migration] = []

    # -- what a backend provides -------------------------------------------------------------
    def _connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _begin(self, conn: Any) -> None:
        conn.execute("BEGIN")

    def _sql(self, sql: str) -> str:
        return sql

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:  # pragma: no cover
        raise NotImplementedError

    def integrity_check(self) -> str:  # pragma: no cover
        raise NotImplementedError

    # -- connections -------------------------------------------------------------------------
    def _init_local(self) -> None:
        self._local = threading.local()

    @property
    def db(self) -> Any:
        """One connection per thread: the API serves reads from worker threads."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._local.depth = 0
        return conn

    def execute(self, sql: str, args: Any = ()) -> Any:
        """Execute one statement in this backend's dialect; the cursor, rows as mappings."""
        return self.db.execute(self._sql(sql), args)

    def execute_many(self, sql: str, rows: list[Any]) -> None:
        """Execute one statement once per row of parameters (nothing for no rows)."""
        if rows:
            cur = self.db.cursor()
            cur.executemany(self._sql(sql), rows)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested calls join the outer one."""
        db = self.db
        if self._local.depth:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        self._begin(db)
        self._local.depth = 1
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
        finally:
            self._local.depth = 0

    def _migrate(self) -> None:
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        done = {r["version"] for r in self.execute("SELECT version FROM schema_version").fetchall()}
        for version, name, step in self.migrations:
            if version in done:
                continue
            with self.transaction():
                if callable(step):
                    step(self)
                else:
                    for statement in _split_sql(step):
                        self.db.execute(statement)
                self.execute("INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)",
                       (version, name, _now()))

    def schema_version(self) -> int:
        return self.execute("SELECT max(version) AS v FROM schema_version").fetchone()["v"] or 0

    # -- writing -----------------------------------------------------------------------------
    def has_source(self, source_path: str, record_key: str) -> bool:
        row = self.execute(
            "SELECT 1 FROM sources WHERE source_path=? AND record_key=?", (source_path, record_key)
        ).fetchone()
        return row is not None

    def mark_source(self, source_path: str, record_key: str, article_id: str | None, status: str) -> None:
        self.execute(
            "INSERT INTO sources(source_path, record_key, article_id, status) VALUES (?,?,?,?)"
            " ON CONFLICT (source_path, record_key) DO UPDATE SET article_id=excluded.article_id, status=excluded.status",
            (source_path, record_key, article_id, status),
        )

    def has_article(self, article_id: str) -> bool:
        return self.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article) -> bool:
        """Insert the article; False when an identical text is already stored."""
        pub = article.published
        cur = self.execute(
            """INSERT INTO articles(id, content_hash, source_path, record_key, source_id, url, outlet,
                   title, text, published_start, published_end, published_inferred, format, reprint_of,
                   ingested_at, data)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING""",
            (
                article.id,
                article.content_hash or article.id,
                article.source_path,
                article.record_key,
                article.source_id,
                article.url,
                article.outlet,
                article.title,
                article.text,
                pub.start.isoformat() if pub else None,
                pub.end.isoformat() if pub else None,
                int(bool(pub and pub.inferred)),
                article.format,
                article.reprint_of,
                _now(),
                json.dumps(article.to_record(), ensure_ascii=False),
            ),
        )
        return bool(cur.rowcount == 1)

    def save_derived(self, article: Article) -> None:
        """Replace the article's mentions, claims and events with the ones it now carries."""
        aid = article.id
        for lookup in ("event_names", "event_anchors"):
            self.execute(f"DELETE FROM {lookup} WHERE event_id IN (SELECT id FROM events WHERE article_id=?)", (aid,))
        self.execute("DELETE FROM mentions WHERE article_id=?", (aid,))
        self.execute("DELETE FROM claims WHERE article_id=?", (aid,))
        self.execute("DELETE FROM events WHERE article_id=?", (aid,))
        self.execute_many(
            "INSERT INTO mentions(article_id, span_start, span_end, text, type, entity_id) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (article_id, span_start, span_end) DO NOTHING",
            [(aid, m.start, m.end, m.text, m.type, m.entity_id) for m in article.mentions],
        )
        self.execute_many(
            "INSERT INTO claims(id, article_id, span_start, span_end, origin, origin_named, sources, data)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET data=excluded.data",
            [
                (
                    c.id,
                    aid,
                    c.start,
                    c.end,
                    c.chain[-1].name if c.chain else None,
                    int(c.origin_named),
                    "\n".join(h.name.lower() for h in c.chain),
                    json.dumps(c.to_json(), ensure_ascii=False),
                )
                for c in article.claims
            ],
        )
        rows = []
        names: list[tuple[str, str]] = []
        anchors: list[tuple[str, str, int, int]] = []
        for e in article.events:
            d = e.to_json()
            d["article_id"] = aid  # the article it is stored under, whatever the event said
            names += event_name_rows(dict(d))
            anchors += event_anchor_rows(dict(d))
            t = e.time
            p = e.place
            rows.append(
                (
                    e.id,
                    aid,
                    e.type,
                    t.start.isoformat() if t and t.start else None,
                    t.end.isoformat() if t and t.end else None,
                    p.lat if p else None,
                    p.lon if p else None,
                    json.dumps(d, ensure_ascii=False),
                )
            )
        self.execute_many(
            "INSERT INTO events(id, article_id, type, time_start, time_end, lat, lon, data)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET data=excluded.data",
            rows,
        )
        # an id another article's event already had keeps that row, with this data: its lookup
        # rows follow the data
        ids = [(e.id,) for e in article.events]
        self.execute_many("DELETE FROM event_names WHERE event_id=?", ids)
        self.execute_many("DELETE FROM event_anchors WHERE event_id=?", ids)
        self.execute_many("INSERT INTO event_names(event_id, folded) VALUES (?, ?) ON CONFLICT DO NOTHING", names)
        self.execute_many("INSERT INTO event_anchors(event_id, article_id, span_start, span_end) VALUES (?,?,?,?)",
                          anchors)
        refresh_if_ungrouped(self, aid)

    def record_error(self, error: IngestError, run_id: int | None = None) -> None:
        self.execute(
            """INSERT INTO errors(source_path, record_key, line, kind, message, run_id, created_at)
               VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING""",
            (error.source_path, error.record_key, error.line, error.kind, error.message, run_id, _now()),
        )

    def save_entities(self, entities: Iterable[Entity]) -> None:
        rows = []
        links: list[tuple[str, str, int, int]] = []
        names: list[tuple[str, str]] = []
        for ent in entities:
            d: dict[str, Any] = dict(ent.to_json())
            d.pop("mentions", None)  # mentions live in their own table
            rows.append((ent.id, ent.name, ent.type, ent.count, json.dumps(d, ensure_ascii=False)))
            names += entity_name_rows(d)
            # mentions an article stored before it was resolved (the pipeline stores them resolved)
            links.extend((ent.id, m.article_id, m.start, m.end) for m in ent.mentions)
        self.execute_many(
            "INSERT INTO entities(id, name, type, mention_count, data) VALUES (?,?,?,?,?) ON CONFLICT (id) DO UPDATE"
            " SET name=excluded.name, type=excluded.type, mention_count=excluded.mention_count, data=excluded.data",
            rows,
        )
        self.execute_many("DELETE FROM entity_names WHERE entity_id=?", [(r[0],) for r in rows])
        self.execute_many("INSERT INTO entity_names(entity_id, folded) VALUES (?, ?) ON CONFLICT DO NOTHING", names)
        if links:
            self.execute_many("UPDATE mentions SET entity_id=? WHERE article_id=? AND span_start=? AND span_end=?", links)

    def save_story(self, story: Story) -> None:
        d = story.to_json()
        self.execute(
            "INSERT INTO stories(id, title, time_start, time_end, article_count, data, title_folded, listing,"
            " corroboration) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (id) DO UPDATE SET title=excluded.title, time_start=excluded.time_start,"
            " time_end=excluded.time_end, article_count=excluded.article_count, data=excluded.data,"
            " title_folded=excluded.title_folded, listing=excluded.listing, corroboration=excluded.corroboration",
            (
                story.id,
                story.title,
                d["start"],
                d["end"],
                len(story.article_ids),
                json.dumps(d, ensure_ascii=False),
                fold_title(d["title"]),
                story_listing(dict(d)),
                story_corroboration(dict(d)),
            ),
        )
        self.execute("DELETE FROM story_facets WHERE story_id=?", (story.id,))
        self.execute_many("INSERT INTO story_facets(story_id, kind, value) VALUES (?,?,?)", story_facet_rows(dict(d)))
        self.execute("DELETE FROM story_outlets WHERE story_id=?", (story.id,))
        self.execute_many("INSERT INTO story_outlets(story_id, outlet, folded) VALUES (?,?,?)",
                          story_outlet_rows(dict(d)))
        self.link_story_articles(story.id, story.article_ids)
        write_dossier(self, dict(d))

    def set_story_related(self, story_id: str, related: list[str]) -> None:
        """Rewrite only the ``related`` list of a stored story (a link made while another story
        was built), so linking two stories never costs a rebuild of either."""
        row = self.execute("SELECT data, listing FROM stories WHERE id=?", (story_id,)).fetchone()
        if row is None:
            return
        data = json.loads(row["data"])
        if list(data.get("related") or []) == list(related):
            return
        data["related"] = list(related)
        listing = json.loads(row["listing"]) if row["listing"] else None
        if listing is not None:
            listing["related"] = list(related)
        self.execute("UPDATE stories SET data=?, listing=? WHERE id=?",
                     (json.dumps(data, ensure_ascii=False),
                      json.dumps(listing, ensure_ascii=False) if listing is not None else None, story_id))

    def merge_stories(self, story_id: str, absorbed_id: str) -> bool:
        """Make the story ``absorbed_id`` part of ``story_id`` (a fragment merge, see
        ``sitrep.stories.fragments``): its articles move to ``story_id``; its row, list facets,
        outlets and dossier rows go; the stories it was related to list ``story_id`` in its place;
        and its id is recorded as merged (``merged_into`` answers with ``story_id``, as for the
        stories it had absorbed before). The surviving story's record is not rebuilt here: its
        events, claim groups and corroboration come from all its articles, which the caller
        rebuilds (the pipeline, in the same transaction or as a stale story). Idempotent (a merge
        already made changes nothing) and one transaction; returns whether anything changed."""
        with self.transaction():
            into = self.merged_into(story_id) or story_id
            if into == absorbed_id or self.merged_into(absorbed_id) is not None:
                return False  # one story, or absorbed already (its reports are with its survivor)
            row = self.execute("SELECT data FROM stories WHERE id=?", (absorbed_id,)).fetchone()
            related = [str(r) for r in (json.loads(row["data"]).get("related") or [])] if row else []
            self.execute("UPDATE story_articles SET story_id=? WHERE story_id=?", (into, absorbed_id))
            self.execute("DELETE FROM stories WHERE id=?", (absorbed_id,))
            for table in ("story_facets", "story_outlets", "dossier_rows"):
                self.execute(f"DELETE FROM {table} WHERE story_id=?", (absorbed_id,))
            self.execute("UPDATE story_merges SET story_id=? WHERE story_id=?", (into, absorbed_id))
            self.execute("INSERT INTO story_merges(absorbed_id, story_id, merged_at) VALUES (?,?,?)"
                         " ON CONFLICT (absorbed_id) DO UPDATE SET story_id=excluded.story_id",
                         (absorbed_id, into, _now()))
            for rid in related:
                other = self.execute("SELECT data FROM stories WHERE id=?", (rid,)).fetchone()
                if other is None:
                    continue
                listed = [str(x) for x in json.loads(other["data"]).get("related") or []]
                moved = dict.fromkeys(into if x == absorbed_id else x for x in listed)
                self.set_story_related(rid, [x for x in moved if x != rid])
            return True

    def merged_into(self, story_id: str) -> str | None:
        """The story that holds the reports of ``story_id`` when that story was absorbed by a
        fragment merge (``merge_stories``), else None (a live story, or an unknown id)."""
        row = self.execute("SELECT story_id FROM story_merges WHERE absorbed_id=?", (story_id,)).fetchone()
        return row["story_id"] if row else None

    def link_story_articles(self, story_id: str, article_ids: Iterable[str]) -> None:
        """Record membership only; the story's events and claim groups are built later."""
        self.execute_many(
            "INSERT INTO story_articles(story_id, article_id) VALUES (?,?)"
            " ON CONFLICT (article_id) DO UPDATE SET story_id=excluded.story_id",
            [(story_id, a) for a in article_ids],
        )

    def load_state(self, name: str) -> Any | None:
        row = self.execute("SELECT data FROM state WHERE name=?", (name,)).fetchone()
        return json.loads(row["data"]) if row else None

    def save_state(self, name: str, data: Any) -> None:
        self.execute(
            "INSERT INTO state(name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data=excluded.data",
            (name, json.dumps(data, ensure_ascii=False))
        )

    def save_state_items(self, name: str, items: dict[str, Any]) -> None:
        """Upsert the items of state ``name`` that a batch changed, in one ``executemany``."""
        self.execute_many(
            "INSERT INTO state_items(name, key, data) VALUES (?, ?, ?)"
            " ON CONFLICT (name, key) DO UPDATE SET data=excluded.data",
            [(name, key, json.dumps(data, ensure_ascii=False, separators=(",", ":"))) for key, data in items.items()],
        )

    def load_state_items(self, name: str) -> dict[str, Any]:
        """Every item of state ``name``, by key."""
        rows = self.execute("SELECT key, data FROM state_items WHERE name=? ORDER BY key", (name,))
        return {r["key"]: json.loads(r["data"]) for r in rows}

    def delete_state_items(self, name: str, keys: Iterable[str]) -> None:
        """Drop items a stage no longer holds (an outlet's line that fell out of its counts)."""
        self.execute_many("DELETE FROM state_items WHERE name=? AND key=?", [(name, key) for key in keys])

    def add_minhash(self, article_id: str, signature: bytes) -> None:
        self.execute("INSERT INTO minhashes(article_id, signature) VALUES (?, ?) ON CONFLICT (article_id) DO NOTHING",
               (article_id, signature))

    def iter_minhashes(self) -> Iterator[tuple[str, bytes, str | None, str | None]]:
        """Every stored MinHash signature with its article's first publication day and
        ``reprint_of`` (None for both when the article is not stored): all the reprint index
        needs, read from columns rather than from each article's JSON."""
        rows = self.execute(
            "SELECT m.article_id, m.signature, a.published_start, a.reprint_of"
            " FROM minhashes m LEFT JOIN articles a ON a.id = m.article_id ORDER BY m.article_id"
        ).fetchall()
        for row in rows:
            yield row["article_id"], bytes(row["signature"]), row["published_start"], row["reprint_of"]

    def start_run(self) -> int:
        row = self.execute("INSERT INTO runs(started_at) VALUES (?) RETURNING id", (_now(),)).fetchone()
        return int(row["id"])

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        self.execute("UPDATE runs SET finished_at=?, stats=? WHERE id=?", (_now(), json.dumps(stats), run_id))

    # -- revisions (sitrep.revisions) ---------------------------------------------------------
    def add_revision(self, article_id: str, number: int, fetched_at: str, snapshot: Snapshot,
                     changes: RevisionChangesJSON | None, warc: tuple[str, str] | None = None,
                     page_title: str | None = None) -> None:
        """Record version ``number`` of an article (the first one too), with what it changed."""
        data = {**snapshot.to_json(), "page_title": page_title, "changes": changes}
        warc_file, warc_record = warc or (None, None)
        self.execute(
            "INSERT INTO article_revisions(article_id, number, fetched_at, content_hash, title, warc_file,"
            " warc_record, data) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (article_id, number) DO NOTHING",
            (article_id, number, fetched_at, text_key(snapshot.text), snapshot.title, warc_file, warc_record,
             json.dumps(data, ensure_ascii=False)))

    def revise_article(self, article: Article, number: int, fetched_at: str, warc: tuple[str, str] | None = None,
                       page_title: str | None = None) -> None:
        """Make ``article`` (same id, a changed text) the current version of the stored one: its
        row is updated in place, the version before it is kept as a revision (written now when
        it was never recorded), and the new version recorded with what it changed. The caller
        then replaces the derived records (``save_derived``)."""
        old = self.load_article(article.id)
        if old is None:
            raise KeyError(article.id)
        before = Snapshot.of(old)
        if not self.revisions_of(article.id):  # stored before revisions were kept
            row = self.execute("SELECT ingested_at FROM articles WHERE id=?", (article.id,)).fetchone()
            self.add_revision(article.id, number - 1, row["ingested_at"], before, None)
        after = Snapshot.of(article)
        self.add_revision(article.id, number, fetched_at, after, what_changed(before, after), warc, page_title)
        pub = article.published
        self.execute(
            "UPDATE articles SET title=?, text=?, published_start=?, published_end=?, published_inferred=?, data=?,"
            " revision_count=?, revised_at=?,"
            " content_hash=CASE WHEN EXISTS (SELECT 1 FROM articles o WHERE o.content_hash=? AND o.id<>?)"
            " THEN content_hash ELSE ? END WHERE id=?",
            (article.title, article.text, pub.start.isoformat() if pub else None, pub.end.isoformat() if pub else None,
             int(bool(pub and pub.inferred)), json.dumps(article.to_record(), ensure_ascii=False), number,
             fetched_at, article.content_hash, article.id, article.content_hash, article.id))

    def revisions_of(self, article_id: str) -> list[dict[str, Any]]:
        """The article's stored versions, first first: number, fetched_at, content_hash, title,
        warc (file and record, or None) and the stored data (text, claims, events, changes)."""
        rows = self.execute("SELECT * FROM article_revisions WHERE article_id=? ORDER BY number", (article_id,))
        return [{"number": r["number"], "fetched_at": r["fetched_at"], "content_hash": r["content_hash"],
                 "title": r["title"],
                 "warc": {"file": r["warc_file"], "record": r["warc_record"]} if r["warc_file"] else None,
                 "data": json.loads(r["data"])} for r in rows.fetchall()]

    def set_article_status(self, article_id: str, status: str, at: str | None = None) -> None:
        """Mark an article ``live`` or ``deleted`` (its page answered 404/410); the article is kept."""
        self.execute("UPDATE articles SET status=?, revised_at=? WHERE id=? AND status<>?",
                     (status, at or _now(), article_id, status))

    def article_revised_at(self, article_id: str) -> str | None:
        row = self.execute("SELECT revised_at FROM articles WHERE id=?", (article_id,)).fetchone()
        return row["revised_at"] if row else None

    def article_of_source(self, source_path: str, record_key: str = "") -> str | None:
        """The article an input record was stored as (not one it duplicated), or None."""
        row = self.execute("SELECT article_id FROM sources WHERE source_path=? AND record_key=? AND status='stored'",
                           (source_path, record_key)).fetchone()
        return row["article_id"] if row else None

    # -- reading -----------------------------------------------------------------------------
    def count_articles(self) -> int:
        return int(self.execute("SELECT count(*) AS n FROM articles").fetchone()["n"])

    def count(self, table: str) -> int:
        if table not in COUNTED_TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"])

    def _article(self, row: Any) -> Article:
        """An article from its stored record; ``reprint_of`` is the column (a later run may link it)."""
        record = json.loads(row["data"])
        record["reprint_of"] = row["reprint_of"]
        record["revisions"], record["status"] = row["revision_count"], row["status"]
        return Article.from_record(record)

    def get_article(self, article_id: str) -> Article | None:
        """The article without its derived records (``load_article`` adds them)."""
        row = self.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def load_article(self, article_id: str, derived: bool = True) -> Article | None:
        article = self.get_article(article_id)
        if article is None or not derived:
            return article
        article.mentions = [
            Mention(article_id=r["article_id"], start=r["span_start"], end=r["span_end"], text=r["text"],
                    type=r["type"], entity_id=r["entity_id"])
            for r in self.execute("SELECT * FROM mentions WHERE article_id=? ORDER BY span_start", (article_id,))
        ]
        article.claims = [
            Claim.from_json(json.loads(r["data"]))
            for r in self.execute("SELECT data FROM claims WHERE article_id=? ORDER BY span_start", (article_id,))
        ]
        article.events = [
            Event.from_json(json.loads(r["data"]))
            for r in self.execute("SELECT data FROM events WHERE article_id=? ORDER BY id", (article_id,))
        ]
        return article

    def list_articles(self, limit: int = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        args: list[Any] = []
        if outlet:
            sql += " WHERE lower(outlet) = lower(?)"
            args.append(outlet)
        sql += " ORDER BY seq LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [self._article(r) for r in self.execute(sql, args)]

    def list_errors(self, limit: int = 100, offset: int = 0) -> list[StoredError]:
        rows = self.execute(
            "SELECT source_path, record_key, line, kind, message, run_id, created_at FROM errors"
            " ORDER BY id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [StoredError.from_json(dict(r)) for r in rows]

    def list_claims(self, article_id: str | None = None, source: str | None = None, named: bool | None = None,
                    limit: int = 100, offset: int = 0) -> list[Claim]:
        sql = "SELECT data FROM claims WHERE 1=1"
        args: list[Any] = []
        if article_id:
            sql += " AND article_id=?"
            args.append(article_id)
        if source:
            sql += " AND sources LIKE ? ESCAPE '\\'"
            args.append("%" + _like_escape(source.lower()) + "%")
        if named is not None:
            sql += " AND origin_named=?"
            args.append(int(named))
        sql += " ORDER BY article_id, span_start LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [Claim.from_json(json.loads(r["data"])) for r in self.execute(sql, args).fetchall()]

    def list_events(self, type: str | None = None, since: str | None = None, until: str | None = None,
                    bbox: tuple[float, float, float, float] | None = None, article_id: str | None = None,
                    limit: int = 100, offset: int = 0, outlet: str | None = None,
                    include_undated: bool = False) -> list[Event]:
        where, args = self._events_where(type=type, since=since, until=until, bbox=bbox, article_id=article_id,
                                         outlet=outlet, include_undated=include_undated)
        args += [limit, offset]
        rows = self.execute(f"SELECT data FROM events WHERE {where} ORDER BY time_start, id LIMIT ? OFFSET ?", args)
        return [Event.from_json(json.loads(r["data"])) for r in rows.fetchall()]

    @staticmethod
    def _events_where(type: str | None = None, since: str | None = None, until: str | None = None,
                      bbox: tuple[float, float, float, float] | None = None, article_id: str | None = None,
                      outlet: str | None = None, include_undated: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause of ``list_events``'s filters, and its arguments. A date filter leaves out
        events with no time at all (nothing says they fall in the window) unless ``include_undated``."""
        sql = "1=1"
        args: list[Any] = []
        if outlet:  # an event row belongs to the one article it was read from
            sql += " AND article_id IN (SELECT id FROM articles WHERE lower(outlet) = lower(?))"
            args.append(outlet)
        if type:
            sql += " AND type=?"
            args.append(type)
        if (since or until) and not include_undated:
            sql += " AND (time_start IS NOT NULL OR time_end IS NOT NULL)"
        if since:  # an event counts when its interval reaches into the window
            sql += " AND (time_end IS NULL OR time_end >= ?)"
            args.append(since)
        if until:
            sql += " AND (time_start IS NULL OR time_start <= ?)"
            args.append(until)
        if bbox:
            south, west, north, east = bbox
            sql += " AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            args += [south, north, west, east]
        if article_id:
            sql += " AND article_id=?"
            args.append(article_id)
        return sql, args

    def events_of_entity(self, entity_id: str, type: str | None = None, since: str | None = None,
                         until: str | None = None, bbox: tuple[float, float, float, float] | None = None,
                         article_id: str | None = None, outlet: str | None = None, limit: int | None = None,
                         offset: int = 0, include_undated: bool = False) -> list[Event]:
        """The events ``list_events`` gives for the filters that involve the entity, in its order,
        one page (all of them when ``limit`` is None). An event involves an entity when its actor,
        target, equipment or place is one of the entity's names or aliases (case-folded), or when
        one of the entity's mentions overlaps the event's place or trigger in one of its articles."""
        where, args = self._events_where(type=type, since=since, until=until, bbox=bbox, article_id=article_id,
                                         outlet=outlet, include_undated=include_undated)
        sql = (
            f"SELECT data FROM events WHERE {where} AND id IN ("
            " SELECT v.event_id FROM entity_names n JOIN event_names v ON v.folded = n.folded WHERE n.entity_id=?"
            " UNION SELECT a.event_id FROM mentions m JOIN event_anchors a ON a.article_id = m.article_id"
            " WHERE m.entity_id=? AND m.span_start < a.span_end AND a.span_start < m.span_end)"
            " ORDER BY time_start, id"
        )
        args += [entity_id, entity_id]
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        elif offset:
            sql += " OFFSET ?"
            args.append(offset)
        return [Event.from_json(json.loads(r["data"])) for r in self.execute(sql, args).fetchall()]

    def list_entities(self, type: str | None = None, limit: int = 100, offset: int = 0,
                      name: str | None = None) -> list[Entity]:
        """One page of entities, most mentioned first, each with its mentions (two queries, not
        one per entity). ``name`` keeps those one of whose names or aliases contains it
        (case-folded), so a search for "asad" finds "Ain al-Assad" spelt either way it was read."""
        sql = "SELECT id, data FROM entities WHERE 1=1"
        args: list[Any] = []
        if type:
            sql += " AND type=?"
            args.append(type.upper())
        if name and name.strip():
            sql += " AND id IN (SELECT entity_id FROM entity_names WHERE folded LIKE ? ESCAPE '\\')"
            args.append("%" + _like_escape(fold(name.strip())) + "%")
        sql += " ORDER BY mention_count DESC, name LIMIT ? OFFSET ?"
        args += [limit, offset]
        rows = self.execute(sql, args).fetchall()
        mentions: dict[str, list[Mention]] = {}
        for m in self._in_chunks(
            "SELECT entity_id, " + _MENTION_COLUMNS + " FROM mentions WHERE entity_id IN ({ids}) ORDER BY " + _MENTION_ORDER,
            [r["id"] for r in rows],
        ):
            mentions.setdefault(m["entity_id"], []).append(_mention(m))
        return [_entity(r["data"], mentions.get(r["id"], [])) for r in rows]

    def get_entity(self, entity_id: str) -> Entity | None:
        row = self.execute("SELECT data FROM entities WHERE id=?", (entity_id,)).fetchone()
        if not row:
            return None
        mentions = self.execute(
            "SELECT " + _MENTION_COLUMNS + " FROM mentions WHERE entity_id=? ORDER BY " + _MENTION_ORDER, (entity_id,)
        ).fetchall()
        return _entity(row["data"], [_mention(m) for m in mentions])

    def entity_by_name(self, name: str) -> Entity | None:
        """The entity one of whose names or aliases is ``name`` (case-folded); of several, the
        first ``list_entities`` gives (most mentioned, then by name, then by id)."""
        row = self.execute(
            "SELECT e.id FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE n.folded=?"
            " ORDER BY e.mention_count DESC, e.name, e.id LIMIT 1",
            (fold(name),),
        ).fetchone()
        return self.get_entity(row["id"]) if row else None

    def spellings(self, name: str) -> list[str]:
        """Every name and alias (case-folded) of the entities one of whose names is ``name``: a
        search for one spelling then finds the others ("al-Asad" finds "al-Assad")."""
        rows = self.execute(
            "SELECT DISTINCT other.folded FROM entity_names n JOIN entity_names other ON other.entity_id = n.entity_id"
            " WHERE n.folded=? ORDER BY other.folded LIMIT ?",
            (fold(name), MAX_SPELLINGS),
        ).fetchall()
        return [r["folded"] for r in rows]

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        return [Story.from_json(json.loads(text)) for text in self.stored_json("stories", limit=limit, offset=offset)]

    @staticmethod
    def _stories_where(outlet: str | None, since: str | None, until: str | None, text: str | None,
                       article_ids: Iterable[str], event_type: str | None = None,
                       country: str | None = None, changed_since: str | None = None) -> tuple[str, list[Any]]:
        """The WHERE clause of ``find_stories``'s filters, and its arguments."""
        sql = "1=1"
        args: list[Any] = []
        if changed_since:  # an article of the story revised or deleted since then (sitrep.revisions)
            sql += (" AND id IN (SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                    " WHERE a.revised_at >= ?)")
            args.append(changed_since)
        for kind, value in (("type", event_type), ("country", (country or "").upper())):
            if value:
                sql += " AND id IN (SELECT story_id FROM story_facets WHERE kind=? AND value=?)"
                args += [kind, value]
        if outlet:
            sql += " AND id IN (SELECT story_id FROM story_outlets WHERE folded=?)"
            args.append(outlet.casefold())
        if since:  # a story without an end (or start) is kept: its span is unknown
            sql += " AND (time_end IS NULL OR time_end = '' OR time_end >= ?)"
            args.append(since)
        if until:
            sql += " AND (time_start IS NULL OR time_start = '' OR time_start <= ?)"
            args.append(until)
        if text:
            ids = sorted(set(article_ids))
            sql += " AND (title_folded LIKE ? ESCAPE '\\'"
            args.append("%" + _like_escape(fold_title(text)) + "%")
            if ids:
                sql += f" OR id IN (SELECT story_id FROM story_articles WHERE article_id IN ({','.join('?' * len(ids))}))"
                args += ids
            sql += ")"
        return sql, args

    #: the story list's orders; each ends with id so pages never overlap
    STORY_ORDERS = {
        # conflict first (store.dossier.conflict_rank), then the latest, the most corroborated
        "conflict": "conflict DESC, COALESCE(time_end, '') DESC, corroboration DESC, article_count DESC, id",
        "size": "article_count DESC, time_end DESC, id",
        "recent": "COALESCE(time_end, '') DESC, article_count DESC, id",
        "corroboration": "corroboration DESC, article_count DESC, id",
    }

    def find_stories(self, outlet: str | None = None, since: str | None = None, until: str | None = None,
                     text: str | None = None, article_ids: Iterable[str] = (), limit: int = 50,
                     offset: int = 0, listing: bool = False, event_type: str | None = None,
                     country: str | None = None, sort: str = "size", changed_since: str | None = None) -> list[Story]:
        """One page of the stories ``list_stories`` gives (in its order) that name ``outlet``
        (case-folded) among their outlets, reach into ``since``..``until`` (ISO days), and, with
        ``text``, have it in their title (case-folded) or hold one of ``article_ids`` (the hits of
        a search for it; at most a few hundred). With ``listing``, each story only as a list shows
        it (``lookups.LISTING_FIELDS``: no event and claim groups), without reading those.
        ``event_type`` and ``country`` (ISO alpha-2) keep stories with an event of that type or
        in that country; ``changed_since`` (an ISO day or time) keeps stories one of whose articles
        got a new revision or was deleted since then; ``sort`` is one of ``STORY_ORDERS``: conflict
        first (``conflict``, the story list's default: ``store.dossier.conflict_rank``, then the
        latest), most reports first (``size``, the
        order of ``list_stories``), latest end first (``recent``), or most independent origins of
        one event or claim group first (``corroboration``)."""
        if sort not in self.STORY_ORDERS:
            raise ValueError(f"unknown story order {sort!r}; expected one of {', '.join(self.STORY_ORDERS)}")
        where, args = self._stories_where(outlet, since, until, text, article_ids, event_type, country, changed_since)
        column = "COALESCE(listing, data)" if listing else "data"
        rows = self.execute(f"SELECT {column} AS data FROM stories WHERE {where}"
                            f" ORDER BY {self.STORY_ORDERS[sort]} LIMIT ? OFFSET ?", args + [limit, offset])
        return [Story.from_json(json.loads(r["data"])) for r in rows.fetchall()]

    def count_stories(self, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      text: str | None = None, article_ids: Iterable[str] = (), event_type: str | None = None,
                      country: str | None = None, changed_since: str | None = None) -> int:
        """How many stories ``find_stories`` finds in all, over every page."""
        where, args = self._stories_where(outlet, since, until, text, article_ids, event_type, country, changed_since)
        return int(self.execute(f"SELECT count(*) AS n FROM stories WHERE {where}", args).fetchone()["n"])

    def story_facets(self, kind: str) -> list[str]:
        """Every event type (``kind`` "type") or country code ("country") some story has, sorted."""
        rows = self.execute("SELECT DISTINCT value FROM story_facets WHERE kind=?", (kind,)).fetchall()
        return sorted(r["value"] for r in rows)

    def story_outlets(self) -> list[str]:
        """Every outlet some story names, sorted."""
        return sorted(r["outlet"] for r in self.execute("SELECT DISTINCT outlet FROM story_outlets").fetchall())

    def get_story(self, story_id: str) -> Story | None:
        found = self.stored_json("stories", ids=[story_id])
        return Story.from_json(json.loads(found[0])) if found else None

    def stored_json(self, kind: StoredJSONKind, ids: list[str] | None = None, limit: int = 50,
                    offset: int = 0) -> list[str]:
        """Records as the public JSON texts the store keeps, unparsed, for a server that splices
        them into a response (decoding and re-encoding ten thousand records cost most of a second).

        ``stories``: the stories of ``ids`` in that order, or with no ids a page in
        ``list_stories`` order; ``claims``/``events``: every claim or event of the articles
        ``ids``, article by article in the order given, each article's in the order
        ``list_claims``/``list_events`` give them."""
        if kind == "stories":
            if ids is None:
                rows = self.execute("SELECT data FROM stories ORDER BY article_count DESC, time_end DESC, id"
                                    " LIMIT ? OFFSET ?", (limit, offset))
                return [r["data"] for r in rows]
            found = {r["id"]: r["data"] for r in self._in_chunks("SELECT id, data FROM stories WHERE id IN ({ids})",
                                                                 ids)}
            return [found[i] for i in dict.fromkeys(ids) if i in found]
        if kind == "claims":
            return self._data_of_articles("claims", "article_id, span_start", ids or [])
        if kind == "events":
            return self._data_of_articles("events", "time_start, id", ids or [])
        raise ValueError(f"unknown kind {kind!r}")

    # -- batched reads: one query per kind for many articles (a story's dossier, an export) ----
    def _in_chunks(self, sql: str, ids: list[str]) -> Iterator[Any]:
        """Rows of ``sql`` (with one ``{ids}`` placeholder list) over ``ids``, a bounded list at a time."""
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            yield from self.execute(sql.format(ids=",".join("?" * len(chunk))), chunk).fetchall()

    def get_articles(self, article_ids: list[str]) -> list[Article]:
        """``get_article`` for many ids in one query per chunk, in the order given; unknown ids left out."""
        found = {r["id"]: r for r in self._in_chunks(f"SELECT id, {_ARTICLE_COLUMNS} FROM articles"
                                                     " WHERE id IN ({ids})", article_ids)}
        return [self._article(found[a]) for a in dict.fromkeys(article_ids) if a in found]

    def outlets_of(self, article_ids: list[str]) -> dict[str, str | None]:
        """Outlet of each known article id, without reading the articles' bodies."""
        return {r["id"]: r["outlet"] for r in self._in_chunks("SELECT id, outlet FROM articles WHERE id IN ({ids})",
                                                              article_ids)}

    def _data_of_articles(self, table: str, order: str, article_ids: list[str]) -> list[str]:
        by_article: dict[str, list[str]] = {}
        for r in self._in_chunks(f"SELECT article_id, data FROM {table} WHERE article_id IN ({{ids}}) ORDER BY {order}",
                                 article_ids):
            by_article.setdefault(r["article_id"], []).append(r["data"])
        return [d for a in dict.fromkeys(article_ids) for d in by_article.get(a, [])]

    def claims_by_id(self, claim_ids: list[str]) -> list[str]:
        """The stored JSON of these claims, in the order given; unknown ids left out."""
        found = {r["id"]: r["data"] for r in self._in_chunks("SELECT id, data FROM claims WHERE id IN ({ids})",
                                                             claim_ids)}
        return [found[c] for c in dict.fromkeys(claim_ids) if c in found]

    def claims_of_articles(self, article_ids: list[str]) -> list[Claim]:
        """Every claim of the articles, article by article in the order given."""
        return [Claim.from_json(json.loads(d)) for d in self.stored_json("claims", ids=article_ids)]

    def events_of_articles(self, article_ids: list[str]) -> list[Event]:
        """Every event of the articles, article by article in the order given."""
        return [Event.from_json(json.loads(d)) for d in self.stored_json("events", ids=article_ids)]

    def story_of(self, article_id: str) -> str | None:
        row = self.execute("SELECT story_id FROM story_articles WHERE article_id=?", (article_id,)).fetchone()
        return row["story_id"] if row else None

    def article_ids_of_story(self, story_id: str) -> list[str]:
        rows = self.execute(
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id=? ORDER BY a.seq",
            (story_id,),
        )
        return [r["article_id"] for r in rows]


_MENTION_COLUMNS = "article_id, span_start, span_end, text, type, entity_id"
_ARTICLE_COLUMNS = "data, reprint_of, revision_count, status"
_MENTION_ORDER = "article_id, span_start, span_end"


def _mention(row: Any) -> Mention:
    return Mention(article_id=row["article_id"], start=row["span_start"], end=row["span_end"], text=row["text"],
                   type=row["type"], entity_id=row["entity_id"])


def _entity(data: str, mentions: list[Mention]) -> Entity:
    """An entity as the reads give it: its stored record with its mentions from the mentions table."""
    entity = Entity.from_json(json.loads(data))
    entity.mentions = mentions
    entity.mention_count = len(mentions)
    return entity


def search_hit(r: Any) -> SearchHit:
    """One full-text search result, the same from every backend."""
    return SearchHit(id=r["id"], title=r["title"], outlet=r["outlet"], published_start=r["published_start"],
                     published_end=r["published_end"], snippet=r["snippet"], score=r["score"])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (``BEGIN … END;``) whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            statements.append(joined.strip())
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
