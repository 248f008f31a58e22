"""A story's dossier rows and conflict rank, stored so the dossier's first view reads one page.

The dossier shows a story's claim groups and story events a page at a time, the claim table
sorted and filtered by who the claims come from. Read from the story's JSON, a 200-article story
meant decoding megabytes (its groups, then every member claim and event) before showing a hundred
rows. Here each claim group and each story event is one row of ``dossier_rows`` with the columns the
page sorts, filters and aggregates by, written when the story is saved; a page is then an indexed
query, and the map's places a GROUP BY.

``conflict_rank`` is the story list's default order: what an analyst of conflict opens first.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

from ..events.confidence import MIN_CONFIDENCE, POLITICAL_VIOLENCE
from .lookups import LISTING_FIELDS

CLAIM, EVENT = "claim", "event"

# Most telling first: the kind a claim group is listed under is the first of these among its
# members' origins (a group told by an official and by the outlet itself is the official's).
ORIGIN_KINDS = ("person", "official", "organization", "publication", "document", "anonymous", "outlet")

NO_TIME = "9999"  # undated events sort after every dated one, as the event table always did

DOSSIER_DDL = """
        CREATE TABLE dossier_rows (
            story_id TEXT NOT NULL,
            kind TEXT NOT NULL,                -- "claim" (a claim group) or "event" (a story event)
            row_id TEXT NOT NULL,              -- the group's or the story event's id
            position INTEGER NOT NULL,         -- its place in the story JSON's list
            article_id TEXT,                   -- the article of its first member
            origin_kind TEXT,                  -- claims: the most telling kind among member origins
            origin_kinds TEXT,                 -- claims: every member origin kind, space-separated
            attributed INTEGER NOT NULL DEFAULT 0,  -- claims: some member is not the outlet's own voice
            named INTEGER NOT NULL DEFAULT 0,  -- claims: some member's origin is named
            independent_origins INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0,
            time_key TEXT,                     -- events: start (or end) day, NO_TIME when undated
            event_type TEXT,
            place_key TEXT,                    -- events: "lat,lon" to 3 decimals, NULL when unplaced
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            place_name TEXT,
            data TEXT NOT NULL,                -- the group's or story event's JSON
            PRIMARY KEY (story_id, kind, position)
        );
        CREATE INDEX dossier_rows_id ON dossier_rows(story_id, kind, row_id);
        CREATE INDEX dossier_rows_order ON dossier_rows(story_id, kind, attributed, position);
        CREATE INDEX dossier_rows_time ON dossier_rows(story_id, kind, time_key, event_type, position);
        CREATE INDEX dossier_rows_place ON dossier_rows(story_id, kind, place_key);
        ALTER TABLE stories ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX stories_conflict ON stories(conflict DESC, time_end DESC, corroboration DESC, id);
"""

Row = tuple[Any, ...]  # the values of ROW_COLUMNS, in order

ROW_COLUMNS = ("story_id", "kind", "row_id", "position", "article_id", "origin_kind", "origin_kinds", "attributed",
               "named", "independent_origins", "reports", "time_key", "event_type", "place_key", "lat", "lon",
               "place_name", "data")


def _kinds_of(claims: Iterable[dict[str, Any]]) -> list[str]:
    kinds = {str((c.get("chain") or [{}])[-1].get("kind") or "outlet") for c in claims}
    return [k for k in ORIGIN_KINDS if k in kinds] + sorted(kinds - set(ORIGIN_KINDS))


def claim_row(story_id: str, position: int, group: dict[str, Any], members: list[dict[str, Any]]) -> Row:
    """The row of one claim group, ``members`` being its claims' JSON (those still stored)."""
    kinds = _kinds_of(members) or ["outlet"]
    first = members[0].get("article_id") if members else None
    return (story_id, CLAIM, str(group.get("id")), position, first, kinds[0], " " + " ".join(kinds) + " ",
            int(any(k != "outlet" for k in kinds)),
            int(bool(group.get("any_origin_named", any(c.get("origin_named") for c in members)))),
            int(group.get("independent_origins") or 1), int(group.get("reports") or len(members) or 1),
            None, None, None, None, None, None, json.dumps(group, ensure_ascii=False))


def event_row(story_id: str, position: int, event: dict[str, Any]) -> Row:
    """The row of one story event (or, in a story not yet corroborated, one article event)."""
    time = event.get("time") or {}
    place = event.get("place") or {}
    lat, lon = place.get("lat"), place.get("lon")
    placed = lat is not None and lon is not None
    y, x = (float(lat), float(lon)) if lat is not None and lon is not None else (None, None)
    key = f"{y:.3f},{x:.3f}" if y is not None and x is not None else None
    return (story_id, EVENT, str(event.get("id")), position, event.get("article_id"), None, None, 0, 0,
            int(event.get("independent_origins") or 1), int(event.get("reports") or 1),
            time.get("start") or NO_TIME, event.get("type") or "", key, y, x, (place.get("resolved_name") or place.get("name")) if placed else None,
            json.dumps(event, ensure_ascii=False))


def dossier_rows(story: dict[str, Any], claims: dict[str, dict[str, Any]],
                 article_events: Iterable[dict[str, Any]] = ()) -> Iterator[Row]:
    """Every row of the story JSON: its claim groups (``claims`` maps claim ids to their JSON)
    and its story events. A story whose groups are not built yet lists each claim and event of
    its articles alone, one report and one origin, as the dossier always showed it."""
    sid = str(story["id"])
    groups = story.get("claims") or []
    if groups:
        for i, g in enumerate(groups):
            yield claim_row(sid, i, g, [claims[c] for c in g.get("claim_ids") or [] if c in claims])
    else:
        for i, c in enumerate(claims.values()):
            lone = {"id": c["id"], "claim_ids": [c["id"]], "text": c.get("text", ""), "reports": 1,
                    "outlets": [], "independent_origins": 1, "origins": [],
                    "any_origin_named": bool(c.get("origin_named")), "contradicted_by": []}
            yield claim_row(sid, i, lone, [c])
    events = story.get("events") or list(article_events)
    for i, e in enumerate(events):
        yield event_row(sid, i, e)


def conflict_rank(story: dict[str, Any]) -> int:
    """How much a story is what an analyst of conflict opens first: 2 when it has a political
    violence event (ACLED's battles, explosions/remote violence, violence against civilians,
    riots) scored at least ``MIN_CONFIDENCE`` and told from two or more independent origins; 1 for
    such an event from one origin; 0 otherwise. The story list orders by this, then by recency."""
    rank = 0
    for e in story.get("events") or []:
        if e.get("acled_event_type") not in POLITICAL_VIOLENCE:
            continue
        if e.get("confidence") is None or float(e["confidence"]) < MIN_CONFIDENCE:
            continue
        rank = max(rank, 2 if int(e.get("independent_origins") or 1) >= 2 else 1)
    return rank


# The kind of each hop of a stored claim's chain; the last is its origin's. Only a key matches: a
# quotation mark inside a JSON string is escaped, so no text of a name can end in '"kind": "'.
_HOP_KIND = re.compile(r'"kind": ?"([a-z_]+)"')


def _origin_facts(row: Any) -> dict[str, Any]:
    """What a claim group's row needs of a member claim, read from the claims table's columns
    and the kinds in its stored JSON: parsing the 4,579 claims of a 239-report story took 79 ms
    of each save of it."""
    kinds = _HOP_KIND.findall(row["data"])
    return {"id": row["id"], "article_id": row["article_id"], "origin_named": bool(row["origin_named"]),
            "chain": [{"kind": kinds[-1]}] if kinds else []}


def write_dossier(repo: Any, story: dict[str, Any]) -> None:
    """Replace the story's dossier rows and conflict rank (in the caller's transaction)."""
    sid = str(story["id"])
    ids = list(story.get("article_ids") or [])
    claims: dict[str, dict[str, Any]] = {}
    if story.get("claims"):
        for r in repo._in_chunks("SELECT id, article_id, origin_named, data FROM claims WHERE article_id IN ({ids})",
                                 ids):
            claims[r["id"]] = _origin_facts(r)
    else:  # each claim is its own row, text and all
        for text in repo.stored_json("claims", ids=ids):
            c = json.loads(text)
            claims[c["id"]] = c
    article_events: list[dict[str, Any]] = []
    if not story.get("events"):
        article_events = [json.loads(t) for t in repo.stored_json("events", ids=ids)]
    repo.execute("DELETE FROM dossier_rows WHERE story_id=?", (sid,))
    repo.execute_many(f"INSERT INTO dossier_rows({', '.join(ROW_COLUMNS)}) VALUES ({','.join('?' * len(ROW_COLUMNS))})",
                      list(dossier_rows(story, claims, article_events)))
    repo.execute("UPDATE stories SET conflict=? WHERE id=?", (conflict_rank(story), sid))


def refresh_if_ungrouped(repo: Any, article_id: str) -> None:
    """After an article's claims or events are replaced: a story that shows its articles' own
    records (no claim groups or no story events yet) gets its rows again; a grouped story keeps
    its groups until it is rebuilt, as its JSON does. New articles belong to no story yet: one
    indexed lookup."""
    sid = repo.story_of(article_id)
    found = repo.stored_json("stories", ids=[sid]) if sid else []
    if not found:
        return
    story = json.loads(found[0])
    if not (story.get("claims") and story.get("events")):
        write_dossier(repo, story)


def create_and_backfill(repo: Any) -> None:
    """Migration: the dossier rows table and the stories' conflict rank, filled from the stories
    already stored (each story reads its articles' claims once)."""
    for statement in DOSSIER_DDL.split(";"):
        if statement.strip():
            repo.db.execute(statement)
    for r in repo.execute("SELECT data FROM stories").fetchall():
        write_dossier(repo, json.loads(r["data"]))


# The claim table's orders (attributed rows always before the outlets' own narration): most
# independent origins, most reports, origin kind (most telling first), or the order built.
_KIND_ORDER = "CASE origin_kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(ORIGIN_KINDS)) + " ELSE 99 END"
CLAIM_ORDERS = {
    "corroboration": "origins DESC, reports DESC",
    "reports": "reports DESC, origins DESC",
    "kind": _KIND_ORDER + ", origins DESC",
    "order": "position",
}
#: what the claim table filters origins by: a kind of ``ORIGIN_KINDS`` or "named"
ORIGIN_FILTERS = ("named",) + ORIGIN_KINDS


BRIEF_FIELDS = ("id", "article_id", "type", "actor", "target", "place", "time", "trigger", "confidence")


def brief_event(event: dict[str, Any]) -> dict[str, Any]:
    """What a map popup shows of an event and needs to link to its span: not its member ids,
    claim ids and reasons (most of a story event's JSON)."""
    return {k: event.get(k) for k in BRIEF_FIELDS}


class DossierReads:
    """The dossier's bounded reads, mixed into ``SQLRepository`` (uses its ``execute``)."""

    execute: Any

    @staticmethod
    def _claim_filters(origin: str | None, min_origins: int | None) -> tuple[str, list[Any]]:
        sql, args = "", []  # type: tuple[str, list[Any]]
        if origin == "named":
            sql += " AND named=1"
        elif origin == "outlet":
            sql += " AND attributed=0"
        elif origin:
            if origin not in ORIGIN_KINDS:
                raise ValueError(f"unknown origin filter {origin!r}")
            sql += " AND origin_kinds LIKE ?"
            args.append(f"% {origin} %")
        if min_origins:
            sql += " AND independent_origins >= ?"
            args.append(int(min_origins))
        return sql, args

    def dossier_claim_table(self, story_id: str, *, origin: str | None = None, min_origins: int | None = None,
                            sort: str = "corroboration", limit: int = 100, offset: int = 0,
                            narration_shown: int = 30) -> tuple[list[dict[str, Any]], int]:
        """One page of the claim table and its row count: attributed groups first (in ``sort``),
        then one row per article gathering that article's own-voice narration (the groups whose
        every origin is the outlet), each holding at most ``narration_shown`` of them. A row is
        ``{"narration": False, "group": {...}}`` or ``{"narration": True, "article_id": ...,
        "count": n, "groups": [...]}``."""
        if sort not in CLAIM_ORDERS:
            raise ValueError(f"unknown claim order {sort!r}")
        where, args = self._claim_filters(origin, min_origins)
        base = f"SELECT * FROM dossier_rows WHERE story_id=? AND kind='claim'{where}"
        union = (f"SELECT 0 AS narration, row_id AS rkey, origin_kind, independent_origins AS origins, reports,"
                 f" position, 1 AS n FROM ({base}) a WHERE attributed=1"
                 f" UNION ALL SELECT 1, COALESCE(article_id, ''), 'outlet', MAX(independent_origins), MAX(reports),"
                 f" MIN(position), COUNT(*) FROM ({base}) b WHERE attributed=0 GROUP BY COALESCE(article_id, '')")
        both = [story_id] + args + [story_id] + args
        total = int(self.execute(f"SELECT count(*) AS n FROM ({union}) u", both).fetchone()["n"])
        page = self.execute(f"SELECT * FROM ({union}) u ORDER BY narration, {CLAIM_ORDERS[sort]}, position, rkey"
                            " LIMIT ? OFFSET ?", both + [limit, offset]).fetchall()
        groups = [r["rkey"] for r in page if not r["narration"]]
        articles = [r["rkey"] for r in page if r["narration"]]
        data: dict[str, dict[str, Any]] = {}
        if groups:
            marks = ",".join("?" * len(groups))
            for r in self.execute(f"SELECT row_id, data FROM dossier_rows WHERE story_id=? AND kind='claim'"
                                  f" AND row_id IN ({marks})", [story_id] + groups).fetchall():
                data[r["row_id"]] = json.loads(r["data"])
        narration: dict[str, list[dict[str, Any]]] = {}
        if articles:
            marks = ",".join("?" * len(articles))
            rows = self.execute(
                f"SELECT rkey, data FROM (SELECT COALESCE(article_id, '') AS rkey, data, ROW_NUMBER() OVER"
                f" (PARTITION BY COALESCE(article_id, '') ORDER BY position) AS k FROM ({base}) c"
                f" WHERE attributed=0 AND COALESCE(article_id, '') IN ({marks})) d WHERE k <= ? ORDER BY rkey, k",
                [story_id] + args + articles + [narration_shown]).fetchall()
            for r in rows:
                narration.setdefault(r["rkey"], []).append(json.loads(r["data"]))
        out: list[dict[str, Any]] = []
        for r in page:
            if r["narration"]:
                out.append({"narration": True, "article_id": r["rkey"] or None, "count": int(r["n"]),
                            "groups": narration.get(r["rkey"], [])})
            elif r["rkey"] in data:
                out.append({"narration": False, "group": data[r["rkey"]], "origin_kind": r["origin_kind"]})
        return out, total

    def dossier_claim_groups(self, story_id: str, *, origin: str | None = None, min_origins: int | None = None,
                             sort: str = "corroboration", limit: int = 100,
                             offset: int = 0) -> tuple[list[str], int]:
        """One page of the story's claim groups as stored JSON texts, attributed ones first, and
        how many match: the API's paged ``claims`` (no narration rows: each group is one)."""
        if sort not in CLAIM_ORDERS:
            raise ValueError(f"unknown claim order {sort!r}")
        where, args = self._claim_filters(origin, min_origins)
        head = f"FROM dossier_rows WHERE story_id=? AND kind='claim'{where}"
        total = int(self.execute(f"SELECT count(*) AS n {head}", [story_id] + args).fetchone()["n"])
        order = CLAIM_ORDERS[sort].replace("origins", "independent_origins")
        rows = self.execute(f"SELECT data {head} ORDER BY attributed DESC, {order}, position LIMIT ? OFFSET ?",
                            [story_id] + args + [limit, offset]).fetchall()
        return [r["data"] for r in rows], total

    def dossier_group_texts(self, story_id: str, group_ids: list[str]) -> dict[str, str]:
        """The text of each of these claim groups (a group's "contradicted by" names others)."""
        if not group_ids:
            return {}
        marks = ",".join("?" * len(group_ids))
        rows = self.execute(f"SELECT row_id, data FROM dossier_rows WHERE story_id=? AND kind='claim'"
                            f" AND row_id IN ({marks})", [story_id] + group_ids).fetchall()
        return {r["row_id"]: str(json.loads(r["data"]).get("text") or "") for r in rows}

    def dossier_events(self, story_id: str, limit: int = 100, offset: int = 0) -> tuple[list[str], int]:
        """One page of the story's events (story events, else its articles' events) as stored
        JSON texts, by start day (undated last) then type, and how many there are."""
        total = int(self.execute("SELECT count(*) AS n FROM dossier_rows WHERE story_id=? AND kind='event'",
                                 (story_id,)).fetchone()["n"])
        rows = self.execute("SELECT data FROM dossier_rows WHERE story_id=? AND kind='event'"
                            " ORDER BY time_key, event_type, position LIMIT ? OFFSET ?",
                            (story_id, limit, offset)).fetchall()
        return [r["data"] for r in rows], total

    def dossier_places(self, story_id: str, limit: int = 200, samples: int = 3) -> tuple[list[dict[str, Any]], int]:
        """The story's events aggregated by place (to 3 decimals, about 100 m), most events
        first: at most ``limit`` places, each with its count and its first ``samples`` events'
        JSON; and how many places there are in all."""
        where = "story_id=? AND kind='event' AND place_key IS NOT NULL"
        total = int(self.execute(f"SELECT count(DISTINCT place_key) AS n FROM dossier_rows WHERE {where}",
                                 (story_id,)).fetchone()["n"])
        rows = self.execute(f"SELECT place_key, MIN(lat) AS lat, MIN(lon) AS lon, MIN(place_name) AS name,"
                            f" count(*) AS n FROM dossier_rows WHERE {where} GROUP BY place_key"
                            f" ORDER BY count(*) DESC, place_key LIMIT ?", (story_id, limit)).fetchall()
        places = {r["place_key"]: {"lat": float(r["lat"]), "lon": float(r["lon"]), "name": r["name"],
                                   "count": int(r["n"]), "events": []} for r in rows}
        if places:
            keys = list(places)
            marks = ",".join("?" * len(keys))
            for r in self.execute(f"SELECT place_key, data FROM (SELECT place_key, data, ROW_NUMBER() OVER"
                                  f" (PARTITION BY place_key ORDER BY time_key, position) AS k FROM dossier_rows"
                                  f" WHERE {where} AND place_key IN ({marks})) s WHERE k <= ?",
                                  [story_id] + keys + [samples]).fetchall():
                places[r["place_key"]]["events"].append(brief_event(json.loads(r["data"])))
        return list(places.values()), total

    def story_head(self, story_id: str) -> dict[str, Any] | None:
        """The story as the list shows it (no event and claim groups), or None."""
        row = self.execute("SELECT COALESCE(listing, data) AS data FROM stories WHERE id=?", (story_id,)).fetchone()
        if row is None:
            return None
        story = json.loads(row["data"])
        head = {k: story.get(k) for k in LISTING_FIELDS}
        head["related"] = list(head.get("related") or [])  # a listing stored before issue 18 has none
        return head
