"""Durations as users write them (``30s``, ``10m``, ``2h``, ``7d``), one reading for the CLI's
``--every``/``--refetch-at``/``--refetch-after`` and the web's "changed since 24h"."""
from __future__ import annotations

#: seconds per unit letter; a bare number is seconds
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_seconds(text: str) -> float:
    """Seconds in ``text`` (``30s``, ``10m``, ``2h``, ``1d``, ``1.5h`` or a bare number of
    seconds; spaces before the unit allowed). Raises ValueError when it is not one, or negative."""
    text = text.strip().lower().replace(" ", "")
    number, unit = (text[:-1], text[-1]) if text[-1:] in UNITS else (text, "s")
    value = float(number)  # ValueError for anything else
    if value < 0:
        raise ValueError(f"negative duration {text!r}")
    return value * UNITS[unit]


__all__ = ["UNITS", "duration_seconds"]
