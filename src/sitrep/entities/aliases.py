"""The alias table: what no spelling rule can know.

"Hashd al-Shaabi" and "Popular Mobilization Forces" are one militia umbrella, "Daesh" is the
Islamic State, "Harir" and "Kharir" are one air base: translations, acronyms and exonyms share no
letters, so they are listed by hand. The packaged ``sitrep/data/aliases.json`` ships a set for
Middle East conflict reporting; a user adds or extends groups with their own file of the same
shape, named by ``SITREP_ALIASES`` or passed to ``AliasTable.load``. Groups that share a name are
joined, so a user file can extend a packaged group by repeating one of its names.

File shape::

    {"groups": [{"type": "GROUP", "names": ["Islamic State", "ISIS", "ISIL", "Daesh"]}, ...]}

The first name of a group is its canonical name. The type, when given, overrides the type NER
guessed for a matching mention (spaCy calls "Ain al-Asad" a PERSON): the table was written by
someone who knows.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .keys import fold, name_key, type_family

ENV_VAR = "SITREP_ALIASES"


@lru_cache(maxsize=1)
def _packaged_groups() -> tuple[dict[str, Any], ...]:
    """The packaged alias groups, read once per process."""
    packaged = resources.files("sitrep").joinpath("data", "aliases.json")
    return tuple(json.loads(packaged.read_text(encoding="utf-8")).get("groups", []))


@dataclass
class AliasGroup:
    """Names that are one entity. ``key`` is stable across loads (first name's folded form)."""

    names: list[str]
    type: str | None = None
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key and self.names:
            self.key = fold(self.names[0])


@dataclass
class AliasTable:
    """Groups of names that are one entity, indexed by normalised key for lookup."""

    groups: list[AliasGroup] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index: dict[str, int] = {}
        self._reindex()

    # ---------------------------------------------------------------- building
    @classmethod
    def from_groups(cls, groups: Iterable[dict[str, Any] | AliasGroup]) -> "AliasTable":
        table = cls()
        for g in groups:
            table.add_group(g.names if isinstance(g, AliasGroup) else g["names"],
                            g.type if isinstance(g, AliasGroup) else g.get("type"))
        return table

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> "AliasTable":
        """Packaged aliases, plus the user file at ``path`` or at ``$SITREP_ALIASES``."""
        table = cls.from_groups(_packaged_groups())
        user = path if path is not None else os.environ.get(ENV_VAR)
        if user:
            extra = json.loads(Path(user).read_text(encoding="utf-8"))
            for g in extra.get("groups", []):
                table.add_group(g["names"], g.get("type"))
        return table

    def add_group(self, names: list[str], type_: str | None = None) -> AliasGroup:
        """Add a group, joining it with every existing group that shares one of its names."""
        names = [n for n in names if n and n.strip()]
        hits = sorted({i for n in names for k in self._keys(n, type_) if (i := self._index.get(k)) is not None})
        if not hits:
            group = AliasGroup(list(dict.fromkeys(names)), type_)
            self.groups.append(group)
            for n in group.names:  # a new group: index it alone, no full reindex
                for k in self._keys(n, type_):
                    self._index.setdefault(k, len(self.groups) - 1)
            return group
        else:
            group = self.groups[hits[0]]
            for i in hits[1:]:
                group.names.extend(self.groups[i].names)
                group.type = group.type or self.groups[i].type
            group.names = list(dict.fromkeys(group.names + names))
            group.type = group.type or type_
            self.groups = [g for i, g in enumerate(self.groups) if i not in hits[1:]]
        self._reindex()
        return group

    def _reindex(self) -> None:
        self._index = {}
        for i, g in enumerate(self.groups):
            for n in g.names:
                for k in self._keys(n, g.type):
                    self._index.setdefault(k, i)

    @staticmethod
    def _folded(name: str) -> str:
        f = fold(name)
        return f[4:] if f.startswith("the ") else f

    @classmethod
    def _keys(cls, name: str, type_: str | None) -> set[str]:
        """Index keys of one alias name; an untyped group's names are keyed for every family."""
        types = [type_] if type_ else ["PERSON", "ORG", "PLACE", "OTHER"]
        keys = {"f:" + cls._folded(name)}
        keys |= {"k:" + type_family(t) + ":" + name_key(name, t) for t in types}
        return {k for k in keys if not k.endswith(":")}

    # ---------------------------------------------------------------- lookup
    def lookup(self, name: str, type_: str | None = None) -> AliasGroup | None:
        """The group holding ``name``.

        A name written the same way (up to case, script and apostrophes) matches whatever type
        NER gave it — the table then corrects the type. A name that only matches after
        phonetic folding must also agree in type family, so the surname "Suleimani" never finds
        the city "Sulaimani"."""
        i = self._index.get("f:" + self._folded(name))
        if i is None:
            i = self._index.get("k:" + type_family(type_ or "OTHER") + ":" + name_key(name, type_ or "OTHER"))
        return None if i is None else self.groups[i]

    def fingerprint(self) -> str:
        """Short hash of the table's content, so a stored resolver can tell its table changed."""
        blob = json.dumps([[g.type, g.names] for g in self.groups], sort_keys=True)
        return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        return {"groups": [{"type": g.type, "names": list(g.names)} for g in self.groups]}

    def __len__(self) -> int:
        return len(self.groups)
