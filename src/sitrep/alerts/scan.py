"""The alerter: after each watch pass (or on demand), match the rules against what is new.

What is new is read from the store, not from the pass's memory: each rule keeps a cursor (the
last ``articles.seq`` it was matched against, table ``alert_cursors``), so articles stored by a
pass that was killed before its alerts ran are matched on the next run. A rule seen for the first
time starts at the newest article: it tells about material that arrives from now on (``sitrep
alerts --since`` looks back on purpose). Each alert is written (one JSON line, flushed), POSTed to
the webhook if there is one, and only then recorded in ``alerts_fired``: a crash in between
repeats that one alert rather than losing it, and everything recorded never fires again for the
same rule.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, TextIO

import httpx

from .. import __version__
from ..model import Article, Story
from .match import (
    Alert,
    EntityNames,
    fold,
    join_story_event,
    match_article,
    match_event,
    match_revision,
    match_story,
)
from .notices import ArticleRevised
from .rules import Rule

log = logging.getLogger("sitrep.alerts")

#: Articles read per query while matching (each is loaded with its mentions and events).
PAGE = 200
#: Keys per ``IN (...)`` when checking what fired: SQLite allows 999 parameters at most by default.
KEYS_PER_QUERY = 500
#: Seconds a webhook may take; a slow receiver must not stall the watch.
WEBHOOK_TIMEOUT = 10.0


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AlertStats:
    matched: int = 0  # alerts the rules produced this check
    fired: int = 0  # of which new (not fired before) and written
    webhook_failures: int = 0
    articles: int = 0  # articles looked at
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"matched": self.matched, "fired": self.fired, "webhook_failures": self.webhook_failures,
                "articles": self.articles, "errors": list(self.errors)}


class Alerter:
    """Holds the rules and where alerts go; ``check`` runs them over what is new."""

    def __init__(self, repo: Any, rules: list[Rule], out: TextIO, *, webhook: str | None = None,
                 timeout: float = WEBHOOK_TIMEOUT, transport: httpx.BaseTransport | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.repo = repo
        self.rules = rules
        self.out = out
        self.webhook = webhook
        self.timeout = timeout
        self.transport = transport
        self.warn = warn or log.warning
        self._client: httpx.Client | None = None
        newest = self._newest_seq()
        for rule in rules:  # a new rule starts now: it reports what arrives after it was written
            if self._cursor(rule.name) is None:
                self._set_cursor(rule.name, newest)

    # -- the store ----------------------------------------------------------------------------
    def _newest_seq(self) -> int:
        row = self.repo.execute("SELECT max(seq) AS n FROM articles").fetchone()
        return int(row["n"] or 0)

    def _cursor(self, rule: str) -> int | None:
        row = self.repo.execute("SELECT seq FROM alert_cursors WHERE rule=?", (rule,)).fetchone()
        return None if row is None else int(row["seq"])

    def _set_cursor(self, rule: str, seq: int) -> None:
        with self.repo.transaction():
            self.repo.execute("DELETE FROM alert_cursors WHERE rule=?", (rule,))
            self.repo.execute("INSERT INTO alert_cursors(rule, seq) VALUES (?, ?)", (rule, seq))

    def _fired(self, rule: str, keys: tuple[str, ...]) -> bool:
        for i in range(0, len(keys), KEYS_PER_QUERY):
            chunk = keys[i:i + KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            row = self.repo.execute(f"SELECT 1 FROM alerts_fired WHERE rule=? AND object IN ({marks}) LIMIT 1",
                                    (rule, *chunk)).fetchone()
            if row is not None:
                return True
        return False

    def _mark(self, rule: str, keys: tuple[str, ...]) -> None:
        now = _now()
        with self.repo.transaction():
            for key in dict.fromkeys(keys):
                self.repo.execute("DELETE FROM alerts_fired WHERE rule=? AND object=?", (rule, key))
                self.repo.execute("INSERT INTO alerts_fired(rule, object, fired_at) VALUES (?, ?, ?)", (rule, key, now))

    def _who(self, rule: Rule) -> EntityNames | None:
        """The spellings and ids of the entities the rule's ``entity`` names, read now: entities
        are resolved as reports arrive, so a later check knows more aliases."""
        if rule.entity is None:
            return None
        name = fold(rule.entity)
        rows = self.repo.execute("SELECT DISTINCT entity_id FROM entity_names WHERE folded=?", (name,)).fetchall()
        return EntityNames(frozenset({name, *self.repo.spellings(rule.entity)}), frozenset(r["entity_id"] for r in rows))

    def _new_articles(self, after: int, since: str | None) -> Iterable[tuple[int, Article]]:
        """Articles stored after seq ``after`` (or ingested at or after ``since``), oldest first."""
        last = after if since is None else 0
        while True:
            sql = "SELECT seq, id FROM articles WHERE seq > ?"
            args: list[Any] = [last]
            if since is not None:
                sql += " AND ingested_at >= ?"
                args.append(since)
            rows = self.repo.execute(sql + " ORDER BY seq LIMIT ?", (*args, PAGE)).fetchall()
            if not rows:
                return
            for row in rows:
                article = self.repo.load_article(row["id"])
                if article is not None:
                    yield int(row["seq"]), article
            last = int(rows[-1]["seq"])

    def _story(self, story_id: str | None, loaded: dict[str, Story | None]) -> Story | None:
        """A story read once per check (several new articles often join the same one)."""
        if story_id is None:
            return None
        if story_id not in loaded:
            loaded[story_id] = self.repo.get_story(story_id)
        return loaded[story_id]

    # -- delivery -----------------------------------------------------------------------------
    def _post(self, line: dict[str, Any], stats: AlertStats) -> None:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, transport=self.transport,
                                        headers={"User-Agent": f"sitrep/{__version__} alerts"})
        assert self.webhook is not None
        try:
            resp = self._client.post(self.webhook, json=line)
            if resp.status_code >= 400:
                raise httpx.HTTPStatusError(f"HTTP {resp.status_code}", request=resp.request, response=resp)
        except httpx.HTTPError as exc:
            stats.webhook_failures += 1
            message = f"webhook {self.webhook} failed for rule {line['rule']!r}: {type(exc).__name__}: {exc}"
            stats.errors.append(message)
            self.warn(message)

    def _deliver(self, alert: Alert, stats: AlertStats) -> None:
        stats.matched += 1
        if self._fired(alert.rule, alert.keys):
            return
        line = alert.to_json(_now())
        self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out.flush()
        if self.webhook:
            self._post(line, stats)
        self._mark(alert.rule, alert.keys)
        stats.fired += 1

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- matching -----------------------------------------------------------------------------
    def check(self, revised: Iterable[ArticleRevised] = (), since: str | None = None) -> AlertStats:
        """Match every rule against the articles new to it (stored after its cursor, or ingested
        at or after ``since``), their events, the claim groups of their stories, and the
        revision notices given; deliver what has not fired; move the cursors on."""
        stats = AlertStats()
        cursors = {r.name: (self._cursor(r.name) or 0) for r in self.rules}
        who = {r.name: self._who(r) for r in self.rules}
        start = min(cursors.values(), default=0)
        newest = start
        stories: dict[str, list[Rule]] = {}
        loaded: dict[str, Story | None] = {}
        for seq, article in self._new_articles(start, since):
            stats.articles += 1
            newest = max(newest, seq)
            for rule in self.rules:
                if since is None and seq <= cursors[rule.name]:
                    continue
                if rule.subject == "article":
                    if (alert := match_article(rule, article, who[rule.name])) is not None:
                        self._deliver(alert, stats)
                elif rule.subject == "event":
                    for event in article.events:
                        if (alert := match_event(rule, event, article, who[rule.name])) is not None:
                            story = self._story(self.repo.story_of(article.id), loaded)
                            self._deliver(join_story_event(alert, story) if story else alert, stats)
                elif rule.subject == "claim_group":
                    story_id = self.repo.story_of(article.id)
                    if story_id is not None and rule not in stories.setdefault(story_id, []):
                        stories[story_id].append(rule)
        for story_id, rules in stories.items():
            story = self._story(story_id, loaded)
            if story is None:
                continue
            for rule in rules:
                for alert in match_story(rule, story):
                    self._deliver(alert, stats)
        for notice in revised:
            revised_article: Article | None = None
            for rule in self.rules:
                if rule.subject != "revision":
                    continue
                if revised_article is None:
                    revised_article = self.repo.load_article(notice.article_id)
                if (alert := match_revision(rule, notice, revised_article, who[rule.name])) is not None:
                    self._deliver(alert, stats)
        for rule in self.rules:
            if newest > cursors[rule.name]:
                self._set_cursor(rule.name, newest)
        return stats
