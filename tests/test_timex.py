"""Time normalisation against the publication date (fixed anchors, no data needed)."""
from __future__ import annotations

from datetime import date

import pytest

from sitrep.events.timex import (
    before_publication,
    find_time_expressions,
    normalise_time,
    timeml_value,
    week_start,
)
from sitrep.model import DateRange

# Sunday 29 March 2020 (the Press TV seed's earliest possible publication day).
SUNDAY = DateRange(date(2020, 3, 29), date(2020, 3, 29))
# A Wednesday anchor, to see weekday arithmetic away from the anchor's own weekday.
WEDNESDAY = DateRange(date(2020, 4, 1), date(2020, 4, 1))
RANGE = DateRange(date(2020, 3, 29), date(2020, 4, 6), inferred=True)


@pytest.mark.parametrize(
    "expr, anchor, start, end, precision",
    [
        ("Sunday", SUNDAY, date(2020, 3, 29), date(2020, 3, 29), "day"),
        ("Sunday", WEDNESDAY, date(2020, 3, 29), date(2020, 3, 29), "day"),
        ("on Friday", WEDNESDAY, date(2020, 3, 27), date(2020, 3, 27), "day"),
        ("last Friday", SUNDAY, date(2020, 3, 27), date(2020, 3, 27), "day"),
        ("last week", WEDNESDAY, date(2020, 3, 22), date(2020, 3, 28), "week"),
        ("in January", WEDNESDAY, date(2020, 1, 1), date(2020, 1, 31), "month"),
        ("in November", WEDNESDAY, date(2019, 11, 1), date(2019, 11, 30), "month"),
        ("at the beginning of the year", WEDNESDAY, date(2020, 1, 1), date(2020, 2, 29), "month"),
        ("the end of last year", WEDNESDAY, date(2019, 11, 1), date(2019, 12, 31), "month"),
        ("Back in the end of last year", WEDNESDAY, date(2019, 11, 1), date(2019, 12, 31), "month"),
        ("over the past few weeks", WEDNESDAY, date(2020, 3, 11), date(2020, 4, 1), "week"),
        ("the past few months", WEDNESDAY, date(2020, 1, 1), date(2020, 4, 1), "month"),
        ("recent months", WEDNESDAY, date(2020, 1, 1), date(2020, 4, 1), "month"),
        ("March 29, 2020", WEDNESDAY, date(2020, 3, 29), date(2020, 3, 29), "day"),
        ("29 March 2020", None, date(2020, 3, 29), date(2020, 3, 29), "day"),
        ("2019", WEDNESDAY, date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("in 2019", None, date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("yesterday", WEDNESDAY, date(2020, 3, 31), date(2020, 3, 31), "day"),
        ("today", WEDNESDAY, date(2020, 4, 1), date(2020, 4, 1), "day"),
        ("earlier this month", WEDNESDAY, date(2020, 4, 1), date(2020, 4, 1), "month"),
        ("earlier this month", SUNDAY, date(2020, 3, 1), date(2020, 3, 29), "month"),
        ("last month", WEDNESDAY, date(2020, 3, 1), date(2020, 3, 31), "month"),
        ("this year", WEDNESDAY, date(2020, 1, 1), date(2020, 12, 31), "year"),
        ("two weeks ago", WEDNESDAY, date(2020, 3, 15), date(2020, 3, 21), "week"),
        ("Jan. 8", WEDNESDAY, date(2020, 1, 8), date(2020, 1, 8), "day"),
        ("December 30", WEDNESDAY, date(2019, 12, 30), date(2019, 12, 30), "day"),
        ("June last year", WEDNESDAY, date(2019, 6, 1), date(2019, 6, 30), "month"),
        ("January this year", WEDNESDAY, date(2020, 1, 1), date(2020, 1, 31), "month"),
        ("mid-1996", None, date(1996, 1, 1), date(1996, 12, 31), "year"),
    ],
)
def test_expressions_resolve_against_publication(expr, anchor, start, end, precision):
    span = normalise_time(expr, anchor)
    assert (span.start, span.end, span.precision) == (start, end, precision)
    assert span.text == expr


def test_range_anchor_gives_the_union_of_both_readings():
    # "Sunday" read on 29 March is that day; read on Monday 6 April it is 5 April.
    span = normalise_time("Sunday", RANGE)
    assert (span.start, span.end, span.precision) == (date(2020, 3, 29), date(2020, 4, 5), "day")
    assert span.inferred_publication is True
    week = normalise_time("last week", RANGE)
    assert (week.start, week.end) == (date(2020, 3, 22), date(2020, 4, 4))
    assert normalise_time("in January", RANGE).end == date(2020, 1, 31)


def test_relative_expressions_without_anchor_stay_unknown():
    for expr in ("Sunday", "last week", "at the beginning of the year", "recent months"):
        span = normalise_time(expr, None)
        assert span.start is None and span.end is None and span.precision == "unknown"
        assert span.text == expr
    assert normalise_time("March 29, 2020", None).start == date(2020, 3, 29)


def test_unparseable_expression_is_unknown():
    span = normalise_time("in due course", SUNDAY)
    assert span.precision == "unknown" and span.start is None


def test_before_publication():
    span = before_publication(RANGE)
    assert span.start is None and span.end == date(2020, 4, 6)
    assert span.precision == "before_publication" and span.inferred_publication
    assert before_publication(None).precision == "unknown"


def test_find_time_expressions_spans_are_exact():
    text = (
        "Almaalomah said Sunday that planes had landed. The New York Times reported on Friday "
        "that strikes over the past few months hit bases in January, and at the end of last "
        "year 2019 protests began on March 29, 2020. Troops may leave."
    )
    found = find_time_expressions(text)
    got = [t for _s, _e, t in found]
    for s, e, t in found:
        assert text[s:e] == t
    assert "Sunday" in got and "on Friday" in got and "on March 29, 2020" in got
    assert "over the past few months" in got and "in January" in got
    assert any("end of last" in g for g in got)
    assert not any(g.strip().lower() == "may" for g in got)  # the modal is not a month


def test_week_starts_on_sunday():
    assert week_start(date(2020, 4, 1)) == date(2020, 3, 29)
    assert week_start(date(2020, 3, 29)) == date(2020, 3, 29)


def test_timeml_values():
    assert timeml_value(normalise_time("March 29, 2020", None)) == "2020-03-29"
    assert timeml_value(normalise_time("in January", WEDNESDAY)) == "2020-01"
    assert timeml_value(normalise_time("2019", None)) == "2019"
    assert timeml_value(normalise_time("last week", WEDNESDAY)) == "2020-W13"
    assert timeml_value(normalise_time("recent months", WEDNESDAY)) is None


@pytest.mark.parametrize("expr", ["32", "44", "7", " 32,"])
def test_bare_numbers_are_never_dates(expr):
    """An age or a count ("Tays, 32,", "attacks kill 44") tagged DATE by the NER is not a year."""
    span = normalise_time(expr, DateRange(date(2020, 5, 1), date(2020, 5, 1)))
    assert span.precision == "unknown" and span.start is None
    assert normalise_time("1932", None).start == date(1932, 1, 1)  # a written year still is one


def test_age_next_to_a_name_does_not_date_the_event():
    from sitrep.events.extract import extract_events
    from sitrep.events.stage import load_nlp
    from sitrep.model import Article, OffsetMap

    text = "Police arrested Christopher L. Tays, 32, of Wichita after the shooting."
    published = DateRange(date(2020, 5, 1), date(2020, 5, 1))
    article = Article(id="a", source_path="t", text=text, original=text, offsets=OffsetMap(), published=published)
    arrest = next(e for e in extract_events(article, load_nlp()(text)) if e.type == "arrest")
    assert arrest.time.start is None or arrest.time.start.year == 2020
    assert arrest.time.end == date(2020, 5, 1)
