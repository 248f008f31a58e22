"""The outlet registry: who publishes what, from where, owned by whom.

Corroboration is counted by independent origin, so sitrep must know that "Press TV",
"presstv.ir" and "PressTV" are one publisher and that it is state-affiliated. The registry is a
plain JSON list that users edit: a packaged file (``sitrep/data/outlets.json``) plus an optional
user file (argument or ``SITREP_OUTLETS``) whose entries override packaged entries of the same
name or alias, field by field, and add new ones. Every fact carries a public source URL.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from anyascii import anyascii

ENV_VAR = "SITREP_OUTLETS"


@dataclass
class Outlet:
    """One publisher: a news outlet, a news agency, or a wire service."""

    name: str
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    country: str | None = None  # ISO 3166-1 alpha-2 of the publisher's seat
    ownership: str | None = None
    state_affiliated: bool | None = None
    kind: str = "outlet"  # outlet, agency, wire
    sources: dict[str, str] = field(default_factory=dict)  # fact -> public URL
    #: For a local outlet only: the first-level division it covers ("Kirkuk", "Florida"). The
    #: geocoder weighs the outlet's country and this division for ambiguous place names
    #: (``sitrep.events.geo.context``); national and international outlets leave it unset.
    home_region: str | None = None

    def home(self) -> tuple[str | None, str | None]:
        """(country, division) a local outlet's places are weighed towards, or (None, None)."""
        return (self.country, self.home_region) if self.home_region and self.country else (None, None)

    def to_json(self) -> dict[str, Any]:
        extra = {"home_region": self.home_region} if self.home_region else {}
        return {**extra,
            "name": self.name,
            "aliases": list(self.aliases),
            "domains": list(self.domains),
            "country": self.country,
            "ownership": self.ownership,
            "state_affiliated": self.state_affiliated,
            "kind": self.kind,
            "sources": dict(self.sources),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Outlet":
        return cls(
            name=d["name"],
            aliases=list(d.get("aliases") or []),
            domains=[normalise_domain(x) for x in d.get("domains") or []],
            country=d.get("country"),
            ownership=d.get("ownership"),
            state_affiliated=d.get("state_affiliated"),
            kind=d.get("kind") or "outlet",
            sources=dict(d.get("sources") or {}),
            home_region=d.get("home_region"),
        )


def name_key(name: str) -> str:
    """Comparison key for outlet names: transliterated, case- and punctuation-folded, with a
    leading article dropped, so "The New York Times", "new york times" and "PressTV"/"Press TV"
    meet (spaces are dropped too: outlets are written both ways)."""
    s = anyascii(name).casefold().strip()
    s = re.sub(r"^(the|al)[\s-]+", "", s)
    return re.sub(r"[^a-z0-9]+", "", s)


def normalise_domain(value: str) -> str:
    """Host of a URL or a bare domain, lower-cased, without scheme, port, path or "www."."""
    v = value.strip().lower()
    if "//" in v:
        try:
            v = urlsplit(v).hostname or ""
        except ValueError:  # a malformed URL ("http://[oops/") names no domain
            v = ""
    else:
        v = re.split(r"[/?#:]", v, maxsplit=1)[0]
    v = v.rstrip(".")
    return re.sub(r"^(www\d?|m|amp|mobile)\.", "", v)


class OutletRegistry:
    """Outlets looked up by domain (sub-domains fall back to their parent) or by any name."""

    def __init__(self, outlets: list[Outlet] | None = None) -> None:
        self._outlets: list[Outlet] = []
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for o in outlets or []:
            self.add(o)

    # -- building ---------------------------------------------------------------------------
    def add(self, outlet: Outlet, given: set[str] | None = None) -> Outlet:
        """Add an outlet, or merge it into the entry sharing its name or an alias (the new
        entry's given fields win; its aliases and domains extend the old ones). ``given`` names
        the fields a user file actually set, so defaults never overwrite packaged facts."""
        existing = None
        for n in [outlet.name, *outlet.aliases]:
            existing = self._by_name.get(name_key(n))
            if existing:
                break
        if existing is None:
            self._outlets.append(outlet)
            target = outlet
        else:
            target = existing
            target.name = outlet.name or target.name
            target.aliases = _unique([*target.aliases, *outlet.aliases])
            target.domains = _unique([*target.domains, *outlet.domains])
            for attr in ("country", "ownership", "state_affiliated", "home_region"):
                value = getattr(outlet, attr)
                if value is not None:
                    setattr(target, attr, value)
            if given is None or "kind" in given:
                target.kind = outlet.kind or target.kind
            target.sources = {**target.sources, **outlet.sources}
        for n in [target.name, *target.aliases]:
            self._by_name[name_key(n)] = target
        for d in target.domains:
            self._by_domain[normalise_domain(d)] = target
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> "OutletRegistry":
        """The packaged registry, extended/overridden by ``path`` or by the file named in
        ``SITREP_OUTLETS`` when set."""
        reg = cls()
        packaged = resources.files("sitrep").joinpath("data", "outlets.json")
        for d in _entries(json.loads(packaged.read_text(encoding="utf-8"))):
            reg.add(Outlet.from_json(d))
        user = path or os.environ.get(ENV_VAR)
        if user:
            data = json.loads(Path(user).read_text(encoding="utf-8"))
            for d in _entries(data):
                reg.add(Outlet.from_json(d), given=set(d))
        return reg

    # -- lookups ----------------------------------------------------------------------------
    def by_domain(self, domain: str | None) -> Outlet | None:
        """The outlet owning this host (or URL); "english.presstv.ir" finds "presstv.ir"."""
        if not domain:
            return None
        host = normalise_domain(domain)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            hit = self._by_domain.get(".".join(parts[i:]))
            if hit:
                return hit
        return None

    def by_name(self, name: str | None) -> Outlet | None:
        """The outlet known by this name or alias, ignoring case, spacing and a leading "the"."""
        if not name:
            return None
        key = name_key(name)
        return self._by_name.get(key) if key else None

    def names(self) -> list[str]:
        return [o.name for o in self._outlets]

    def __iter__(self):
        return iter(self._outlets)

    def __len__(self) -> int:
        return len(self._outlets)


def _entries(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        data = data.get("outlets", [])
    return [d for d in data if isinstance(d, dict) and d.get("name")]


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for x in items:
        if x.casefold() not in seen:
            seen.add(x.casefold())
            out.append(x)
    return out
