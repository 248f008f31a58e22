"""The rules file: what an analyst wants to be told about, checked before the first pass.

A rules file is TOML (read by the standard library, so no dependency), a list of rules under
``rule`` (one ``[[rule]]`` table each)::

    [[rule]]
    name = "strikes near Kharkiv"
    type = "attack"                                  # PLOVER or ACLED name, as --type takes
    near = { lat = 49.99, lon = 36.23, km = 50 }
    min_confidence = 0.6

Every condition of a rule must hold. What a rule is matched against follows from its conditions:
``revised = true`` → a revision of a stored article; ``origins = N`` → a story's claim group
whose independent origins reached N; ``type``, ``near`` or ``min_confidence`` → an event; else
(``entity``, ``outlet``, ``keyword`` alone) → an article. A mistake (an unknown key, a type not in
the vocabulary, a radius that is not a number) stops the command before anything is fetched:
a rule that silently never fires is the failure an alert exists to prevent.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..events.ontology import TypeFilter, type_filter

SUBJECTS = ("article", "event", "claim_group", "revision")
_KEYS = {"name", "entity", "outlet", "keyword", "type", "near", "min_confidence", "origins", "revised"}
#: Conditions each subject can check (a claim group has no mentions, so no ``entity``).
_ALLOWED = {
    "article": {"entity", "outlet", "keyword"},
    "event": {"entity", "outlet", "keyword", "type", "near", "min_confidence"},
    "claim_group": {"outlet", "keyword", "origins"},
    "revision": {"entity", "outlet", "keyword", "revised"},
}


class RulesError(ValueError):
    """A rules file that cannot be used as written; the message names the rule and the key."""


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class Rule:
    name: str
    entity: str | None = None
    outlet: str | None = None
    keyword: str | None = None
    type: str | None = None  # as written, for the alert line
    types: TypeFilter | None = None  # what ``type`` means in the vocabulary
    near: Near | None = None
    min_confidence: float | None = None
    origins: int | None = None
    revised: bool = False

    @property
    def subject(self) -> str:
        if self.revised:
            return "revision"
        if self.origins is not None:
            return "claim_group"
        if self.types is not None or self.near is not None or self.min_confidence is not None:
            return "event"
        return "article"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "subject": self.subject}
        for key in ("entity", "outlet", "keyword", "type", "min_confidence", "origins"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.near is not None:
            out["near"] = {"lat": self.near.lat, "lon": self.near.lon, "km": self.near.km}
        if self.revised:
            out["revised"] = True
        return out


def _text(where: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RulesError(f"{where}: {key} must be a number, got {value!r}")
    return float(value)


def _near(where: str, value: Any) -> Near | None:
    if value is None:
        return None
    if isinstance(value, str):  # "LAT,LON,KM", as the CLI's --near takes it
        parts = value.split(",")
        if len(parts) != 3:
            raise RulesError(f"{where}: near must be LAT,LON,KM or a table with lat, lon, km")
        try:
            lat, lon, km = (float(p) for p in parts)
        except ValueError:
            raise RulesError(f"{where}: near must be LAT,LON,KM with numbers, got {value!r}") from None
    elif isinstance(value, dict) and set(value) == {"lat", "lon", "km"}:
        lat, lon, km = (_number(where, f"near.{k}", value[k]) for k in ("lat", "lon", "km"))
    else:
        raise RulesError(f"{where}: near must be LAT,LON,KM or a table with exactly lat, lon, km")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise RulesError(f"{where}: near needs -90 <= lat <= 90, -180 <= lon <= 180 and km > 0")
    return Near(lat, lon, km)


def parse_rule(raw: Any, index: int) -> Rule:
    """One rule from its table; RulesError naming the rule and key when it is not usable."""
    if not isinstance(raw, dict):
        raise RulesError(f"rule {index + 1}: expected a table of conditions, got {type(raw).__name__}")
    where = f"rule {index + 1}"
    name = _text(where, "name", raw.get("name"))
    if name is None:
        raise RulesError(f"{where}: every rule needs a name (alerts say which rule fired)")
    where = f"rule {name!r}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}")
    types = None
    if raw.get("type") is not None:
        try:
            types = type_filter(str(raw["type"]))
        except ValueError as exc:
            raise RulesError(f"{where}: {exc}") from None
    confidence = None
    if raw.get("min_confidence") is not None:
        confidence = _number(where, "min_confidence", raw["min_confidence"])
        if not 0.0 <= confidence <= 1.0:
            raise RulesError(f"{where}: min_confidence must be between 0 and 1")
    origins = raw.get("origins")
    if origins is not None and (isinstance(origins, bool) or not isinstance(origins, int) or origins < 1):
        raise RulesError(f"{where}: origins must be a whole number of at least 1")
    revised = raw.get("revised", False)
    if not isinstance(revised, bool):
        raise RulesError(f"{where}: revised must be true or false")
    rule = Rule(name=name, entity=_text(where, "entity", raw.get("entity")),
                outlet=_text(where, "outlet", raw.get("outlet")), keyword=_text(where, "keyword", raw.get("keyword")),
                type=str(raw["type"]) if types is not None else None, types=types, near=_near(where, raw.get("near")),
                min_confidence=confidence, origins=origins, revised=revised)
    given = {k for k in _KEYS - {"name"} if raw.get(k) not in (None, False)}
    if not given:
        raise RulesError(f"{where}: a rule needs at least one condition")
    wrong = given - _ALLOWED[rule.subject]
    if wrong:
        raise RulesError(f"{where}: a {rule.subject.replace('_', ' ')} rule cannot also check {', '.join(sorted(wrong))}")
    return rule


def parse_rules(doc: Any) -> list[Rule]:
    """The rules of a parsed rules file (a mapping with a ``rule`` or ``rules`` list)."""
    if not isinstance(doc, dict):
        raise RulesError("a rules file is a table with a list of rules under 'rule' ([[rule]] in TOML) or 'rules'")
    raw = doc.get("rule", doc.get("rules"))
    if not isinstance(raw, list) or not raw:
        raise RulesError("no rules: write them under 'rule' ([[rule]] in TOML) or 'rules'")
    rules = [parse_rule(r, i) for i, r in enumerate(raw)]
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RulesError(f"rule names must be unique (each keeps its own record of what fired): {', '.join(twice)}")
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    """The rules in a TOML file. YAML is refused with a pointer to TOML: sitrep does not depend on
    a YAML parser, and the standard library reads TOML."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        raise RulesError(f"{path}: rules files are TOML (a [[rule]] table per rule), not YAML")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RulesError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from None
    return parse_rules(doc)
