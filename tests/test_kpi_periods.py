"""Pure parsing of what people type after /kpi: periods and filters."""

from __future__ import annotations

from datetime import date

import pytest

from bot.kpi.query import parse_query
from bot.shared.periods import Period, PeriodError, parse_period
from storage.errors import UserError

TODAY = date(2026, 11, 19)  # a Thursday


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("", (2026, 11, 19), (2026, 11, 19)),
        ("today", (2026, 11, 19), (2026, 11, 19)),
        ("Yesterday", (2026, 11, 18), (2026, 11, 18)),
        ("week", (2026, 11, 16), (2026, 11, 19)),
        ("last  week", (2026, 11, 9), (2026, 11, 15)),
        ("month", (2026, 11, 1), (2026, 11, 19)),
        ("last month", (2026, 10, 1), (2026, 10, 31)),
        ("2026-02-28", (2026, 2, 28), (2026, 2, 28)),
        ("2024-02-29", (2024, 2, 29), (2024, 2, 29)),
        ("2026-01-01..2026-01-31", (2026, 1, 1), (2026, 1, 31)),
        ("2026-01-01 to 2026-03-01", (2026, 1, 1), (2026, 3, 1)),
    ],
)
def test_periods(words: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    period = parse_period(words, TODAY)
    assert (period.start, period.end) == (date(*start), date(*end))


def test_previous_and_trailing_windows() -> None:
    month = parse_period("last month", TODAY)
    assert (month.previous().start, month.previous().end) == (date(2026, 8, 31), date(2026, 9, 30))
    assert month.previous().days == month.days == 31
    day = parse_period("yesterday", TODAY)
    assert (day.trailing_week().start, day.trailing_week().end) == (
        date(2026, 11, 11),
        date(2026, 11, 17),
    )
    assert day.shifted(-7) == Period(date(2026, 11, 11), date(2026, 11, 11), "")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("fortnight", "I don't know the period"),
        ("2026-02-29", "not a date on the calendar"),
        ("2026-13-01", "not a date on the calendar"),
        ("2026-03-01..2026-01-01", "ends before it starts"),
        ("2020-01-01..2026-01-01", "longer than two years"),
        ("9999999999-01-01", "I don't know the period"),
    ],
)
def test_bad_periods(words: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(words, TODAY)


@pytest.mark.parametrize(
    ("text", "period_start", "category", "seller"),
    [
        ("last week category:Home & Living", (2026, 11, 9), "Home & Living", None),
        ("category:Home & Living last week", (2026, 11, 9), "Home & Living", None),
        ('category:"Personal Care" 2026-11-01', (2026, 11, 1), "Personal Care", None),
        ("seller:Casa Bonita yesterday", (2026, 11, 18), None, "Casa Bonita"),
        ("cat:Beauty seller:7495 today", (2026, 11, 19), "Beauty", "7495"),
        ("seller:Today Shop", (2026, 11, 19), None, "Today Shop"),
    ],
)
def test_filters_and_periods_in_any_order(
    text: str, period_start: tuple[int, int, int], category: str | None, seller: str | None
) -> None:
    query = parse_query(text, TODAY)
    assert (query.period.start, query.category, query.seller) == (
        date(*period_start),
        category,
        seller,
    )


def test_a_filter_given_twice_or_empty_is_refused() -> None:
    with pytest.raises(UserError, match="at most"):
        parse_query("category:A category:B", TODAY)
    with pytest.raises(UserError, match="needs a name"):
        parse_query("seller: today", TODAY)
