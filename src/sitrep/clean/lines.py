"""Splitting normalised text into lines and deciding what each line is.

A news page, once reduced to text, is a column of lines: a title, paragraphs of body, photo
captions, and page furniture (breadcrumbs, widgets, footers). Each non-empty line is classified
as ``title``, ``body``, ``caption`` or ``junk`` with a reason; only body lines make the clean
text. Footers are found as a zone: scanning up from the end, furniture-like lines are dropped
until the first real paragraph, because a page's tail is where sites put their own notices.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from sitrep.clean import boilerplate as bp

TITLE_MAX_WORDS = 25
FOOTER_SHORT_WORDS = 12
FOOTER_MAX_LINES = 6


@dataclass
class Line:
    """One non-empty line: its span in the normalised text (surrounding spaces trimmed)."""

    start: int
    end: int
    text: str
    kind: str = "body"  # body, title, caption, junk
    # For junk: breadcrumb, widget, url, byline, dateline, recurring, footer; "place" marks a
    # body line that is a dateline ("MADISON, Wis. -").
    reason: str | None = None


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their offsets, leading/trailing spaces trimmed."""
    out: list[Line] = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append(Line(start, start + len(stripped), stripped))
    return out


#: Furniture is short; a line longer than this is body without further checks, which keeps a
#: 10 MB single-line text linear instead of running every furniture pattern over it.
LONG_LINE = 2_000


def _line_kind(line: str, recurring: Callable[[str], bool] | None) -> tuple[str, str | None]:
    if len(line) > LONG_LINE:
        return "body", None
    if bp.is_place_dateline(line):
        return "body", "place"
    if bp.is_caption(line):
        return "caption", None
    if bp.is_url(line):
        return "junk", "url"
    if bp.is_breadcrumb(line):
        return "junk", "breadcrumb"
    if bp.is_widget(line):
        return "junk", "widget"
    if bp.is_byline(line):
        return "junk", "byline"
    if bp.is_dateline(line):
        return "junk", "dateline"
    if recurring is not None and recurring(line):
        return "junk", "recurring"
    return "body", None


def _is_footerish(line: str, outlet_names: tuple[str, ...]) -> bool:
    """Furniture-like tail line: short and unfinished, a lead-in ending in ":", or talk about
    the site itself (its mirrors, apps, its own name)."""
    if len(line) > LONG_LINE:
        return False
    text = line.rstrip()
    if text.endswith(":"):
        return True
    finished = bp.ends_sentence(text)
    if not finished and len(bp.words(text)) <= FOOTER_SHORT_WORDS:
        return True
    if bp.talks_about_site(text):
        return True
    return not finished and bp.talks_about_site(text, outlet_names)


def _same_title(a: str, b: str) -> bool:
    fa = " ".join(a.casefold().split())
    fb = " ".join(b.casefold().split())
    return fa == fb or fuzz.ratio(fa, fb) >= 90


def _looks_like_title(line: str) -> bool:
    n = len(bp.words(line))
    return (
        1 <= n <= TITLE_MAX_WORDS
        and not line.rstrip().endswith(".")
        and not re.match(r"(?i)by\s", line)
    )


def classify_lines(
    lines: list[Line],
    *,
    title: str | None = None,
    outlet_names: tuple[str, ...] = (),
    recurring: Callable[[str], bool] | None = None,
) -> list[Line]:
    """Classify every line (a new list; the input is not changed).

    ``title`` is the metadata title when known: a leading line repeating it is marked ``title``.
    Without it, the first short unfinished line before any body line becomes the title, if body
    follows it. ``recurring`` tells whether a line recurs across the outlet's documents.
    """
    out = []
    for ln in lines:
        kind, reason = _line_kind(ln.text, recurring)
        out.append(Line(ln.start, ln.end, ln.text, kind, reason))

    # Guard: an outlet's statistics must never take a whole report (an updated reprint of
    # one story may otherwise look like furniture).
    if recurring is not None and not any(x.kind == "body" for x in out):
        for x in out:
            if x.reason == "recurring":
                x.kind, x.reason = "body", None

    # Footer zone, scanning up from the end to the first real paragraph. With no real
    # paragraph anywhere (a stub, a list) there is no footer zone to speak of.
    # A long run of short lines is a list (tour dates, results, products), not a footer:
    # then only lines talking about the site itself go.
    zone: list[Line] = []
    reached_paragraph = False
    for x in reversed(out):
        if x.kind != "body":
            continue
        if x.reason == "place" or bp.is_list_item(x.text) or not _is_footerish(x.text, outlet_names):
            reached_paragraph = True
            break
        zone.append(x)
    if reached_paragraph:
        if len(zone) > FOOTER_MAX_LINES:
            zone = [x for x in zone if bp.talks_about_site(x.text, outlet_names)]
        for x in zone:
            x.kind, x.reason = "junk", "footer"

    # Title.
    body = [i for i, x in enumerate(out) if x.kind == "body"]
    if body:
        first = body[0]
        if title:
            for i in body[:2]:
                if _same_title(out[i].text, title):
                    out[i].kind, out[i].reason = "title", "title"
                    break
        elif len(body) > 1 and out[first].reason != "place" and _looks_like_title(out[first].text):
            out[first].kind, out[first].reason = "title", "title"
    return out
