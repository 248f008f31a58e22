"""Cross-document entity resolution, incremental and in memory.

Each report's mentions arrive once (``add``); each gets the id of the entity it names. A mention
is matched by, in order:

1. the alias table, by its written form (which may also correct the NER type);
2. its exact normalised key within its type family (keys fold transliteration, see ``keys``);
3. a strict fuzzy comparison against the entities in its block (same type family, same number
   of name tokens, same first and last consonant per token), accepted only under the rules of
   ``keys.token_match``.

Otherwise it starts a new entity. Ids are deterministic — "E" + a short hash of the type family
and the key that created the entity — so the same corpus gives the same ids, and an alias group
always has the same id whichever of its names is seen first. The resolver's state is plain data
(``to_json``/``from_json``) so the store can persist it between runs; after each batch the store
saves only the entities that batch touched (``state_header``/``dirty_items``/``from_state``).

The pipeline builds it with ``keep_mentions=False``: the store already holds every mention with
its entity id, so the resolver keeps only a count per entity. Otherwise its memory, its saved
state and the work of saving it after each batch would grow with every mention ever seen.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sitrep.entities.geo import LOCATED_TYPES
from sitrep.model import Entity, GeoPoint, Mention
from sitrep.vocab import PlacePrecision

from .aliases import AliasGroup, AliasTable
from .keys import block_key, is_acronym, joined_key, key_tokens, name_similarity, names_match, type_family
from .within_doc import link_within_document

# Families whose names are too generic or too short-lived for fuzzy matching: NORP adjectives
# ("Iraqi"/"Iranian") and equipment designations ("Patriot", "S-300") must match exactly.
_EXACT_ONLY_FAMILIES = frozenset({"NORP", "EQUIPMENT", "EVENT", "OTHER"})
_STATE_VERSION = 1
_POSSESSIVE_END = re.compile(r"[\'’]s?$")


def display_name(name: str) -> str:
    """A name as an entity is called: without a lower-case leading "the" (the sentence's, not the
    name's: "the Pentagon", but "The New York Times") or a possessive ending ("Press TV's")."""
    name = " ".join(name.split())
    name = _POSSESSIVE_END.sub("", name)
    return name[4:] if name.startswith("the ") and len(name) > 4 else name


def entity_id(family: str, key: str) -> str:
    """Deterministic id: "E" + 12 hex digits of sha1(family | key)."""
    return "E" + hashlib.sha1(f"{family}|{key}".encode("utf-8")).hexdigest()[:12]


@dataclass
class _Record:
    """What the resolver knows of one entity."""

    id: str
    family: str
    alias_type: str | None = None
    names: Counter = field(default_factory=Counter)  # effective (full) names → count
    types: Counter = field(default_factory=Counter)
    surfaces: dict[str, None] = field(default_factory=dict)  # ordered set of surface forms
    mentions: list[Mention] = field(default_factory=list)  # only with keep_mentions
    geo: Counter = field(default_factory=Counter)  # located mentions' points (JSON) → count
    first_seen: dict[str, int] = field(default_factory=dict)  # name → order, for stable ties
    count: int = 0  # mentions seen, kept or not

    def canonical(self) -> str:
        """Most frequent full form; ties go to the longer, then the earlier-seen name."""
        return max(self.names, key=lambda n: (self.names[n], len(n), -self.first_seen.get(n, 0)))

    def type(self) -> str:
        if self.alias_type:
            return self.alias_type
        return max(self.types, key=lambda t: (self.types[t], t)) if self.types else self.family


def _entity_geo(rec: _Record) -> GeoPoint | None:
    """The point most of the entity's mentions were located at (places and facilities only)."""
    if not rec.geo or rec.type() not in LOCATED_TYPES:
        return None
    best = max(rec.geo, key=lambda k: (rec.geo[k], -PlacePrecision.rank_of(json.loads(k)["precision"]), k))
    return GeoPoint.from_json(json.loads(best))


class EntityResolver:
    """Assigns entity ids to mentions across documents and spellings.

    The pipeline's corpus stage (``sitrep.stages.CorpusStage``) over the claims stage's mentions."""

    name = "entity_resolver"  # also the key of its saved state
    requires = ("mentions",)
    assigns = ("mentions",)  # each mention's ``entity_id``

    def __init__(self, aliases: AliasTable | None = None, threshold: float = 0.9, keep_mentions: bool = True):
        # None means the packaged table (plus $SITREP_ALIASES); pass AliasTable() for rules only.
        self.aliases = aliases if aliases is not None else AliasTable.load()
        self.threshold = threshold
        self.keep_mentions = keep_mentions
        self._records: dict[str, _Record] = {}
        self._exact: dict[tuple[str, str], str] = {}
        self._blocks: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        # id → known token keys (and joined keys), each with the sequence number of its first
        # registration: the first entity to register a key owns it in ``_exact``, so a rebuilt
        # resolver registers them again in that order.
        self._tokens: dict[str, dict[tuple[str, ...], int]] = defaultdict(dict)
        self._joined: dict[str, dict[str, int]] = defaultdict(dict)
        self._alias_types: dict[str, str] = {}  # alias-group entity id → the table's type
        self._order = 0
        self._key_seq = 0
        self._dirty: set[str] = set()  # entities changed since ``mark_saved``
        self._index_aliases()

    # ---------------------------------------------------------------- indexing
    def _alias_entity_id(self, group: AliasGroup, family: str | None = None) -> str:
        """An alias group's entity id; an untyped group has one per type family it is used in."""
        family = type_family(group.type) if group.type else (family or "OTHER")
        return entity_id(family, "alias:" + group.key)

    def _index_aliases(self) -> None:
        """Index every alias name as a key of its group's (future) entity, so a spelling variant
        of an alias name finds the group by key or by fuzzy match."""
        for group in self.aliases.groups:
            if not group.type:
                continue
            eid = self._alias_entity_id(group)
            family = type_family(group.type)
            self._alias_types[eid] = group.type
            for name in group.names:
                self._register(eid, family, key_tokens(name, group.type), joined_key(name, group.type))

    def _register(self, eid: str, family: str, tokens: tuple[str, ...], joined: str | None = None) -> None:
        if not tokens:
            return
        self._register_tokens(eid, family, tokens)
        if joined:
            self._register_joined(eid, family, joined)

    def _next_key_seq(self) -> int:
        self._key_seq += 1
        return self._key_seq

    def _register_tokens(self, eid: str, family: str, tokens: tuple[str, ...], seq: int | None = None) -> None:
        self._exact.setdefault((family, " ".join(tokens)), eid)
        if tokens not in self._tokens[eid]:
            self._tokens[eid][tokens] = seq or self._next_key_seq()
            self._blocks[(family, block_key(tokens))].add(eid)

    def _register_joined(self, eid: str, family: str, joined: str, seq: int | None = None) -> None:
        self._exact.setdefault((family, "#" + joined), eid)
        if joined not in self._joined[eid]:
            self._joined[eid][joined] = seq or self._next_key_seq()

    # ---------------------------------------------------------------- matching
    def _fuzzy(self, family: str, tokens: tuple[str, ...]) -> str | None:
        if family in _EXACT_ONLY_FAMILIES:
            return None
        best, best_score = None, 0.0
        for eid in sorted(self._blocks.get((family, block_key(tokens)), ())):
            for known in self._tokens[eid]:
                if names_match(tokens, known, self.threshold):
                    score = name_similarity(tokens, known)
                    if score > best_score:
                        best, best_score = eid, score
        return best

    def resolve_one(self, name: str, type_: str) -> tuple[str, str, str | None]:
        """(entity id, type family, alias type or None) for one name, registering its key."""
        group = self.aliases.lookup(name, type_)
        if group is not None:
            gtype = group.type or type_
            family = type_family(gtype)
            eid = self._alias_entity_id(group, family)
            self._register(eid, family, key_tokens(name, gtype), joined_key(name, gtype))
            return eid, family, group.type
        family = type_family(type_)
        tokens = key_tokens(name, type_)
        key, joined = " ".join(tokens), joined_key(name, type_)
        eid = (
            self._exact.get((family, key))
            or self._exact.get((family, "#" + joined))
            or self._fuzzy(family, tokens)
            or entity_id(family, key)
        )
        self._register(eid, family, tokens, joined)
        return eid, family, self._alias_types.get(eid)

    # ---------------------------------------------------------------- public API
    def add(self, mentions: list[Mention], text: str) -> list[Mention]:
        """Link short forms within the report, then give every mention its entity id.

        Returns the (copied, possibly extended) mention list with ``entity_id`` and
        ``full_form`` set; the resolver remembers them for ``entities()``.
        """
        linked = link_within_document(mentions, text)
        for m in linked:
            name = display_name(m.full_form or m.text)
            eid, family, alias_type = self.resolve_one(name, m.type)
            m.entity_id = eid
            if m.full_form and is_acronym(m.text):
                # An acronym this report expanded: later reports may use it bare ("PMU").
                self._register(eid, family, key_tokens(m.text, m.type))
            rec = self._records.get(eid)
            if rec is None:
                rec = self._records[eid] = _Record(eid, family, alias_type)
            self._order += 1
            rec.names[name] += 1
            rec.first_seen.setdefault(name, self._order)
            rec.types[m.type] += 1
            rec.surfaces.setdefault(m.text, None)
            rec.count += 1
            if m.geo is not None:
                rec.geo[json.dumps(m.geo.to_json(), sort_keys=True)] += 1
            if self.keep_mentions:
                rec.mentions.append(m)
            self._dirty.add(eid)
        return linked

    def entities(self, ids: set[str] | None = None) -> list[Entity]:
        """Every entity seen so far (or those of ``ids``), most-mentioned first (ties by id)."""
        out = []
        records = self._records.values() if ids is None else (self._records[i] for i in ids if i in self._records)
        for rec in records:
            name = rec.canonical()
            aliases = list(dict.fromkeys([*rec.surfaces, *rec.names]))
            out.append(Entity(rec.id, name, rec.type(), aliases=aliases, mentions=list(rec.mentions),
                              mention_count=rec.count, geo=_entity_geo(rec)))
        out.sort(key=lambda e: (-e.count, e.id))
        return out

    # ---------------------------------------------------------------- persistence
    def state_header(self) -> dict[str, Any]:
        """Settings and counters: everything but the entities."""
        return {
            "version": _STATE_VERSION,
            "threshold": self.threshold,
            "keep_mentions": self.keep_mentions,
            "aliases": self.aliases.to_json(),
            "order": self._order,
            "key_seq": self._key_seq,
        }

    def _record_json(self, r: _Record) -> dict[str, Any]:
        """One entity as the state holds it: its counts and the keys it registered, in order."""
        return {
            "id": r.id,
            "family": r.family,
            "alias_type": r.alias_type,
            "names": dict(r.names),
            "first_seen": dict(r.first_seen),
            "types": dict(r.types),
            "surfaces": list(r.surfaces),
            "count": r.count,
            "geo": dict(r.geo),
            "keys": sorted(([" ".join(t), n] for t, n in self._tokens.get(r.id, {}).items()), key=lambda kn: kn[1]),
            "joined_keys": sorted(([j, n] for j, n in self._joined.get(r.id, {}).items()), key=lambda kn: kn[1]),
            "mentions": [
                {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text,
                 "type": m.type, "full_form": m.full_form}
                for m in r.mentions
            ],
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.state_header(), "entities": [self._record_json(r) for r in self._records.values()]}

    def dirty_items(self) -> dict[str, Any]:
        """The entities touched since ``mark_saved``, by id (a batch touches its own mentions'
        entities, not the whole corpus's)."""
        return {eid: self._record_json(self._records[eid]) for eid in self._dirty}

    def mark_saved(self) -> None:
        """The store now holds every entity as it is."""
        self._dirty = set()

    @classmethod
    def from_json(cls, d: dict[str, Any], aliases: AliasTable | None = None,
                  keep_mentions: bool | None = None) -> "EntityResolver":
        """Rebuild a resolver from ``to_json`` output.

        New mentions follow ``aliases`` — by default the current packaged table plus the user's
        ``$SITREP_ALIASES`` file, so an edited alias file takes effect on the next run; entities
        already made keep their ids. The table saved with the state is there for inspection and
        for exact replays: ``EntityResolver.from_json(d, AliasTable.from_groups(
        d["aliases"]["groups"]))``.

        Keys are registered again in the order they were first registered (state saved before
        keys had sequence numbers: entity by entity), so each key keeps the entity that owns it.
        Every entity counts as not yet saved item by item."""
        if aliases is None:
            aliases = AliasTable.load()
        if keep_mentions is None:
            keep_mentions = bool(d.get("keep_mentions", True))
        res = cls(aliases, threshold=float(d.get("threshold", 0.9)), keep_mentions=keep_mentions)
        registrations: list[tuple[bool, int, int, str, _Record, str]] = []
        for e in d.get("entities", []):
            rec = _Record(e["id"], e["family"], e.get("alias_type"))
            rec.names.update(e.get("names", {}))
            rec.first_seen.update(e.get("first_seen", {}))
            rec.types.update(e.get("types", {}))
            rec.surfaces = dict.fromkeys(e.get("surfaces", []))
            rec.mentions = [
                Mention(m["article_id"], m["start"], m["end"], m["text"], m["type"],
                        entity_id=rec.id, full_form=m.get("full_form"))
                for m in e.get("mentions", [])
            ] if keep_mentions else []
            rec.count = int(e.get("count", len(e.get("mentions", []))))
            rec.geo.update(e.get("geo") or {})
            res._records[rec.id] = rec
            for kind in ("keys", "joined_keys"):
                for key in e.get(kind, []):
                    text, seq = (key, None) if isinstance(key, str) else key
                    registrations.append((seq is None, seq or 0, len(registrations), kind, rec, text))
            res._order = max([res._order, *rec.first_seen.values()])
        for _, seq, _, kind, rec, text in sorted(registrations, key=lambda r: r[:3]):
            if kind == "keys":
                res._register_tokens(rec.id, rec.family, tuple(text.split()), seq)
            else:
                res._register_joined(rec.id, rec.family, text, seq)
        res._order = max(res._order, int(d.get("order", 0)))
        res._key_seq = max([res._key_seq, int(d.get("key_seq", 0)), *(r[1] for r in registrations)])
        res._dirty = set(res._records)
        return res

    @classmethod
    def from_state(cls, header: dict[str, Any], items: dict[str, Any], aliases: AliasTable | None = None,
                   keep_mentions: bool | None = None) -> "EntityResolver":
        """Rebuild from ``state_header`` and every entity ``dirty_items`` ever gave, in the order
        the entities were made (the first name of each was seen at its making)."""
        entities = sorted(items.values(), key=lambda e: min(e["first_seen"].values(), default=0))
        res = cls.from_json({**header, "entities": entities}, aliases, keep_mentions)
        res.mark_saved()
        return res
