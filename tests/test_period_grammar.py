"""The period grammar people already speak, on fixed days: `mtd`, `ytd`, `7d`, `last N days`,
month names, `YYYY-MM`, D/M or M/D as the team's locale writes days, and ranges of any two;
every shape the help shows parses, and no text crashes the parser."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kpi.query import readings
from bot.kpi.usage import period_argument
from bot.shared.periods import (
    MAX_RANGE_DAYS,
    MONTHS,
    PERIOD_WORDS,
    PeriodError,
    month_first,
    parse_period,
    period_forms,
)
from bot.shared.report_periods import parse_report_days, parse_since, parse_window
from storage.errors import UserError

THURSDAY = date(2026, 11, 19)
D = date


@pytest.mark.parametrize(
    ("words", "start", "end", "label", "to_date"),
    [
        ("today", D(2026, 11, 19), D(2026, 11, 19), "today", True),
        ("yesterday", D(2026, 11, 18), D(2026, 11, 18), "yesterday", False),
        ("this week", D(2026, 11, 16), D(2026, 11, 19), "this week", True),
        ("last week", D(2026, 11, 9), D(2026, 11, 15), "last week", False),
        ("This Month", D(2026, 11, 1), D(2026, 11, 19), "this month", True),
        ("mtd", D(2026, 11, 1), D(2026, 11, 19), "month to date", True),
        ("month to date", D(2026, 11, 1), D(2026, 11, 19), "month to date", True),
        ("last month", D(2026, 10, 1), D(2026, 10, 31), "last month", False),
        ("YTD", D(2026, 1, 1), D(2026, 11, 19), "year to date", True),
        ("7d", D(2026, 11, 12), D(2026, 11, 18), "last 7 days", False),
        ("last 7 days", D(2026, 11, 12), D(2026, 11, 18), "last 7 days", False),
        ("past 30 days", D(2026, 10, 20), D(2026, 11, 18), "last 30 days", False),
        ("30 days", D(2026, 10, 20), D(2026, 11, 18), "last 30 days", False),
        ("1d", D(2026, 11, 18), D(2026, 11, 18), "yesterday", False),
        ("nov", D(2026, 11, 1), D(2026, 11, 19), "November 2026", True),
        ("November", D(2026, 11, 1), D(2026, 11, 19), "November 2026", True),
        ("oct", D(2026, 10, 1), D(2026, 10, 31), "October 2026", False),
        ("Sept", D(2026, 9, 1), D(2026, 9, 30), "September 2026", False),
        ("dec", D(2025, 12, 1), D(2025, 12, 31), "December 2025", False),
        ("nov 2025", D(2025, 11, 1), D(2025, 11, 30), "November 2025", False),
        ("2026-11", D(2026, 11, 1), D(2026, 11, 19), "November 2026", True),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "February 2026", False),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "February 2024", False),
        ("2026-11-02", D(2026, 11, 2), D(2026, 11, 2), "", False),
        ("11/2", D(2026, 11, 2), D(2026, 11, 2), "", False),
        ("12/25", D(2025, 12, 25), D(2025, 12, 25), "", False),  # not yet this year
        ("2/29/2024", D(2024, 2, 29), D(2024, 2, 29), "", False),
        ("2026-11-02 - 2026-11-08", D(2026, 11, 2), D(2026, 11, 8), "", False),
        ("2026-11-02 to 2026-11-08", D(2026, 11, 2), D(2026, 11, 8), "", False),
        ("2026-11-02–2026-11-08", D(2026, 11, 2), D(2026, 11, 8), "", False),
        ("sep..oct", D(2026, 9, 1), D(2026, 10, 31), "", False),
        ("last week to yesterday", D(2026, 11, 9), D(2026, 11, 18), "", False),
        ("sep - today", D(2026, 9, 1), D(2026, 11, 19), "", True),
        ("11/2 to 11/8", D(2026, 11, 2), D(2026, 11, 8), "", False),
    ],
)
def test_each_form_on_a_fixed_day(
    words: str, start: date, end: date, label: str, to_date: bool
) -> None:
    period = parse_period(words, THURSDAY)
    assert (period.start, period.end, period.label, period.to_date) == (start, end, label, to_date)
    assert period.is_today == (words == "today")


@pytest.mark.parametrize(
    ("today", "words", "start", "end", "to_date"),
    [
        (D(2026, 1, 15), "january", D(2026, 1, 1), D(2026, 1, 15), True),
        (D(2026, 1, 15), "december", D(2025, 12, 1), D(2025, 12, 31), False),
        (D(2026, 1, 15), "jan 2025", D(2025, 1, 1), D(2025, 1, 31), False),
        (D(2026, 1, 1), "jan", D(2026, 1, 1), D(2026, 1, 1), True),
        (D(2026, 1, 1), "ytd", D(2026, 1, 1), D(2026, 1, 1), True),
        (D(2026, 1, 1), "12/31", D(2025, 12, 31), D(2025, 12, 31), False),
        (D(2026, 1, 1), "last month", D(2025, 12, 1), D(2025, 12, 31), False),
        (D(2026, 11, 30), "nov", D(2026, 11, 1), D(2026, 11, 30), True),
        (D(2026, 3, 1), "feb", D(2026, 2, 1), D(2026, 2, 28), False),
    ],
)
def test_month_names_at_the_turn_of_the_year(
    today: date, words: str, start: date, end: date, to_date: bool
) -> None:
    period = parse_period(words, today)
    assert (period.start, period.end, period.to_date) == (start, end, to_date)


@pytest.mark.parametrize(
    ("locale", "first"), [("en_US", True), ("en_PH", True), ("ja_JP", True), ("en_GB", False),
                          ("de_DE", False), ("fr_FR", False), ("id_ID", False), ("xx_XX", False)],
)  # fmt: skip
def test_the_locale_says_whether_the_month_comes_first(locale: str, first: bool) -> None:
    assert month_first(locale) is first


@pytest.mark.parametrize(
    ("words", "locale", "day"),
    [
        ("3/4", "en_US", D(2026, 3, 4)),
        ("3/4", "de_DE", D(2026, 4, 3)),
        ("3/4", "en_GB", D(2026, 4, 3)),
        ("25/11/2025", "en_GB", D(2025, 11, 25)),
        ("19/11", "de_DE", D(2026, 11, 19)),
        ("20/11", "de_DE", D(2025, 11, 20)),  # tomorrow: last year's
    ],
)
def test_day_and_month_as_the_team_writes_them(words: str, locale: str, day: date) -> None:
    period = parse_period(words, THURSDAY, locale)
    assert (period.start, period.end) == (day, day)


@pytest.mark.parametrize(
    ("words", "locale", "message"),
    [
        ("25/11", "en_US", "not a date as en_US writes them (M/D, such as `11/25`)"),
        ("11/25", "de_DE", "not a date as de_DE writes them (D/M, such as `25/11`)"),
        ("2/29", "en_US", "not a date on the calendar"),
        ("2026-13", "en_US", "not a date on the calendar"),
        ("1899-12-31", "en_US", "not a date on the calendar"),
        ("last 0 days", "en_US", "Ask for 1 to 732 days"),
        (f"{MAX_RANGE_DAYS + 1}d", "en_US", "Ask for 1 to 732 days"),
        ("nov..sep", "en_US", "ends before it starts: try `sep..nov`"),
        ("2024-01..2026-11", "en_US", "longer than two years"),
        ("2026-02-30 to 2026-03-02", "en_US", "not a date on the calendar"),
        ("fortnight", "en_US", "I don't know the period `fortnight`"),
        ("sep to fortnight", "en_US", "I don't know the period `sep to fortnight`"),
    ],
)
def test_wrong_periods_say_why(words: str, locale: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(words, THURSDAY, locale)


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "ja_JP"])
def test_every_example_the_help_shows_parses(locale: str) -> None:
    argument = period_argument(locale)
    shapes = [form.usage for form in period_forms(locale)]
    assert argument.choices == tuple(shapes)
    help_text = argument.help()
    for form in period_forms(locale):
        assert form.examples, form.usage
        for example in form.examples:
            assert f"`{example}`" in help_text
            parse_period(example, THURSDAY, locale)
    for word in argument.typed_examples():
        if word not in shapes or word in PERIOD_WORDS:  # not a placeholder such as `Nd`
            parse_period(word, THURSDAY, locale)


days_back = st.integers(min_value=1, max_value=MAX_RANGE_DAYS)
any_day = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
month_word = st.sampled_from([*MONTHS, *(m[:3] for m in MONTHS), "sept"])


def _as_typed(draw: st.DrawFn) -> str:
    """One period in any of the shapes the help shows, with random numbers and names."""
    shape = draw(st.sampled_from(["word", "Nd", "days", "month", "year-month", "iso", "slash"]))
    if shape == "word":
        return draw(st.sampled_from([w for f in period_forms() for w in f.examples[:2]][:12]))
    if shape == "Nd":
        return f"{draw(days_back)}d"
    if shape == "days":
        return f"{draw(st.sampled_from(['last', 'past', 'Last']))} {draw(days_back)} days"
    if shape == "month":
        year = draw(st.one_of(st.just(""), st.integers(1990, 2090).map(lambda y: f" {y}")))
        return draw(month_word).capitalize() + year
    day = draw(any_day)
    if shape == "year-month":
        return f"{day:%Y-%m}"
    if shape == "iso":
        return day.isoformat()
    return f"{day.month}/{day.day}/{day.year}"


@st.composite
def typed_period(draw: st.DrawFn) -> str:
    first = _as_typed(draw)
    if not draw(st.booleans()):
        return first
    separator = draw(st.sampled_from(["..", " - ", " to ", "–", " – "]))
    return first + separator + _as_typed(draw)


@settings(max_examples=400, deadline=None)
@given(words=typed_period(), today=any_day)
def test_every_shape_parses_or_says_why(words: str, today: date) -> None:
    try:
        period = parse_period(words, today)
    except PeriodError as error:  # a range backwards or too long, a month not begun
        assert any(
            reason in error.message
            for reason in ("ends before it starts", "longer than two years", "on the calendar")
        ), (words, error.message)
        return
    assert period.start <= period.end
    assert 1 <= period.days <= MAX_RANGE_DAYS
    if period.to_date:
        assert period.end == today


@settings(max_examples=300, deadline=None)
@given(words=typed_period())
def test_a_typed_period_is_read_the_same_inside_a_query(words: str) -> None:
    try:
        alone = parse_period(words, THURSDAY)
    except UserError:
        return
    found = readings(f"{words} category:Home & Living", THURSDAY)
    assert found.queries[0].period == alone
    assert found.queries[0].category == "Home & Living"


@settings(max_examples=200, deadline=None)
@given(words=typed_period())
def test_full_after_a_typed_period_is_a_switch(words: str) -> None:
    try:
        alone = parse_period(words, THURSDAY)
    except UserError:
        return
    for text in (f"{words} full category:Home & Living", f"{words} category:Home & Living FULL"):
        first = readings(text, THURSDAY, full_switch=True).queries[0]
        assert (first.period, first.category, first.words, first.full) == (
            alone,
            "Home & Living",
            "",
            True,
        ), text


@pytest.mark.parametrize(
    ("text", "label", "category", "seller"),
    [
        ("today full", "today", None, None),
        ("full", "today", None, None),
        ("Full today", "today", None, None),
        ("last week full", "last week", None, None),
        ("week category:Kitchenware full", "this week", "Kitchenware", None),
        ("category:Kitchenware week full", "this week", "Kitchenware", None),
        ("today full category:Küche & Tisch", "today", "Küche & Tisch", None),
        ("2026-11-01..2026-11-15 full seller:Café & Co.", "", None, "Café & Co."),
        ("seller:Café & Co. 2026-11-10 full", "", None, "Café & Co."),
    ],
)
def test_full_is_read_wherever_the_period_may_stand(
    text: str, label: str, category: str | None, seller: str | None
) -> None:
    """`full` never reaches the names: the first reading has it as the switch, no bare words."""
    first = readings(text, THURSDAY, full_switch=True).queries[0]
    assert (first.full, first.words, first.period.label) == (True, "", label)
    assert (first.category, first.seller) == (category, seller)


def test_without_the_switch_full_is_a_word_and_a_name_with_it_is_read_as_typed() -> None:
    assert readings("today full", THURSDAY).queries[0].words == "full"
    found = readings("seller:Mond Full", THURSDAY, full_switch=True).queries
    assert [(q.seller, q.full) for q in found] == [("Mond", True), ("Mond Full", False)]
    fully = readings("seller:Fully Booked", THURSDAY, full_switch=True).queries
    assert [(q.seller, q.full) for q in fully] == [("Fully Booked", False)]


grammar_bits = st.sampled_from(
    ["last", "past", "to", "..", "-", "–", "/", "nov", "2026", "13", "0", "99999999999", "d",
     "days", "week", "month", "ytd", "category:", "seller:", "`", "<", "&", "ß", "Ⅻ", "٣", "\x00"]
)  # fmt: skip
noise = st.one_of(
    st.text(max_size=40),
    st.lists(grammar_bits, max_size=8).map(" ".join),
    st.lists(grammar_bits, max_size=8).map("".join),
)


@settings(max_examples=600, deadline=None)
@given(text=noise, today=any_day, locale=st.sampled_from(["en_US", "de_DE", "xx"]))
def test_no_text_crashes_the_parsers(text: str, today: date, locale: str) -> None:
    for parse in (
        lambda: parse_period(text, today, locale),
        lambda: readings(text, today, locale),
        lambda: readings(text, today, locale, full_switch=True),
        lambda: parse_window(text, today, locale=locale),
        lambda: parse_since(text, today, locale=locale),
        lambda: parse_report_days(text, today, locale=locale),
    ):
        with contextlib.suppress(UserError):
            parse()


def test_feedback_speaks_the_same_periods() -> None:
    today = D(2026, 12, 3)  # a Thursday
    assert parse_window("today", today) == 1
    assert parse_window("this week", today) == 4
    assert parse_window("last 14 days", today) == 14
    assert parse_since("last month", today) == D(2026, 11, 1)
    assert parse_since("nov", today) == D(2026, 11, 1)
    assert parse_since("week", today) == D(2026, 11, 30)  # the calendar week's Monday
    assert parse_since("month", today) == D(2026, 12, 1)
    assert parse_since("7d", today) == D(2026, 11, 26)
    # week and month: the calendar ones, to yesterday (the latest complete day), as /kpi.
    yesterday = today - timedelta(days=1)
    assert parse_report_days("", today) == (D(2026, 11, 30), yesterday)
    assert parse_report_days("week", today) == (D(2026, 11, 30), yesterday)
    assert parse_report_days("month", today) == (D(2026, 12, 1), yesterday)
    assert parse_report_days("mtd", today) == (D(2026, 12, 1), yesterday)
    assert parse_report_days("7d", today) == (D(2026, 11, 26), yesterday)  # rolling
    assert parse_report_days("30d", today) == (D(2026, 11, 3), yesterday)
    assert parse_report_days("today", today) == (today, today)
    assert parse_report_days("last month", today) == (D(2026, 11, 1), D(2026, 11, 30))
    # On a Monday the week is the one just ended; on the 1st, the month just ended.
    assert parse_report_days("week", D(2026, 12, 7)) == (D(2026, 11, 30), D(2026, 12, 6))
    assert parse_report_days("month", D(2026, 12, 1)) == (D(2026, 11, 1), D(2026, 11, 30))
    with pytest.raises(UserError, match="has not begun yet"):
        parse_since("2027-01", today)
    with pytest.raises(UserError, match="`fortnight` is not a period"):
        parse_report_days("fortnight", today)
