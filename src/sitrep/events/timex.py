"""Time expressions in reports, found and normalised against the publication date.

News dates events relative to when the report appeared ("Sunday", "last week", "in January").
An analyst resolves them against the publication date; when the publication date is itself only
known as a range (read from the article's own text), each end is tried and the union kept, so the
result never claims more precision than the evidence has.

``dateparser`` handles what it handles well (weekday-less absolute dates, "last month", "two
weeks ago"); it fails on part-of-period phrases ("the end of last year"), on back-looking intervals
("over the past few months") and resolves a bare weekday to the week *before* a publication that
falls on that weekday, so those are own rules here.

Weeks run Sunday to Saturday, as English-language newsrooms count them.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

from sitrep.model import DateRange, TimeSpan
from sitrep.vocab import TimePrecision

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

MONTHS = {
    name.lower(): i for i, name in enumerate(calendar.month_name) if name
} | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}  # Monday=0
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "a couple of": 2,
    "few": 3, "a few": 3, "several": 4, "recent": 3,
}

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|few|several|(?:a\s+)?couple\s+of)"
_UNIT_RE = r"(?:days?|weeks?|months?|years?)"
_PREP_RE = r"(?:(?:back\s+)?(?i:in|on|at|during|over|since|by|from|throughout|until|before|after)\s+)?"
_YEAR_RE = r"(?:19|20)\d{2}"

# One alternation, most specific first; the preposition is part of the span ("on Friday").
_PATTERNS = [
    r"\d{4}-\d{2}-\d{2}",
    rf"{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR_RE})?(?!\d)",
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+{_YEAR_RE})?",
    r"(?i:the\s+(?:beginning|start|end|middle|turn)\s+of\s+(?:the\s+|this\s+|last\s+|next\s+|the\s+previous\s+)?(?:year|month|week))",
    rf"(?i:the\s+(?:beginning|start|end|middle)\s+of\s+){_MONTH_RE}(?:\s+{_YEAR_RE})?",
    rf"(?i:(?:early|late|mid-?)\s*){_MONTH_RE}(?:\s+{_YEAR_RE})?",
    rf"{_MONTH_RE}\s+(?i:this|last|next)\s+(?i:year)",
    rf"(?i:(?:early|late|mid)-?\s*|the\s+(?:beginning|start|end|middle)\s+of\s+){_YEAR_RE}",
    rf"{_MONTH_RE}(?:,?\s+{_YEAR_RE})?",
    r"(?i:(?:earlier|later|early|late)\s+(?:this|last|next)\s+(?:year|month|week))",
    rf"(?i:(?:the\s+)?(?:past|last|previous|coming|next)\s+{_NUM_RE}\s+{_UNIT_RE})",
    r"(?i:(?:the\s+)?(?:past|previous)\s+(?:day|week|month|year))",
    rf"(?i:(?:recent\s+{_UNIT_RE}))",
    rf"(?i:{_NUM_RE}\s+{_UNIT_RE}\s+ago)",
    r"(?i:(?:last|this|next|past|previous|coming)\s+(?:week|month|year|weekend))",
    rf"(?i:(?:last|next|this|early|late)\s+)?{_WEEKDAY_RE}(?i:\s+(?:morning|afternoon|evening|night))?",
    r"(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+(?:morning|afternoon|evening))",
    rf"(?<![\d,.$])(?:{_YEAR_RE})(?![\d,%])",
]
_FIND_RE = re.compile(r"\b" + _PREP_RE + r"(?:" + "|".join(_PATTERNS) + r")\b")


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, text)`` of date expressions in ``text``, leftmost-longest."""
    out = []
    for m in _FIND_RE.finditer(text):
        s, e = m.start(), m.end()
        frag = text[s:e]
        # A bare capitalised "May"/"March" in the middle of a sentence is usually a month, but
        # "may" (modal) is lower-case and excluded by the case-sensitive month pattern.
        if frag.strip().lower() in ("a", "an"):
            continue
        out.append((s, e, frag))
    return out


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def week_start(d: date) -> date:
    """The Sunday that starts ``d``'s week."""
    return d - timedelta(days=(d.weekday() + 1) % 7)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _num(word: str) -> int:
    w = re.sub(r"\s+", " ", word.lower().strip())
    return int(w) if w.isdigit() else NUMBERS.get(w, 3)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


Resolved = tuple[date, date, str]  # start, end, precision

# --------------------------------------------------------------------------------------------
# Rules: each takes the normalised expression's match and a reference day (or None)
# --------------------------------------------------------------------------------------------


def _iso(m: re.Match, ref: date | None) -> Resolved | None:
    d = date.fromisoformat(m.group(0))
    return d, d, "day"


def _month_day(m: re.Match, ref: date | None) -> Resolved | None:
    month, day, year = _month(m["month"]), int(m["day"]), m["year"]
    if year:
        y = int(year)
    elif ref is None:
        return None
    else:
        y = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    return d, d, "day"


def _named_month(m: re.Match, ref: date | None) -> tuple[int, int] | None:
    """(year, month) of a month name: the year written, else the most recent such month not
    after publication; None when neither is known."""
    month = _month(m["month"])
    if m["year"]:
        return int(m["year"]), month
    if ref is None:
        return None
    return (ref.year if month <= ref.month else ref.year - 1), month


def _part_of_month(m: re.Match, ref: date | None) -> Resolved | None:
    named = _named_month(m, ref)
    if named is None:
        return None
    y, month = named
    part = m["part"].lower().rstrip("-")
    last = calendar.monthrange(y, month)[1]
    if part in ("early", "beginning", "start"):
        return date(y, month, 1), date(y, month, 10), "week"
    if part in ("mid", "middle"):
        return date(y, month, 11), date(y, month, 20), "week"
    return date(y, month, 21), date(y, month, last), "week"


def _month_year(m: re.Match, ref: date | None) -> Resolved | None:
    named = _named_month(m, ref)
    if named is None:
        return None
    y, month = named
    return date(y, month, 1), month_end(y, month), "month"


def _month_of_year(m: re.Match, ref: date | None) -> Resolved | None:
    """"June last year", "January this year"."""
    if ref is None:
        return None
    y = ref.year + {"this": 0, "last": -1, "next": 1}[m["which"].lower()]
    month = _month(m["month"])
    return date(y, month, 1), month_end(y, month), "month"


def _part_of_year(m: re.Match, ref: date | None) -> Resolved | None:
    """"mid-1996", "early 2019": the year (the part is too vague to narrow it honestly)."""
    y = int(m["year"])
    return date(y, 1, 1), date(y, 12, 31), "year"


def _year(m: re.Match, ref: date | None) -> Resolved | None:
    y = int(m.group(0))
    return date(y, 1, 1), date(y, 12, 31), "year"


def _period_of(unit: str, which: str, ref: date) -> Resolved:
    """The calendar week/month/year that is ``which`` (last, this, next) relative to ``ref``."""
    shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        s = week_start(ref) + timedelta(weeks=shift)
        return s, s + timedelta(days=6), "week"
    if unit == "weekend":
        sat = week_start(ref) + timedelta(days=6) + timedelta(weeks=shift)
        if shift < 0 or ref < sat:
            sat = week_start(ref) - timedelta(days=1) if shift <= 0 else sat
        return sat, sat + timedelta(days=1), "day"
    if unit == "month":
        first = add_months(date(ref.year, ref.month, 1), shift)
        return first, month_end(first.year, first.month), "month"
    y = ref.year + shift
    return date(y, 1, 1), date(y, 12, 31), "year"


def _rel_period(m: re.Match, ref: date | None) -> Resolved | None:
    if ref is None:
        return None
    which, unit = m["which"].lower(), m["unit"].lower()
    if which == "past" and unit != "weekend":
        return _back_interval(1, unit, ref)
    return _period_of(unit, which, ref)


def _earlier_this(m: re.Match, ref: date | None) -> Resolved | None:
    """"earlier this month": from the period's start to publication; "later ..." from it on."""
    if ref is None:
        return None
    how, which, unit = m["how"].lower(), m["which"].lower(), m["unit"].lower()
    s, e, prec = _period_of(unit, which, ref)
    if which == "this":
        if how in ("earlier",):
            return s, ref, prec
        if how in ("later",):
            return ref, e, prec
    span = (e - s).days + 1
    third = timedelta(days=max(span // 3, 1) - 1)
    if how in ("early",):
        return s, s + third, prec
    if how in ("late",):
        return e - third, e, prec
    return s, e, prec


def _part_of_period(m: re.Match, ref: date | None) -> Resolved | None:
    """"the beginning of the year" → its first two months; "the end of last year" → Nov–Dec."""
    if ref is None:
        return None
    part, which, unit = m["part"].lower(), (m["which"] or "the").lower().strip(), m["unit"].lower()
    which = {"the": "this", "the previous": "last"}.get(which, which)
    s, e, prec = _period_of(unit, which, ref)
    if unit == "year":
        if part in ("beginning", "start", "turn"):
            return date(s.year, 1, 1), month_end(s.year, 2), "month"
        if part == "middle":
            return date(s.year, 5, 1), month_end(s.year, 8), "month"
        return date(s.year, 11, 1), date(s.year, 12, 31), "month"
    if unit == "month":
        if part in ("beginning", "start", "turn"):
            return s, s + timedelta(days=9), "week"
        if part == "middle":
            return s + timedelta(days=10), s + timedelta(days=19), "week"
        return s + timedelta(days=20), e, "week"
    # week
    if part in ("beginning", "start"):
        return s, s + timedelta(days=2), "day"
    if part == "middle":
        return s + timedelta(days=2), s + timedelta(days=4), "day"
    return s + timedelta(days=4), e, "day"


def _back_interval(n: int, unit: str, ref: date) -> Resolved:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return ref - timedelta(days=n), ref, "day"
    if unit == "week":
        return ref - timedelta(weeks=n), ref, "week"
    if unit == "month":
        return add_months(ref, -n), ref, "month"
    return date(ref.year - n, ref.month, min(ref.day, 28)), ref, "year"


def _past_n(m: re.Match, ref: date | None) -> Resolved | None:
    """"over the past few weeks", "recent months": an interval ending at publication."""
    if ref is None:
        return None
    which = (m["which"] or "past").lower()
    n = _num(m["n"]) if m["n"] else 1
    unit = m["unit"]
    if which in ("next", "coming"):
        s, _e, prec = _back_interval(n, unit, ref)
        return ref, ref + (ref - s), prec
    return _back_interval(n, unit, ref)


def _recent(m: re.Match, ref: date | None) -> Resolved | None:
    if ref is None:
        return None
    return _back_interval(NUMBERS["recent"], m["unit"], ref)


def _ago(m: re.Match, ref: date | None) -> Resolved | None:
    if ref is None:
        return None
    n, unit = _num(m["n"]), m["unit"].lower().rstrip("s")
    if unit == "day":
        d = ref - timedelta(days=n)
        return d, d, "day"
    if unit == "week":
        s = week_start(ref - timedelta(weeks=n))
        return s, s + timedelta(days=6), "week"
    if unit == "month":
        first = add_months(date(ref.year, ref.month, 1), -n)
        return first, month_end(first.year, first.month), "month"
    return date(ref.year - n, 1, 1), date(ref.year - n, 12, 31), "year"


def _weekday(m: re.Match, ref: date | None) -> Resolved | None:
    """A bare weekday in a report is the most recent such day on or before publication."""
    if ref is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    mod = (m["mod"] or "").lower()
    back = (ref.weekday() - wd) % 7
    if mod == "last" and back == 0:
        back = 7
    if mod == "next":
        fwd = (wd - ref.weekday()) % 7 or 7
        d = ref + timedelta(days=fwd)
    else:
        d = ref - timedelta(days=back)
    return d, d, "day"


def _deictic_day(m: re.Match, ref: date | None) -> Resolved | None:
    if ref is None:
        return None
    w = m.group(0).lower()
    if "before yesterday" in w:
        d = ref - timedelta(days=2)
    elif "yesterday" in w:
        d = ref - timedelta(days=1)
    else:
        d = ref
    return d, d, "day"


_M = _MONTH_RE
_RULES: list[tuple[re.Pattern, Callable[[re.Match, date | None], Resolved | None]]] = [
    (re.compile(r"\d{4}-\d{2}-\d{2}"), _iso),
    (re.compile(rf"(?P<month>{_M})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR_RE}))?", re.I), _month_day),
    (re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_M})(?:,?\s+(?P<year>{_YEAR_RE}))?", re.I), _month_day),
    (re.compile(r"(?:the\s+)?(?P<part>beginning|start|end|middle|turn)\s+of\s+(?P<which>the\s+previous|the|this|last|next)?\s*(?P<unit>year|month|week)", re.I), _part_of_period),
    (re.compile(rf"(?:the\s+)?(?P<part>beginning|start|end|middle)\s+of\s+(?P<month>{_M})(?:\s+(?P<year>{_YEAR_RE}))?", re.I), _part_of_month),
    (re.compile(rf"(?P<part>early|late|mid-?)\s*(?P<month>{_M})(?:\s+(?P<year>{_YEAR_RE}))?", re.I), _part_of_month),
    (re.compile(rf"(?P<month>{_M})(?:,?\s+(?P<year>{_YEAR_RE}))?", re.I), _month_year),
    (re.compile(rf"(?P<month>{_M})\s+(?P<which>this|last|next)\s+year", re.I), _month_of_year),
    (re.compile(rf"(?:(?:early|late|mid)-?\s*|the\s+(?:beginning|start|end|middle)\s+of\s+)(?P<year>{_YEAR_RE})", re.I), _part_of_year),
    (re.compile(r"(?P<how>earlier|later|early|late)\s+(?P<which>this|last|next)\s+(?P<unit>year|month|week)", re.I), _earlier_this),
    (re.compile(rf"(?:the\s+)?(?P<which>past|last|previous|coming|next)\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})", re.I), _past_n),
    (re.compile(r"(?:the\s+)(?P<which>past|previous)\s+(?P<n>)(?P<unit>day|week|month|year)", re.I), _past_n),
    (re.compile(rf"recent\s+(?P<unit>{_UNIT_RE})", re.I), _recent),
    (re.compile(rf"(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\s+ago", re.I), _ago),
    (re.compile(r"(?P<which>last|this|next|past|previous|coming)\s+(?P<unit>week|month|year|weekend)", re.I), _rel_period),
    (re.compile(rf"(?:(?P<mod>last|next|this|early|late)\s+)?(?P<wd>{_WEEKDAY_RE})(?:\s+(?:morning|afternoon|evening|night))?", re.I), _weekday),
    (re.compile(r"the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+(?:morning|afternoon|evening)", re.I), _deictic_day),
    (re.compile(rf"{_YEAR_RE}"), _year),
]

_LEADING = re.compile(
    r"^(?:(?:back|as\s+far\s+back)\s+)?(?:(?:in|on|at|during|over|since|by|from|throughout|until|before|after|of|for)\s+)+",
    re.I,
)


def _normalise_expr(expr: str) -> str:
    e = re.sub(r"\s+", " ", expr.strip().strip(".,;:()\"'")).strip()
    e = _LEADING.sub("", e)
    return e


# A bare number of one to three digits is an age, a count or a score ("Christopher L. Tays, 32,",
# "attacks kill 44"), which the statistical NER often tags DATE; on its own it is never a date
# (dateparser would read "32" as 1932 and "7" as July).
_BARE_NUMBER = re.compile(r"\d{1,3}")


@lru_cache(maxsize=8192)
def resolve(expr: str, ref: date | None) -> Resolved | None:
    """``(start, end, precision)`` of ``expr`` read on day ``ref`` (None: absolute only).

    Kept per (expression, day): the events of one report share its time expressions, and
    dateparser's reading costs milliseconds (2.6 % of a worker's profile over GVA reports)."""
    e = _normalise_expr(expr)
    if _BARE_NUMBER.fullmatch(e):
        return None
    for pattern, rule in _RULES:
        m = pattern.fullmatch(e)
        if m:
            try:
                return rule(m, ref)
            except (ValueError, KeyError):
                return None
    return _dateparser_resolve(e, ref)


@lru_cache(maxsize=64)
def _parser(ref: date | None):
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser_resolve(expr: str, ref: date | None) -> Resolved | None:
    """What dateparser reads out of an expression our rules do not cover, as an interval."""
    if ref is None and not re.search(_YEAR_RE, expr):
        return None  # without a reference day, only expressions naming a year are absolute
    data = _parser(ref).get_date_data(expr)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    return period_interval(d, data.period or "day")


def period_interval(d: date, period: str) -> Resolved:
    """The calendar interval of ``period`` (day, week, month, year) around day ``d``."""
    if period == "week":
        s = week_start(d)
        return s, s + timedelta(days=6), "week"
    if period == "month":
        return date(d.year, d.month, 1), month_end(d.year, d.month), "month"
    if period == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31), "year"
    return d, d, "day"


def normalise_time(expr: str, anchor: DateRange | None) -> TimeSpan:
    """Normalise one time expression against the publication date ``anchor``.

    With a range anchor the expression is resolved against both ends and the union interval is
    returned. Without an anchor, absolute expressions still resolve and relative ones come back
    with precision ``unknown``.
    """
    inferred = bool(anchor and anchor.inferred)
    refs: list[date | None] = [anchor.start, anchor.end] if anchor else [None]
    got = [g for r in dict.fromkeys(refs) if (g := resolve(expr, r)) is not None]
    if not got:
        return TimeSpan(None, None, TimePrecision.UNKNOWN, expr, inferred_publication=inferred)
    start = min(g[0] for g in got)
    end = max(g[1] for g in got)
    return TimeSpan(start, end, TimePrecision(got[0][2]), expr, inferred_publication=inferred)


def before_publication(anchor: DateRange | None) -> TimeSpan:
    """The time of an event whose report dates it no further than "before it was published"."""
    if anchor is None:
        return TimeSpan(None, None, TimePrecision.UNKNOWN, None)
    return TimeSpan(None, anchor.end, TimePrecision.BEFORE_PUBLICATION, None,
                    inferred_publication=anchor.inferred)


def timeml_value(span: TimeSpan) -> str | None:
    """The TimeML ``value`` a span stands for (``2020-03-29``, ``2020-W13``, ``2020-03``, ``2020``)."""
    if span.start is None or span.end is None:
        return None
    if span.precision == "day" and span.start == span.end:
        return span.start.isoformat()
    if span.precision == "week" and (span.end - span.start).days == 6:
        y, w, _ = (span.start + timedelta(days=3)).isocalendar()
        return f"{y}-W{w:02d}"
    if span.precision == "month" and span.start.day == 1 and span.end == month_end(span.start.year, span.start.month):
        return span.start.strftime("%Y-%m")
    if span.precision == "year" and span.start == date(span.start.year, 1, 1) and span.end == date(span.start.year, 12, 31):
        return str(span.start.year)
    return None
