"""The search box's syntax, read once and written out for each backend's full-text engine.

A user writes words (all must match), "exact phrases", ``OR`` between two terms (either may
match) and ``-word`` to leave articles out: ``Taliban OR Iran``, ``"air base" -exercise``. The
query is parsed here into plain data so that no user text ever reaches FTS5 or tsquery as syntax
(a stray ``*``, ``:`` or ``NEAR`` is only a word), and so that a name can be widened to the other
spellings the entity index knows (``al-Asad`` also finds "al-Assad") before it is written out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# A quoted phrase (closing quote optional, as a user may forget it) or a run of non-space text.
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
#: Alternatives one term may widen to: a common name must not grow a query without bound.
MAX_SPELLINGS = 20


@dataclass
class SearchQuery:
    """``clauses``: every clause must match; a clause matches when any of its phrases does.
    ``excluded``: phrases no hit may contain. A phrase is its words, in order."""

    clauses: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _clean(text: str) -> str:
    """A phrase with no quotes or control characters, its spaces collapsed ('' when nothing is left)."""
    kept = "".join(" " if (ch == '"' or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    return " ".join(kept.split())


def parse(query: str, spellings: Callable[[str], list[str]] | None = None) -> SearchQuery:
    """The query's clauses and exclusions; ``spellings`` (a name → its other spellings) widens
    each term to the names the entity index groups with it."""
    parsed = SearchQuery()
    join_next = False
    for match in _TOKEN.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            join_next = bool(parsed.clauses)
            continue
        negated = word is not None and word.startswith("-") and len(word) > 1
        term = _clean(phrase if phrase is not None else (word[1:] if negated else word))
        if not term:
            continue
        if negated:
            parsed.excluded.append(term)
            continue
        alternatives = [term]
        for other in spellings(term) if spellings else []:
            if other and other.casefold() != term.casefold() and len(alternatives) < MAX_SPELLINGS:
                alternatives.append(_clean(other))
        if join_next:
            parsed.clauses[-1].extend(a for a in alternatives if a not in parsed.clauses[-1])
        else:
            parsed.clauses.append(alternatives)
        join_next = False
    return parsed


def _fts5_phrase(phrase: str) -> str:
    return '"' + phrase + '"'  # quotes are cleaned out of phrases, so this is always one FTS5 string


def to_fts5(query: SearchQuery) -> str:
    """The query as an FTS5 MATCH expression ('' when nothing is left to search for)."""
    if not query:
        return ""
    text = " AND ".join(_fts5_phrase(clause[0]) if len(clause) == 1 else
                        "(" + " OR ".join(_fts5_phrase(p) for p in clause) + ")" for clause in query.clauses)
    for phrase in query.excluded:
        text += " NOT " + _fts5_phrase(phrase)
    return text


def to_tsquery_sql(query: SearchQuery) -> tuple[str, list[str]]:
    """The query as a PostgreSQL tsquery expression with one bound argument per phrase (each read
    by ``phraseto_tsquery``, which never parses its input as syntax)."""
    parts: list[str] = []
    args: list[str] = []
    for clause in query.clauses:
        parts.append("(" + " || ".join("phraseto_tsquery('english', ?)" for _ in clause) + ")")
        args.extend(clause)
    for phrase in query.excluded:
        parts.append("!!phraseto_tsquery('english', ?)")
        args.append(phrase)
    return " && ".join(parts), args
