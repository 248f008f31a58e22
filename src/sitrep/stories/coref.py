"""Event coreference within a story: the reports that describe one real-world event become one
``StoryEvent``.

Two event mentions corefer when nothing about them disagrees and enough agrees: a compatible type
(same type, or the same family such as attack/strike/shell), a compatible place (same GeoNames id,
within ``PLACE_KM`` km, or the same spelling-folded name; a missing or country-level place only
when the rest agrees strongly), overlapping time intervals ("before publication" is open to the
past) and the same actor, target and equipment where both name them. Merging is greedy
complete-link: the most similar pairs first, and a group grows only while every member stays
compatible with every other, so a chain of near-misses cannot glue distinct events together.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from datetime import date

import jellyfish
import numpy as np

from sitrep.countries import iso_lookup
from sitrep.geodesy import haversine_km
from sitrep.model import Article, Claim, Event, Place, StoryEvent, TimeSpan
from sitrep.vocab import PlacePrecision
from sitrep.stories.corroboration import count_origins, origin_key
from sitrep.stories.features import content_tokens, name_key, place_name_key

PLACE_KM = 25.0
# Event types that report the same happening in different words. Types not listed form their own
# family; the ACLED sub-event type, when both events carry one, also decides.
TYPE_FAMILIES: dict[str, str] = {
    **dict.fromkeys(
        ["attack", "assault", "strike", "airstrike", "air_strike", "bomb", "bombard", "shell",
         "shelling", "kill", "fight", "clash", "explosion", "explode", "missile_attack", "ambush",
         "raid", "coerce"], "violence"),
    **dict.fromkeys(["deploy", "mobilize", "mobilise", "reinforce", "station", "transfer", "move"], "posture"),
    **dict.fromkeys(["withdraw", "retreat", "pullout", "leave"], "withdraw"),
    **dict.fromkeys(["protest", "demonstrate", "riot", "storm"], "protest"),
    **dict.fromkeys(["exercise", "drill", "manoeuvre", "maneuver"], "exercise"),
}
_STATUS_CLASS = {"asserted": "real", "denied": "real", "planned": "future", "threatened": "future",
                 "hypothetical": "hypothetical"}
_COARSE = {"province", "country", "unknown"}
# Equipment words that name no particular system ("the weapons", "missile systems"): an event with
# only these takes the nearest specific equipment named just before it in the same article.
GENERIC_EQUIPMENT = frozenset({"weapon", "arm", "equip", "system", "hardwar", "asset", "materiel",
                               "munit", "militari"})
ANAPHORA_CHARS = 400


# ------------------------------------------------------------------------------------ fields


#: Above this many events, a comparison block is split by place, and a split block still over
#: it is compared over its first MAX_BLOCK events only (the rest stay single), so one story's
#: coreference costs at most MAX_BLOCK² / 2 comparisons per block.
MAX_BLOCK = 400


def type_family(event: Event) -> str:
    t = (event.type or "").lower()
    return TYPE_FAMILIES.get(t, t)


def types_compatible(a: Event, b: Event) -> bool:
    if a.type == b.type or type_family(a) == type_family(b):
        return True
    return bool(a.acled_sub_event_type and a.acled_sub_event_type == b.acled_sub_event_type)


def place_key(place: Place) -> str:
    """A place name without generic words ("Ain al-Assad base" → "ainalasad")."""
    return place_name_key(place.resolved_name or place.name)


def place_relation(a: Place | None, b: Place | None) -> str:
    """"same", "weak" (one is missing or only country/province level, nothing contradicts) or
    "conflict"."""
    if a is None or b is None:
        return "weak"
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return "same"
    ka, kb = place_key(a), place_key(b)
    coarse_a, coarse_b = a.precision in _COARSE, b.precision in _COARSE
    if ka and ka == kb:
        # Two mentions of one country or province say little about which event they are.
        return "weak" if coarse_a and coarse_b else "same"
    if a.country and b.country and a.country != b.country:
        return "conflict"
    if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
        if haversine_km(a.lat, a.lon, b.lat, b.lon) <= PLACE_KM:
            return "same" if not (coarse_a or coarse_b) else "weak"
    if coarse_a != coarse_b:
        return "weak"  # a country or province contains the finer place (countries agree or unknown)
    if ka and kb and jellyfish.jaro_winkler_similarity(ka, kb) >= 0.93:
        return "same"
    return "conflict"


def _interval(t: TimeSpan | None) -> tuple[date | None, date | None] | None:
    if t is None or t.precision == "unknown":
        return None
    if t.precision == "before_publication":
        return (None, t.end or t.start)
    if t.start is None and t.end is None:
        return None
    return (t.start, t.end or t.start)


def _intervals_overlap(ia, ib) -> bool:
    if ia is None or ib is None:
        return True
    (s1, e1), (s2, e2) = ia, ib
    if s1 is not None and e2 is not None and e2 < s1:
        return False
    if s2 is not None and e1 is not None and e1 < s2:
        return False
    return True


@lru_cache(maxsize=50_000)
def actor_key(name: str | None) -> str | None:
    """A country actor's ISO code when ISO 3166 knows the name or code exactly ("U.S." →
    "c:US"), else the folded name."""
    if not name:
        return None
    key = name_key(name)
    for candidate in (name.replace(".", "").strip(), name.strip()):
        code = iso_lookup(candidate)
        if code is not None:
            return "c:" + code
    return key


def _names_agree(a: str | None, b: str | None) -> bool | None:
    """True/False when both are named, None when either is missing."""
    ka, kb = actor_key(a), actor_key(b)
    if ka is None or kb is None:
        return None
    if ka == kb or ka in kb or kb in ka:
        return True
    return jellyfish.jaro_winkler_similarity(ka, kb) >= 0.92


@lru_cache(maxsize=50_000)
def _equipment_tokens(name: str) -> frozenset[str]:
    return frozenset(content_tokens(name))


def is_generic_equipment(name: str | None) -> bool:
    return not name or _equipment_tokens(name) <= GENERIC_EQUIPMENT


def effective_equipment(event: Event, article: Article | None) -> str | None:
    """The event's equipment, with a generic one ("the weapons are placed at ...") read as the
    nearest specific EQUIPMENT mention in the preceding ``ANAPHORA_CHARS`` of the article."""
    if not is_generic_equipment(event.equipment) or article is None:
        return event.equipment
    if event.equipment is None:
        return None  # nothing refers back: do not invent equipment
    window = article.text[max(0, event.trigger.start - 200): event.trigger.end + 200]
    if not re.search(r"\b(?:the|these|those|such)\s+" + re.escape(event.equipment), window, re.I):
        return event.equipment  # not a definite reference back ("an Iranian missile strike")
    before = [
        m for m in article.mentions
        if m.type == "EQUIPMENT" and m.end <= event.trigger.start
        and event.trigger.start - m.end <= ANAPHORA_CHARS and not is_generic_equipment(m.text)
    ]
    return max(before, key=lambda m: m.end).text if before else event.equipment


def _equipment_agree(a: str | None, b: str | None) -> bool | None:
    """None when either is missing or generic ("weapons" could be anything)."""
    if is_generic_equipment(a) or is_generic_equipment(b):
        return None
    ta, tb = _equipment_tokens(a), _equipment_tokens(b)
    return bool(ta & tb) or name_key(a) == name_key(b)


# ------------------------------------------------------------------------------------ pairing


def affinity(a: Event, b: Event) -> float | None:
    """How strongly two event mentions agree, or None when something contradicts.

    Points: exact type 1, same place 2, actor 1, target 1, equipment 2, both dated and overlapping
    1. A weak place (missing or country-level) needs 3 points from the rest."""
    if not types_compatible(a, b):
        return None
    if _STATUS_CLASS.get(a.status, a.status) != _STATUS_CLASS.get(b.status, b.status):
        return None
    ia, ib = _interval(a.time), _interval(b.time)
    if not _intervals_overlap(ia, ib):
        return None
    place = place_relation(a.place, b.place)
    if place == "conflict":
        return None
    score = 1.0 if a.type == b.type else 0.0
    for agree, points in (
        (_names_agree(a.actor, b.actor), 1.0),
        (_names_agree(a.target, b.target), 1.0),
        (_equipment_agree(a.equipment, b.equipment), 2.0),
    ):
        if agree is False:
            return None
        if agree:
            score += points
    if ia and ib and ia[0] and ib[0]:  # both bounded in the past, and they overlap
        score += 1.0
    if place == "same":
        return score + 2.0
    return score if score >= 3.0 else None


def _same_article_ok(a: Event, b: Event) -> bool:
    """Two mentions in one article are one event only when they agree field for field: an article
    that names two deployments to one base means two deployments."""
    if a.type != b.type:
        return False
    pa = place_key(a.place) if a.place else None
    pb = place_key(b.place) if b.place else None
    ea = name_key(a.equipment) if a.equipment else None
    eb = name_key(b.equipment) if b.equipment else None
    return pa == pb and ea == eb


# ------------------------------------------------------------------------------------ merging


def _merged_event(members: list[Event], equipment: dict[str, str | None]) -> Event:
    """The group's event: the most specific member, its gaps filled from the others."""
    def specificity(e: Event) -> tuple:
        filled = sum(x is not None for x in (e.actor, e.target, e.equipment, e.place, e.time))
        # No place at all ranks below the coarsest precision.
        prec = PlacePrecision.rank_of(e.place.precision) if e.place else len(PlacePrecision)
        return (-filled, prec, e.id)

    ordered = sorted(members, key=specificity)
    base = dataclasses.replace(ordered[0])
    for f in ("actor", "target", "equipment", "acled_event_type", "acled_sub_event_type"):
        if getattr(base, f) is None:
            setattr(base, f, next((getattr(e, f) for e in ordered if getattr(e, f)), None))
    specific = [equipment.get(e.id) for e in ordered if not is_generic_equipment(equipment.get(e.id))]
    if specific:
        base.equipment = specific[0]
    places = [e.place for e in members if e.place]
    if places:
        base.place = min(places, key=lambda p: (PlacePrecision.rank_of(p.precision), p.name))
    times = [(e.time, e.time.start, e.time.end) for e in members
             if _interval(e.time) and e.time and e.time.start and e.time.end]
    if times:
        base.time = min(times, key=lambda t: ((t[2] - t[1]).days, t[1]))[0]
    base.article_ids = list(dict.fromkeys(a for e in members for a in (e.article_ids or [e.article_id])))
    base.claim_ids = list(dict.fromkeys(c for e in members for c in e.claim_ids))
    return base


def _root(article_id: str, reprint_of: dict[str, str]) -> str:
    seen = {article_id}
    while article_id in reprint_of and reprint_of[article_id] not in seen:
        article_id = reprint_of[article_id]
        seen.add(article_id)
    return article_id


def event_origins(
    event: Event,
    article_outlets: dict[str, str],
    claims: dict[str, Claim],
    reprint_of: dict[str, str] | None = None,
    claims_by_article: dict[str, list[Claim]] | None = None,
) -> list[str]:
    """Origin keys behind one event mention: its linked claims' origins; else the claims of its
    article whose span holds the trigger; else the (original) outlet's own voice.
    ``claims_by_article`` (the same claims indexed by article) spares a scan of all claims."""
    reprint_of = reprint_of or {}
    root = _root(event.article_id, reprint_of)
    outlet = article_outlets.get(root) or article_outlets.get(event.article_id) or event.article_id
    linked = [claims[c] for c in event.claim_ids if c in claims]
    if not linked:
        own = (claims_by_article.get(event.article_id, []) if claims_by_article is not None
               else [c for c in claims.values() if c.article_id == event.article_id])
        linked = [c for c in own if c.start <= event.trigger.start < c.end]
        linked = sorted(linked, key=lambda c: c.end - c.start)[:1]  # the innermost claim
    if not linked:
        return ["n:" + name_key(outlet)]
    return [origin_key(c, None, outlet) for c in linked]


def _plausible_pairs(events: list[Event], blocks) -> set[tuple[int, int]]:
    """Pairs (i < j) within each block (its first ``MAX_BLOCK`` events) whose status class
    agrees and whose time intervals overlap: the two tests ``affinity`` starts with, done over
    whole blocks with numpy, so the Python comparison runs only on pairs that can still match
    (in a long story most same-type pairs are months apart)."""
    lo = np.full(len(events), -np.inf)
    hi = np.full(len(events), np.inf)
    status_codes: dict[str, int] = {}
    status = np.empty(len(events), dtype=np.int64)
    for k, e in enumerate(events):
        iv = _interval(e.time)
        if iv is not None:
            if iv[0] is not None:
                lo[k] = iv[0].toordinal()
            if iv[1] is not None:
                hi[k] = iv[1].toordinal()
        status[k] = status_codes.setdefault(_STATUS_CLASS.get(e.status, e.status), len(status_codes))
    pairs: set[tuple[int, int]] = set()
    for block in blocks:
        idx = np.asarray(block[:MAX_BLOCK], dtype=np.int64)
        if len(idx) < 2:
            continue
        lw, h, st = lo[idx], hi[idx], status[idx]
        ok = (st[:, None] == st[None, :]) & ~(h[None, :] < lw[:, None]) & ~(h[:, None] < lw[None, :])
        xs, ys = np.nonzero(np.triu(ok, 1))
        pairs.update(zip(idx[xs].tolist(), idx[ys].tolist()))
    return pairs


def merge_events(
    events: list[Event],
    article_outlets: dict[str, str],
    claims: dict[str, Claim],
    reprint_of: dict[str, str] | None = None,
    articles: dict[str, Article] | None = None,
) -> list[StoryEvent]:
    """Coreference the events of one story (see the module docstring). ``article_outlets`` maps
    article id → outlet name, ``claims`` claim id → claim (for origins), ``reprint_of`` article
    id → the article it reprints (reprints count as their original); ``articles``, when given,
    lets a generic equipment word borrow the specific one named just before it."""
    articles = articles or {}
    equipment = {e.id: effective_equipment(e, articles.get(e.article_id)) for e in events}
    originals = events
    events = [dataclasses.replace(e, equipment=equipment[e.id]) for e in events]
    n = len(events)
    # Only events of one type family can corefer (or of one ACLED sub-event type): compare
    # within those blocks, not all pairs of a large story.
    blocks: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        blocks.setdefault("f:" + type_family(e), []).append(i)
        if e.acled_sub_event_type:
            blocks.setdefault("a:" + e.acled_sub_event_type, []).append(i)
    # A long-running story can hold thousands of events of one family: split such blocks by
    # place (rounded coordinates, else the place name) so the pairs stay near-linear in number.
    # Events in different places of a split block are then never compared, which loses only
    # merges of a placed event with an unplaced one in very large stories.
    refined: dict[str, list[int]] = {}
    for key, idx in blocks.items():
        if len(idx) <= MAX_BLOCK:
            refined[key] = idx
            continue
        for i in idx:
            p = events[i].place
            if p is not None and p.lat is not None and p.lon is not None:
                where = f"{round(p.lat * 2) / 2},{round(p.lon * 2) / 2}"
            else:
                where = place_key(p) if p is not None else "none"
            refined.setdefault(f"{key}|{where}", []).append(i)
    candidates = _plausible_pairs(events, refined.values())
    pairs: list[tuple[float, int, int]] = []
    for i, j in candidates:  # any order: the pairs are sorted in full below
        a, b = events[i], events[j]
        if a.article_id == b.article_id and not _same_article_ok(a, b):
            continue
        s = affinity(a, b)
        if s is not None:
            pairs.append((s, i, j))
    compatible = {(i, j) for _, i, j in pairs}
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if all((min(x, y), max(x, y)) in compatible for x in members[gi] for y in members[gj]):
            for x in members[gj]:
                group_of[x] = gi
            members[gi].extend(members.pop(gj))

    by_article: dict[str, list[Claim]] = {}
    for c in claims.values():
        by_article.setdefault(c.article_id, []).append(c)
    out = []
    for g in sorted(members, key=lambda g: min(members[g])):
        group = [originals[i] for i in sorted(members[g])]
        merged = _merged_event(group, equipment)
        keys: list[str] = []
        for e in group:
            keys.extend(event_origins(e, article_outlets, claims, reprint_of, by_article))
        outlets = sorted({article_outlets[a] for a in merged.article_ids if article_outlets.get(a)})
        out.append(
            StoryEvent(
                event=merged,
                event_ids=[e.id for e in group],
                reports=len(merged.article_ids),
                outlets=outlets,
                independent_origins=len(count_origins(keys)),
            )
        )
    out.sort(key=lambda se: (-se.reports, -se.independent_origins, se.event.id))
    return out

