"""When a report was published: from metadata, from the page markup, or bounded from its text.

Event times are normalised against the publication date, so a report without one still needs an
honest interval. A report cannot be older than the latest full date it writes down, which gives
the lower bound. If it also speaks of days relative to "now" (weekday names, "yesterday", "last
week") it was written within about a week of that date; otherwise only within about a year.
Such ranges are flagged ``inferred`` with a ``basis`` so a user can judge them.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

import dateparser

from sitrep.model import DateRange, RawDocument
from sitrep.vocab import TimePrecision

NEAR_DAYS = 8  # upper bound after the latest date when the text speaks relative to "now"
FAR_DAYS = 365  # upper bound otherwise

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DATE_PATTERNS = [
    re.compile(r"\b" + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),  # March 29, 2020
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR + r"\b", re.I),  # 29 March 2020
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2020-03-29
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\." + _YEAR + r"\b"),  # 29.03.2020
]

# Words before a date that make it a future or deadline date, not a past one.
_FORWARD = re.compile(
    r"\b(?:until|till|by|(?:scheduled|due|expected|set|slated|postponed)\s+(?:for|on|by|to|until)"
    r"|deadline\s+(?:of|on)|will\s+\w+\s+(?:on|by))\s+$",
    re.I,
)

_RELATIVE = re.compile(
    r"\b(?:(?:on|last|this|next|since|early|late)\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
    r"|\b(?:yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week))\b"
    r"|\b(?:last|past|earlier\s+this|later\s+this)\s+(?:week|weekend|night)\b",
    re.I,
)


def parse_given(value: str | None) -> date | None:
    """A date from a metadata string: ISO date or date-time first, else dateparser."""
    if not value or not value.strip():
        return None
    v = value.strip()
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        pass
    # dateparser tries every language it knows on strings it cannot read, which takes seconds on
    # junk: only hand it short strings that look like a date, and only in the usual languages.
    if len(v) > 64 or not re.search(r"\d", v) or not re.search(r"[A-Za-z]{3}", v):
        return None
    try:
        parsed = dateparser.parse(v, languages=["en", "fr", "de", "es", "ru", "ar"],
                                  settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:
        return None
    return parsed.date() if parsed else None


def explicit_dates(text: str) -> list[tuple[date, int, int]]:
    """Full dates (day, month and year) written in the text, with their spans; dates that the
    text places ahead ("until March 30, 2020", "scheduled for ...") are left out."""
    found: dict[tuple[int, int], date] = {}
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            gd = m.groupdict()
            month = _MONTHS[gd["mon"].lower()] if gd.get("mon") else int(gd["mnum"])
            try:
                d = date(int(gd["year"]), month, int(gd["day"]))
            except ValueError:
                continue
            if _FORWARD.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            found.setdefault((m.start(), m.end()), d)
    return sorted(((d, s, e) for (s, e), d in found.items()), key=lambda t: t[1])


def relative_references(text: str) -> list[str]:
    """Words that date events relative to the day of writing ("Sunday", "last week")."""
    return [m.group(0) for m in _RELATIVE.finditer(text)]


_STAMP = re.compile(
    r"(?im)^[ \t]*(?:(?:first\s+)?published|posted|created|date\s+published)\b(?:\s+on)?\s*:?[ \t]*(?P<rest>[^\n]{6,80})$"
)


def stamped_date(text: str) -> tuple[date, str] | None:
    """The date of a "Published: …" / "Posted on …" stamp line, the page's own dating."""
    for m in _STAMP.finditer(text):
        rest = m.group("rest")
        found = explicit_dates(rest)
        if not found:
            numeric = re.search(r"\b(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b", rest)
            if numeric:  # US month/day/year, the form such stamps use
                try:
                    d = date(int(numeric["year"]), int(numeric["mnum"]), int(numeric["day"]))
                except ValueError:
                    continue
                return d, m.group(0).strip()
            continue
        return found[0][0], m.group(0).strip()
    return None


def infer_from_text(text: str) -> DateRange | None:
    """An inferred publication interval from the text, or None when it has no full date. A
    "Published:"/"Posted:" stamp line gives the day itself."""
    stamp = stamped_date(text)
    if stamp:
        d, line = stamp
        return DateRange(d, d, inferred=True, precision=TimePrecision.DAY, basis=f"text: publication stamp '{line}'")
    dates = explicit_dates(text)
    if not dates:
        return None
    latest, s, e = max(dates, key=lambda t: t[0])
    rel = relative_references(text)
    if rel:
        end = latest + timedelta(days=NEAR_DAYS)
        shown = ", ".join(f"'{r}'" for r in dict.fromkeys(re.sub(r"^on\s+", "", x.lower()) for x in rel))
        basis = (
            f"text: latest full date '{text[s:e]}' is the lower bound; relative day references "
            f"({shown}) place publication within {NEAR_DAYS} days after it"
        )
        precision = TimePrecision.WEEK
    else:
        end = latest + timedelta(days=FAR_DAYS)
        basis = (
            f"text: latest full date '{text[s:e]}' is the lower bound; no relative day "
            f"references, so up to {FAR_DAYS} days after it"
        )
        precision = TimePrecision.YEAR
    return DateRange(start=latest, end=end, inferred=True, precision=precision, basis=basis)


def publication_date(raw: RawDocument, text: str) -> DateRange | None:
    """Metadata date, else the page's markup date, else an interval inferred from ``text`` (the
    normalised original, captions included: photo captions often carry the day)."""
    given = parse_given(raw.published)
    if given:
        return DateRange(given, given, inferred=False, precision=TimePrecision.DAY, basis="metadata")
    marked = parse_given(raw.html_date)
    if marked:
        return DateRange(marked, marked, inferred=False, precision=TimePrecision.DAY, basis="html_date")
    return infer_from_text(text)
