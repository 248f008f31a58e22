"""Schema migrations, applied in order and recorded in ``schema_version``.

Each migration is plain SQL, one list per dialect with the same numbers and the same tables and
columns, so both backends run the same queries; a migration that fills new tables from records
already stored is a Python function of the repository instead, run in the same transaction
(folding names the way reads do needs Python, see ``lookups``). Never edit a released migration:
append one.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .dossier import create_and_backfill as dossier_rows_and_conflict_rank
from .lookups import backfill, backfill_story_facets
from .revisions_backfill import backfill_first_revisions

# Crawl state of ``sitrep watch`` (``sitrep.watch.state``): per source its validators and health,
# per page URL its last status and body hash. The same DDL in both dialects.
_CRAWL_STATE = """
        CREATE TABLE watch_sources (
            url TEXT PRIMARY KEY,              -- canonical URL, or a local path
            etag TEXT,
            last_modified TEXT,
            last_checked TEXT,                 -- ISO time of the last attempt
            last_success TEXT,
            failures INTEGER NOT NULL DEFAULT 0,  -- consecutive
            last_error TEXT
        );
        CREATE TABLE watch_pages (
            url TEXT PRIMARY KEY,              -- canonical URL
            source TEXT,                       -- the source that listed it first
            status TEXT NOT NULL,              -- stored, failed, robots, ...
            http_status INTEGER,
            content_hash TEXT,                 -- sha256 of the body fetched
            fetched_at TEXT NOT NULL,
            warc_file TEXT,                    -- with --archive: the WARC file and record the
            warc_record TEXT                   -- response was written to (sitrep.watch.archive)
        );
"""

#: (version, name, SQL script or a function of the repository)
Migration = tuple[int, str, str | Callable[[Any], None]]

# Lookup tables for the reads that used to parse every story, entity and event (``lookups``), and
# the indexes those reads sort and join by. The same DDL in both dialects.
_READ_LOOKUPS = """
        CREATE TABLE entity_names (
            entity_id TEXT NOT NULL,
            folded TEXT NOT NULL,              -- name or alias, case-folded (lookups.fold)
            PRIMARY KEY (entity_id, folded)
        );
        CREATE INDEX entity_names_folded ON entity_names(folded);

        CREATE TABLE event_names (
            event_id TEXT NOT NULL,
            folded TEXT NOT NULL,              -- actor, target, equipment or place name, case-folded
            PRIMARY KEY (event_id, folded)
        );
        CREATE INDEX event_names_folded ON event_names(folded);

        CREATE TABLE event_anchors (
            event_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            span_start INTEGER NOT NULL,       -- the place's or the trigger's span in that article
            span_end INTEGER NOT NULL
        );
        CREATE INDEX event_anchors_article ON event_anchors(article_id, span_start);
        CREATE INDEX event_anchors_event ON event_anchors(event_id);

        CREATE TABLE story_outlets (
            story_id TEXT NOT NULL,
            outlet TEXT NOT NULL,
            folded TEXT NOT NULL,              -- the outlet case-folded, for the story list's filter
            PRIMARY KEY (story_id, outlet)
        );
        CREATE INDEX story_outlets_folded ON story_outlets(folded);
        ALTER TABLE stories ADD COLUMN title_folded TEXT NOT NULL DEFAULT '';
        ALTER TABLE stories ADD COLUMN listing TEXT;  -- lookups.story_listing
        CREATE INDEX stories_listing ON stories(article_count DESC, time_end DESC, id);

        -- an entity's mentions by article, for the join with event anchors (replaces the index on
        -- entity_id alone, which it starts with)
        CREATE INDEX mentions_entity_article ON mentions(entity_id, article_id, span_start);
        DROP INDEX mentions_entity;
"""

# What the story list filters and sorts by besides outlet, dates and title (``lookups``).
_STORY_FACETS = """
        CREATE TABLE story_facets (
            story_id TEXT NOT NULL,
            kind TEXT NOT NULL,                -- "type" (an event type) or "country" (ISO alpha-2)
            value TEXT NOT NULL,
            PRIMARY KEY (story_id, kind, value)
        );
        CREATE INDEX story_facets_value ON story_facets(kind, value);
        ALTER TABLE stories ADD COLUMN corroboration INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX stories_corroboration ON stories(corroboration DESC, article_count DESC, id);
        CREATE INDEX stories_recent ON stories(time_end DESC, article_count DESC, id);
"""

# Revisions of the pages ``sitrep watch`` follows (``sitrep.revisions``): each stored version of an
# article, the article's status and when it last changed, and what the re-fetch schedule needs
# per page. The same DDL in both dialects; SQLite's full-text index also needs an update trigger,
# since a revised article is updated in place (same id, same seq), not deleted and re-inserted.
_REVISIONS = """
        CREATE TABLE article_revisions (
            article_id TEXT NOT NULL,
            number INTEGER NOT NULL,           -- 1 for the version first stored
            fetched_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,        -- sitrep.revisions.text_key of the clean text
            title TEXT,
            warc_file TEXT,                    -- with --archive: where the response was written
            warc_record TEXT,
            data TEXT NOT NULL,                -- JSON: text, claims, events, changes from the one before
            PRIMARY KEY (article_id, number)
        );
        ALTER TABLE articles ADD COLUMN revision_count INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'live';  -- live or deleted
        ALTER TABLE articles ADD COLUMN revised_at TEXT;  -- last new revision or deletion
        CREATE INDEX articles_revised ON articles(revised_at);
        ALTER TABLE watch_pages ADD COLUMN article_id TEXT;
        ALTER TABLE watch_pages ADD COLUMN first_fetched_at TEXT;
        ALTER TABLE watch_pages ADD COLUMN refetches INTEGER NOT NULL DEFAULT 0;  -- scheduled ones done
        ALTER TABLE watch_pages ADD COLUMN etag TEXT;
        ALTER TABLE watch_pages ADD COLUMN last_modified TEXT;
        ALTER TABLE watch_pages ADD COLUMN meta TEXT;  -- JSON: what the listing said (outlet, title, ...)
"""

_SQLITE_REVISED_FTS = """
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
"""

# Alerts (``sitrep.alerts``): per rule, the last article (by ``articles.seq``) its matches were
# looked for in, and the objects it fired for, so a rule fires once per object across passes,
# restarts and a killed watch; and the index the source health page counts pages by. The same DDL
# in both dialects; IF NOT EXISTS, so a store whose version rows were rolled back (as the tests
# that rebuild an older store do) migrates again cleanly.
_ALERTS_AND_SOURCE_HEALTH = """
        CREATE TABLE IF NOT EXISTS alert_cursors (
            rule TEXT PRIMARY KEY,             -- the rule's name in its rules file
            seq BIGINT NOT NULL                -- articles up to this seq have been matched
        );
        CREATE TABLE IF NOT EXISTS alerts_fired (
            rule TEXT NOT NULL,
            object TEXT NOT NULL,              -- article:ID, event:ID, claim:ID, revision:ID@N
            fired_at TEXT NOT NULL,
            PRIMARY KEY (rule, object)
        );
        CREATE INDEX IF NOT EXISTS watch_pages_source ON watch_pages(source, fetched_at);
"""

# Story fragments merged (``sitrep.stories.fragments``, ``Repository.merge_stories``): each absorbed
# story's id and the story that holds its reports now, so an id a reader kept (a link, an API
# client, an alert) still resolves. Chains are kept flat: ``story_id`` is always a live story.
# The same DDL in both dialects.
_STORY_MERGES = """
        CREATE TABLE IF NOT EXISTS story_merges (
            absorbed_id TEXT PRIMARY KEY,      -- the story that no longer exists
            story_id TEXT NOT NULL,            -- the story that took its reports
            merged_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS story_merges_story ON story_merges(story_id);
"""

SQLITE: list[Migration] = [
    (
        1,
        "articles, sources, errors, full-text index",
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL DEFAULT '',
            source_id TEXT,
            url TEXT,
            outlet TEXT,
            title TEXT,
            text TEXT NOT NULL,
            published_start TEXT,
            published_end TEXT,
            published_inferred INTEGER NOT NULL DEFAULT 0,
            format TEXT,
            reprint_of TEXT,
            ingested_at TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published_start);
        CREATE INDEX articles_reprint ON articles(reprint_of);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        END;

        -- Every input record seen, so a re-run skips what is done and a killed run resumes.
        CREATE TABLE sources (
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL,
            article_id TEXT,
            status TEXT NOT NULL,          -- stored, duplicate
            PRIMARY KEY (source_path, record_key)
        );

        CREATE TABLE errors (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL DEFAULT '',
            line INTEGER,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            run_id INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (source_path, record_key, kind, message)
        );

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            stats TEXT
        );

        -- Learned state of corpus-level stages (recurring lines, entity resolver, story clusterer).
        CREATE TABLE state (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );

        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY,
            signature BLOB NOT NULL
        );
        """,
    ),
    (
        2,
        "mentions, entities, claims, events, stories",
        """
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            entity_id TEXT,
            PRIMARY KEY (article_id, span_start, span_end)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);

        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            mention_count INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );

        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            origin TEXT,
            origin_named INTEGER NOT NULL DEFAULT 0,
            sources TEXT NOT NULL DEFAULT '',   -- every chain name, lower-cased, for --source
            data TEXT NOT NULL
        );
        CREATE INDEX claims_article ON claims(article_id);

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            type TEXT NOT NULL,
            time_start TEXT,
            time_end TEXT,
            lat REAL,
            lon REAL,
            data TEXT NOT NULL
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_type ON events(type);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            time_start TEXT,
            time_end TEXT,
            article_count INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL,
            article_id TEXT NOT NULL PRIMARY KEY
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        """,
    ),
    (
        3,
        "state items: corpus stages' state saved item by item",
        """
        -- One row per item of a corpus stage's state (an outlet's line count, an entity, a story,
        -- a document frequency), so a batch rewrites only the items it changed; the stage's small
        -- header stays in ``state``.
        CREATE TABLE state_items (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (name, key)
        ) WITHOUT ROWID;
        """,
    ),
    (4, "read lookups: entity and event names, event anchors, story outlets", _READ_LOOKUPS),
    (5, "read lookups filled from the records already stored", backfill),
    (6, "watch crawl state: sources and pages", _CRAWL_STATE),
    (7, "story list facets: event types, countries, corroboration", _STORY_FACETS),
    (8, "story list facets filled from the stories already stored", backfill_story_facets),
    (9, "article revisions, article status, page re-fetch schedule", _REVISIONS + _SQLITE_REVISED_FTS),
    (10, "first revisions of the pages watch already stored", backfill_first_revisions),
    (11, "alerts: cursors and fired objects; watch pages by source", _ALERTS_AND_SOURCE_HEALTH),
    (13, "dossier rows (claim groups, story events) and the stories' conflict rank", dossier_rows_and_conflict_rank),
    (14, "story merges: absorbed story ids and the story that took their reports", _STORY_MERGES),
]


POSTGRES: list[Migration] = [
    (
        1,
        "articles, sources, errors, full-text index",
        """
        CREATE TABLE articles (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL DEFAULT '',
            source_id TEXT,
            url TEXT,
            outlet TEXT,
            title TEXT,
            text TEXT NOT NULL,
            published_start TEXT,
            published_end TEXT,
            published_inferred INTEGER NOT NULL DEFAULT 0,
            format TEXT,
            reprint_of TEXT,
            ingested_at TEXT NOT NULL,
            data TEXT NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(title, '')), 'A') || to_tsvector('english', text)
            ) STORED
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published_start);
        CREATE INDEX articles_reprint ON articles(reprint_of);
        CREATE INDEX articles_tsv ON articles USING GIN (tsv);
        CREATE TABLE sources (
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL,
            article_id TEXT,
            status TEXT NOT NULL,
            PRIMARY KEY (source_path, record_key)
        );
        CREATE TABLE errors (
            id BIGSERIAL PRIMARY KEY,
            source_path TEXT NOT NULL,
            record_key TEXT NOT NULL DEFAULT '',
            line INTEGER,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            run_id BIGINT,
            created_at TEXT NOT NULL,
            UNIQUE (source_path, record_key, kind, message)
        );
        CREATE TABLE runs (
            id BIGSERIAL PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            stats TEXT
        );
        CREATE TABLE state (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        CREATE TABLE minhashes (
            seq BIGSERIAL,
            article_id TEXT PRIMARY KEY,
            signature BYTEA NOT NULL
        );
        """,
    ),
    (
        2,
        "mentions, entities, claims, events, stories",
        """
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            entity_id TEXT,
            PRIMARY KEY (article_id, span_start, span_end)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            mention_count INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            origin TEXT,
            origin_named INTEGER NOT NULL DEFAULT 0,
            sources TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL
        );
        CREATE INDEX claims_article ON claims(article_id);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            type TEXT NOT NULL,
            time_start TEXT,
            time_end TEXT,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            data TEXT NOT NULL
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_type ON events(type);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            time_start TEXT,
            time_end TEXT,
            article_count INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL,
            article_id TEXT NOT NULL PRIMARY KEY
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        """,
    ),
    (
        3,
        "state items: corpus stages' state saved item by item",
        """
        CREATE TABLE state_items (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (name, key)
        );
        """,
    ),
    (4, "read lookups: entity and event names, event anchors, story outlets", _READ_LOOKUPS),
    (5, "read lookups filled from the records already stored", backfill),
    (6, "watch crawl state: sources and pages", _CRAWL_STATE),
    (7, "story list facets: event types, countries, corroboration", _STORY_FACETS),
    (8, "story list facets filled from the stories already stored", backfill_story_facets),
    (9, "article revisions, article status, page re-fetch schedule", _REVISIONS),
    (10, "first revisions of the pages watch already stored", backfill_first_revisions),
    (11, "alerts: cursors and fired objects; watch pages by source", _ALERTS_AND_SOURCE_HEALTH),
    (13, "dossier rows (claim groups, story events) and the stories' conflict rank", dossier_rows_and_conflict_rank),
    (14, "story merges: absorbed story ids and the story that took their reports", _STORY_MERGES),
]
