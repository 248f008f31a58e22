"""Linking short forms to full names inside one report.

A report names a thing in full once and then shortens it: "Popular Mobilization Units (PMU)" and
later "PMU"; "Qusay al-Anbari" and later "al-Anbari"; "Robert P. White" and later "General
White". Inside one report the short form is unambiguous — the writer relies on it — while across
reports it is not (another "White" is another man), so short forms are tied to their full form
here, before cross-document resolution, by setting ``Mention.full_form``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .keys import fold, is_acronym, key_tokens, token_match, type_family
from sitrep.model import Mention

# Words an acronym usually skips ("Islamic State in Iraq and the Levant" → ISIL keeps "in").
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "al", "el", "de", "du", "to", "a"})
_PAREN_AFTER_RE = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9.&-]{1,11})\s*\)")
_PAREN_LONG_AFTER_RE = re.compile(r"\s*\(")


def _acronym_letters(acronym: str) -> str:
    """"PMU's" → "pmu", "U.S." → "us"."""
    return re.sub(r"[^A-Za-z0-9]", "", re.sub(r"['’]s?$", "", acronym.strip())).lower()


def acronym_matches(acronym: str, long_name: str) -> bool:
    """Whether ``acronym`` abbreviates ``long_name``.

    Each letter of the acronym is the first letter of a word, or a later letter of the word that
    gave the previous one ("CENTCOM" from "Central Command"); function words may give a letter or
    none; every other word must give at least its first letter.
    """
    letters = _acronym_letters(acronym)
    words = [w for w in re.split(r"[\s\-/]+", fold(long_name)) if w]
    if len(letters) < 2 or len(words) < 2:
        return False
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        """Letters[i:] abbreviate words[j:]."""
        if (i, j) in memo:
            return memo[(i, j)]
        if j == len(words):
            ok = i == len(letters)
        else:
            word = words[j]
            ok = False
            if word in _FUNCTION_WORDS and match(i, j + 1):
                ok = True
            elif i < len(letters) and letters[i] == word[0]:
                # this word gives its first letter, then possibly more of its letters in order
                k, pos = i + 1, 1
                ok = match(k, j + 1)
                while not ok and k < len(letters):
                    found = word.find(letters[k], pos)
                    if found < 0:
                        break
                    k, pos = k + 1, found + 1
                    ok = match(k, j + 1)
        memo[(i, j)] = ok
        return ok

    return match(0, 0)


def _strip_determiner(name: str) -> str:
    return re.sub(r"^(?:the|The|THE)\s+", "", name.strip())


def _content_tokens(m: Mention) -> tuple[str, ...]:
    return key_tokens(m.text, m.type)


def _is_person_short_form(m: Mention) -> bool:
    """"al-Anbari", "White", "General White": one name token once titles and articles go."""
    return type_family(m.type) == "PERSON" and len(_content_tokens(m)) == 1


def _nearest(candidates: list[Mention], m: Mention) -> Mention | None:
    """The nearest candidate before ``m``, else the nearest after it."""
    before = [c for c in candidates if c.end <= m.start]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in candidates if c.start >= m.end]
    return min(after, key=lambda c: c.start) if after else None


def find_acronym_definitions(mentions: list[Mention], text: str) -> dict[str, Mention]:
    """Acronyms defined in the text as "Long Name (ACR)" or "ACR (Long Name)" → long mention."""
    defined: dict[str, Mention] = {}
    by_start = sorted(mentions, key=lambda m: m.start)
    for idx, m in enumerate(by_start):
        if is_acronym(m.text):
            # "ACR (Long Name)": the next mention sits inside the parenthesis right after.
            after = _PAREN_LONG_AFTER_RE.match(text, m.end)
            if after and idx + 1 < len(by_start):
                nxt = by_start[idx + 1]
                close = text.find(")", after.end())
                if nxt.start <= after.end() + 4 and close >= nxt.end and acronym_matches(m.text, nxt.text):
                    defined.setdefault(_acronym_letters(m.text), nxt)
            continue
        paren = _PAREN_AFTER_RE.match(text, m.end)
        if paren and acronym_matches(paren.group(1), m.text):
            defined.setdefault(_acronym_letters(paren.group(1)), m)
    return defined


def rejoin_split_names(mentions: list[Mention], text: str) -> list[Mention]:
    """Join two adjacent mentions that together spell a name the same report gives whole.

    NER sometimes cuts an unfamiliar name in two ("Kata’ib" NORP + "Hezbollah" ORG) where
    elsewhere in the report it found it whole ("Kata'ib Hezbollah"); left apart, the second half
    would resolve to another entity (the Lebanese Hezbollah). The pair becomes one mention over
    both spans, typed as the whole name was.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    whole: dict[str, Mention] = {}
    for m in ordered:
        toks = key_tokens(m.text, "OTHER")
        if len(toks) >= 2:
            whole.setdefault(" ".join(toks), m)
    if not whole:
        return ordered
    out: list[Mention] = []
    i = 0
    while i < len(ordered):
        a = ordered[i]
        if i + 1 < len(ordered) and not a.full_form:
            b = ordered[i + 1]
            gap = text[a.end:b.start]
            if b.start >= a.end and len(gap) <= 2 and not gap.strip(" -") and not b.full_form:
                joined = text[a.start:b.end]
                match = whole.get(" ".join(key_tokens(joined, "OTHER")))
                if match is not None and match is not a and match is not b:
                    out.append(Mention(a.article_id, a.start, b.end, joined, match.type))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def link_within_document(mentions: list[Mention], text: str) -> list[Mention]:
    """Set ``full_form`` on acronyms and short forms whose full name the same report gives.

    - an acronym defined as "Long Name (ACR)" links every "ACR" in the report to the long name;
      occurrences NER missed are added as new mentions, so "PMU's positions" is not lost;
    - an undefined acronym links to the nearest longer mention of its type family whose initials
      it spells;
    - a person named by one name token ("al-Anbari", "General White") links to the nearest full
      name of two or more tokens ending in that token;
    - a one-word organisation ("Kata'ib") links to the nearest longer organisation it begins;
    - a ``full_form`` already set (the claims stage resolves "the paper") is kept;
    - two adjacent mentions that together spell a name given whole elsewhere in the report are
      joined into one (``rejoin_split_names``).

    Returns new ``Mention`` records sorted by position; the input is not changed.
    """
    out = rejoin_split_names([replace(m) for m in mentions], text)
    if not out:
        return out
    article_id = out[0].article_id
    defined = find_acronym_definitions(out, text)

    # Acronym occurrences NER did not mark.
    covered = [(m.start, m.end) for m in out]
    for letters, long_m in defined.items():
        acr_text = None
        paren = _PAREN_AFTER_RE.match(text, long_m.end)
        if paren and _acronym_letters(paren.group(1)) == letters:
            acr_text = paren.group(1)
        if not acr_text:
            continue
        for hit in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(acr_text) + r"(?![A-Za-z0-9])", text):
            if any(s < hit.end() and hit.start() < e for s, e in covered):
                continue
            out.append(Mention(article_id, hit.start(), hit.end(), acr_text, long_m.type))
            covered.append((hit.start(), hit.end()))

    out.sort(key=lambda m: (m.start, m.end))
    longer = [m for m in out if not is_acronym(m.text) and len(_content_tokens(m)) >= 2]

    for m in out:
        if m.full_form:
            continue
        if is_acronym(m.text):
            letters = _acronym_letters(m.text)
            long_form = defined.get(letters)
            if long_form is None:
                fam = type_family(m.type)
                cands = [c for c in longer if type_family(c.type) == fam and acronym_matches(m.text, c.text)]
                long_form = _nearest(cands, m)
            if long_form is not None and long_form is not m:
                m.full_form = _strip_determiner(long_form.full_form or long_form.text)
            continue
        toks = _content_tokens(m)
        if _is_person_short_form(m):
            cands = [
                c for c in longer
                if type_family(c.type) == "PERSON" and token_match(_content_tokens(c)[-1], toks[0])
            ]
            full = _nearest(cands, m)
            if full is not None:
                m.full_form = full.full_form or full.text
        elif type_family(m.type) == "ORG" and len(toks) == 1 and len(toks[0]) >= 4:
            cands = [c for c in longer if type_family(c.type) == "ORG" and _content_tokens(c)[0] == toks[0]]
            full = _nearest(cands, m)
            if full is not None:
                m.full_form = _strip_determiner(full.full_form or full.text)
    return out

