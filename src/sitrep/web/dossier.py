"""The dossier of a story as rows a page can show: claims with chains, events with their spans.

Pure functions over one page of the stored dossier rows (``Repository.dossier_claim_table`` and
``dossier_events``: what the page's first view reads). A story whose corroboration step has not
grouped claims or events yet still gets a dossier: its rows are its articles' own claims and
events, one report and one origin each (``store.dossier.dossier_rows``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass
class ChainView:
    hops: list[dict[str, Any]]
    article_id: str
    outlet: str | None
    start: int
    end: int
    hedged: bool = False
    denied: bool = False

    @property
    def path(self) -> str:
        return " → ".join(str(h.get("name", "")) for h in self.hops)


@dataclass
class ClaimRow:
    id: str
    text: str
    chains: list[ChainView]
    named: bool
    reports: int
    independent_origins: int
    contradicted_by: list[str] = field(default_factory=list)  # texts of contradicting groups
    origin_kind: str = ""
    more_chains: int = 0  # member claims not shown (a group repeated by a hundred reports)
    more_contradictions: int = 0  # contradicting groups not named
    narration: bool = False

    @property
    def link(self) -> ChainView | None:
        return self.chains[0] if self.chains else None

    # read once per row here: the template's selectattr filters over the chains cost a tenth of
    # a 100-row page's rendering
    @property
    def denied(self) -> bool:
        return any(ch.denied for ch in self.chains)

    @property
    def hedged(self) -> bool:
        return any(ch.hedged for ch in self.chains)


@dataclass
class NarrationRow:
    """One article's own-voice narration (claims whose only source is the outlet), collapsed
    into one expandable row of the claim table."""

    article_id: str | None
    outlet: str | None
    count: int
    statements: list[ChainView]
    texts: list[str]
    narration: bool = True


@dataclass
class EventRow:
    event: dict[str, Any]
    article_id: str | None
    start: int | None
    end: int | None
    reports: int
    independent_origins: int | None
    outlets: list[str]


def _chain_view(claim: dict[str, Any], outlet_of: dict[str, str | None]) -> ChainView:
    return ChainView(
        hops=list(claim.get("chain") or []),
        article_id=claim.get("article_id", ""),
        outlet=outlet_of.get(claim.get("article_id", "")),
        start=int(claim.get("start", 0)),
        end=int(claim.get("end", 0)),
        hedged=bool(claim.get("hedged")),
        denied=bool(claim.get("denied")),
    )


# member chains listed per claim group, the rest counted: at 12, a 239-report story's first page
# held 978 chains and rendering them took most of its 250 ms
CHAINS_SHOWN = 3


def member_ids(entries: list[dict[str, Any]]) -> list[str]:
    """The claim ids a page of ``Repository.dossier_claim_table`` shows: the first
    ``CHAINS_SHOWN`` members of each group, the first member of each narrated statement."""
    ids: list[str] = []
    for entry in entries:
        if entry["narration"]:
            ids += [str(g["claim_ids"][0]) for g in entry["groups"] if g.get("claim_ids")]
        else:
            ids += [str(i) for i in (entry["group"].get("claim_ids") or [])[:CHAINS_SHOWN]]
    return ids


# contradicting groups named per claim group, the rest counted: in a 239-report story some groups
# contradict thirty others, and naming all 3,090 made up 512 of the first page's 705 kB
CONTRADICTIONS_SHOWN = 3


def contradicting_ids(entries: list[dict[str, Any]]) -> list[str]:
    """The groups a page's rows name as contradicting them (``CONTRADICTIONS_SHOWN`` per row)."""
    return sorted({str(x) for e in entries if not e["narration"]
                   for x in (e["group"].get("contradicted_by") or [])[:CONTRADICTIONS_SHOWN]})


def table_rows(entries: list[dict[str, Any]], claims: Mapping[str, dict[str, Any]],
               outlet_of: Mapping[str, str | None], texts: Mapping[str, str]) -> list[ClaimRow | NarrationRow]:
    """The claim table's rows from a page of ``dossier_claim_table``, the member claims it shows
    (by id), the outlets of their articles, and the texts of contradicting groups (by id)."""
    outlets = dict(outlet_of)
    rows: list[ClaimRow | NarrationRow] = []
    for entry in entries:
        if entry["narration"]:
            firsts = [claims.get(str((g.get("claim_ids") or [""])[0])) for g in entry["groups"]]
            aid = entry.get("article_id")
            rows.append(NarrationRow(
                article_id=aid, outlet=outlets.get(aid or ""), count=int(entry["count"]),
                statements=[_chain_view(c, outlets) for c in firsts if c],
                texts=[str(g.get("text") or (c or {}).get("text") or "") for g, c in zip(entry["groups"], firsts)]))
            continue
        g = entry["group"]
        ids = [str(i) for i in g.get("claim_ids") or []]
        members = [claims[i] for i in ids[:CHAINS_SHOWN] if i in claims]
        rows.append(ClaimRow(
            id=str(g.get("id")), text=g.get("text") or (members[0]["text"] if members else ""),
            chains=[_chain_view(c, outlets) for c in members],
            named=bool(g.get("any_origin_named", any(c.get("origin_named") for c in members))),
            reports=int(g.get("reports") or len(ids) or 1), independent_origins=int(g.get("independent_origins") or 1),
            contradicted_by=[texts.get(str(x)) or str(x) for x in (g.get("contradicted_by") or [])[:CONTRADICTIONS_SHOWN]],
            more_contradictions=max(0, len(g.get("contradicted_by") or []) - CONTRADICTIONS_SHOWN),
            origin_kind=str(entry.get("origin_kind") or ""), more_chains=max(0, len(ids) - CHAINS_SHOWN)))
    return rows


def page_event_rows(events: list[dict[str, Any]]) -> list[EventRow]:
    """Event rows of a page of stored story events (each carries its own first member's
    article and trigger), in the order given."""
    rows = []
    for e in events:
        trig = e.get("trigger") or {}
        aid = e.get("article_id") or (e.get("article_ids") or [None])[0]
        rows.append(EventRow(e, aid, trig.get("start"), trig.get("end"), int(e.get("reports") or 1),
                             e.get("independent_origins"), list(e.get("outlets") or [])))
    return rows
