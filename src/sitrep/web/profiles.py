"""Outlet profiles beside every report: who owns the outlet, where it is, whether a state runs it.

Read from the user-editable outlet registry (``sitrep.outlets``), so "two state outlets of one
government" is visible next to the reports that a corroboration count adds up.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..outlets import OutletRegistry


@lru_cache(maxsize=1)
def _registry() -> OutletRegistry:
    return OutletRegistry.load()


def outlet_profile(name: object) -> dict[str, Any] | None:
    """The registry's facts about an outlet, with the public source of each, or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    outlet = _registry().by_name(name)
    if outlet is None:
        return None
    if outlet.state_affiliated is True:
        state = "state-affiliated"
    elif outlet.state_affiliated is False:
        state = "not state-affiliated"
    else:
        state = "state affiliation unknown"
    source = next((u for u in (outlet.sources or {}).values() if u), None)
    return {
        "name": outlet.name,
        "country": outlet.country,
        "ownership": outlet.ownership,
        "state": state,
        "state_affiliated": outlet.state_affiliated,
        "kind": outlet.kind,
        "source": source,
    }
