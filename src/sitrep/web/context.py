"""A mention shown in its sentence: the words around a span of an article's clean text.

The entity page lists every mention; a bare "Assad" says little, the sentence it stands in says
who did what. Sentences are cut at the nearest full stop, question or exclamation mark or line
break on either side, and capped so a run-on paragraph does not fill the page. Plain strings
out; the template escapes them.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_SIDE = 220  # characters kept on either side of the mention at most
_ENDS = ".!?\n"


@dataclass
class InContext:
    before: str
    mention: str
    after: str


def sentence_around(text: str, start: int, end: int) -> InContext:
    """The sentence holding ``text[start:end]``, split into before, mention and after; an
    ellipsis marks a side cut by the cap."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = max((text.rfind(ch, 0, start) for ch in _ENDS), default=-1) + 1
    his = [i for i in (text.find(ch, end) for ch in _ENDS) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    before, after = text[lo:start].lstrip(), text[end:hi].rstrip()
    if len(before) > MAX_SIDE:
        before = "…" + before[-MAX_SIDE:]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE] + "…"
    return InContext(before, text[start:end], after)
