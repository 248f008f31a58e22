"""Schema migrations, applied in order and recorded in ``schema_version``.

Each migration is plain SQL, one list per dialect with the same numbers and the same tables and
columns, so both backends run the same queries. Never edit a released migration: append one.
"""
from __future__ import annotations

SQLITE: list[tuple[int, str, str]] = [
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
]


POSTGRES: list[tuple[int, str, str]] = [
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
]
