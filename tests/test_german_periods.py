"""German periods and dates wherever a period or a day is typed (issue 26): `27.11.2026`,
`27.11.`, `KW 48`, `letzte Woche`, `seit dem 1.11.`, `Dez.`, `4. Quartal`, and more English
forms (`Q4`, `week 48`, `since monday`, `last 2 weeks`, `nov 1 - nov 15`, `yoy`), in the one
grammar, whatever the team's locale; the German and English spellings of a random day, week or
month read as the ISO form does, and hostile text is refused in words, never by a crash."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.creators.levels import month_of
from bot.kpi.usage import period_argument
from bot.shared.note_text import parse_follow_up
from bot.shared.periods import (
    FORMS,
    LANGUAGES,
    MAX_RANGE_DAYS,
    Period,
    PeriodError,
    UnknownPeriod,
    iso_weeks,
    parse_day,
    parse_period,
    period_forms,
    year_earlier,
)
from bot.shared.report_periods import parse_report_days, parse_since, parse_window
from storage.errors import UserError

D = date
MONDAY = D(2026, 12, 7)  # Monday of KW 50
THURSDAY = D(2026, 11, 19)  # Thursday of KW 47
LOCALES = ["en_US", "de_DE", "en_GB"]
USAGE = "/feedback @handle <note> [follow-up:YYYY-MM-DD]"

GERMAN_MONTHS = {
    1: ["Januar", "Jan", "Jan.", "Jänner"],
    2: ["Februar", "Feb", "Feb."],
    3: ["März", "Maerz", "Marz", "Mrz", "Mrz."],
    4: ["April", "Apr", "Apr."],
    5: ["Mai"],
    6: ["Juni", "Jun"],
    7: ["Juli", "Jul"],
    8: ["August", "Aug."],
    9: ["September", "Sep", "Sept."],
    10: ["Oktober", "Okt", "Okt."],
    11: ["November", "Nov", "Nov."],
    12: ["Dezember", "Dez", "Dez."],
}
ENGLISH_MONTHS = {
    n: [name, name[:3], name[:3] + "."]
    for n, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"], 1)
}  # fmt: skip


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        # German days: with the year, short (the last one), two-digit year
        ("27.11.2026", D(2026, 11, 27), D(2026, 11, 27)),
        ("27.11.", D(2026, 11, 27), D(2026, 11, 27)),
        ("7.12.", D(2026, 12, 7), D(2026, 12, 7)),  # today
        ("8.12.", D(2025, 12, 8), D(2025, 12, 8)),  # tomorrow: last year's
        ("27.11.26", D(2026, 11, 27), D(2026, 11, 27)),
        ("01.02.2024", D(2024, 2, 1), D(2024, 2, 1)),
        ("29.02.2024", D(2024, 2, 29), D(2024, 2, 29)),
        # German ranges: -, –, bis, vom … bis
        ("01.11.2026 - 15.11.2026", D(2026, 11, 1), D(2026, 11, 15)),
        ("01.11.2026–15.11.2026", D(2026, 11, 1), D(2026, 11, 15)),
        ("1.11.-15.11.", D(2026, 11, 1), D(2026, 11, 15)),
        ("1.11. bis 15.11.", D(2026, 11, 1), D(2026, 11, 15)),
        ("vom 1.11. bis 15.11.", D(2026, 11, 1), D(2026, 11, 15)),
        ("Vom 1.11. BIS 15.11.2026", D(2026, 11, 1), D(2026, 11, 15)),
        ("20.12.2025 bis 5.1.2026", D(2025, 12, 20), D(2026, 1, 5)),
        ("KW 45 bis KW 47", D(2026, 11, 2), D(2026, 11, 22)),
        # ISO calendar weeks
        ("KW 48", D(2026, 11, 23), D(2026, 11, 29)),
        ("KW48", D(2026, 11, 23), D(2026, 11, 29)),
        ("kw 48", D(2026, 11, 23), D(2026, 11, 29)),
        ("Woche 48", D(2026, 11, 23), D(2026, 11, 29)),
        ("KW 48 2025", D(2025, 11, 24), D(2025, 11, 30)),
        ("KW 48/2025", D(2025, 11, 24), D(2025, 11, 30)),
        ("KW 1", D(2025, 12, 29), D(2026, 1, 4)),  # ISO week 1 of 2026 starts in 2025
        ("KW 50", D(2026, 12, 7), D(2026, 12, 7)),  # this week: to today
        ("KW 51", D(2025, 12, 15), D(2025, 12, 21)),  # not begun: last year's
        ("KW 53 2026", D(2026, 12, 28), D(2027, 1, 3)),
        ("week 48", D(2026, 11, 23), D(2026, 11, 29)),
        ("wk 48", D(2026, 11, 23), D(2026, 11, 29)),
        ("Week 48 2025", D(2025, 11, 24), D(2025, 11, 30)),
        ("2025-W48", D(2025, 11, 24), D(2025, 11, 30)),
        # German words
        ("heute", D(2026, 12, 7), D(2026, 12, 7)),
        ("gestern", D(2026, 12, 6), D(2026, 12, 6)),
        ("vorgestern", D(2026, 12, 5), D(2026, 12, 5)),
        ("diese Woche", D(2026, 12, 7), D(2026, 12, 7)),
        ("letzte Woche", D(2026, 11, 30), D(2026, 12, 6)),
        ("vorige Woche", D(2026, 11, 30), D(2026, 12, 6)),
        ("dieser Monat", D(2026, 12, 1), D(2026, 12, 7)),
        ("letzter Monat", D(2026, 11, 1), D(2026, 11, 30)),
        ("voriger Monat", D(2026, 11, 1), D(2026, 11, 30)),
        ("dieses Jahr", D(2026, 1, 1), D(2026, 12, 7)),
        ("letztes Jahr", D(2025, 1, 1), D(2025, 12, 31)),
        ("last year", D(2025, 1, 1), D(2025, 12, 31)),
        ("seit Montag", D(2026, 12, 7), D(2026, 12, 7)),
        ("seit Sonntag", D(2026, 12, 6), D(2026, 12, 7)),
        ("seit Dienstag", D(2026, 12, 1), D(2026, 12, 7)),
        ("seit dem 1.11.", D(2026, 11, 1), D(2026, 12, 7)),
        ("ab 1.11.2026", D(2026, 11, 1), D(2026, 12, 7)),
        ("since monday", D(2026, 12, 7), D(2026, 12, 7)),
        ("since Friday", D(2026, 12, 4), D(2026, 12, 7)),
        ("since nov 1", D(2026, 11, 1), D(2026, 12, 7)),
        ("letzte 7 Tage", D(2026, 11, 30), D(2026, 12, 6)),
        ("letzten 14 Tage", D(2026, 11, 23), D(2026, 12, 6)),
        ("letzten 14 Tagen", D(2026, 11, 23), D(2026, 12, 6)),
        ("last 2 weeks", D(2026, 11, 23), D(2026, 12, 6)),
        ("letzte 2 Wochen", D(2026, 11, 23), D(2026, 12, 6)),
        ("last 3 months", D(2026, 9, 1), D(2026, 11, 30)),
        ("letzten 3 Monate", D(2026, 9, 1), D(2026, 11, 30)),
        # months, German and English
        ("Dezember", D(2026, 12, 1), D(2026, 12, 7)),
        ("Dez", D(2026, 12, 1), D(2026, 12, 7)),
        ("Dez.", D(2026, 12, 1), D(2026, 12, 7)),
        ("März", D(2026, 3, 1), D(2026, 3, 31)),
        ("MAERZ", D(2026, 3, 1), D(2026, 3, 31)),
        ("Mrz", D(2026, 3, 1), D(2026, 3, 31)),
        ("Okt", D(2026, 10, 1), D(2026, 10, 31)),
        ("Oktober 2025", D(2025, 10, 1), D(2025, 10, 31)),
        ("november 2025", D(2025, 11, 1), D(2025, 11, 30)),
        # quarters
        ("Q4", D(2026, 10, 1), D(2026, 12, 7)),
        ("q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("4. Quartal", D(2026, 10, 1), D(2026, 12, 7)),
        ("Q4 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Q2/2025", D(2025, 4, 1), D(2025, 6, 30)),
        ("2. Quartal 2025", D(2025, 4, 1), D(2025, 6, 30)),
        # English days with a month name, and their ranges
        ("nov 1 - nov 15", D(2026, 11, 1), D(2026, 11, 15)),
        ("1 nov - 15 nov", D(2026, 11, 1), D(2026, 11, 15)),
        ("November 27, 2025", D(2025, 11, 27), D(2025, 11, 27)),
        ("27th nov", D(2026, 11, 27), D(2026, 11, 27)),
        ("27. November 2026", D(2026, 11, 27), D(2026, 11, 27)),
        ("from nov 1 to nov 15", D(2026, 11, 1), D(2026, 11, 15)),
        # the same period one year earlier
        ("yoy", D(2025, 12, 7), D(2025, 12, 7)),
        ("last month yoy", D(2025, 11, 1), D(2025, 11, 30)),
        ("KW 48 yoy", D(2025, 11, 24), D(2025, 11, 30)),
        ("KW 48 Vorjahr", D(2025, 11, 24), D(2025, 11, 30)),
        ("letzte Woche im Vorjahr", D(2025, 12, 1), D(2025, 12, 7)),
        ("27.11.2026 yoy", D(2025, 11, 27), D(2025, 11, 27)),
        ("mtd yoy", D(2025, 12, 1), D(2025, 12, 7)),
        # ISO everywhere
        ("2026-11-27", D(2026, 11, 27), D(2026, 11, 27)),
    ],
)
def test_german_and_english_forms_on_a_fixed_day(
    words: str, start: date, end: date, locale: str
) -> None:
    period = parse_period(words, MONDAY, locale)
    assert (period.start, period.end) == (start, end), words


def test_labels_say_what_was_read() -> None:
    assert parse_period("KW 48", MONDAY).label == "week 48"
    assert parse_period("KW 48/2025", MONDAY).label == "week 48 2025"
    assert parse_period("letzte Woche", MONDAY).label == "last week"
    assert parse_period("Q4 2025", MONDAY).label == "Q4 2025"
    assert parse_period("seit dem 1.11.", MONDAY).label == "since Sun 01 Nov"
    assert parse_period("last month yoy", MONDAY).label == "last month, a year earlier"
    assert parse_period("heute", MONDAY).is_today
    week = parse_period("KW 50", MONDAY)  # this week: runs to today, as `week` does
    assert week == Period(MONDAY, MONDAY, "week 50", to_date=True, unit="week")


def test_only_the_slash_form_follows_the_locale() -> None:
    assert parse_period("3/4", THURSDAY, "en_US").start == D(2026, 3, 4)
    assert parse_period("3/4", THURSDAY, "de_DE").start == D(2026, 4, 3)
    for locale in LOCALES:
        assert parse_period("3.4.", THURSDAY, locale).start == D(2026, 4, 3)
        assert parse_period("apr 3", THURSDAY, locale).start == D(2026, 4, 3)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("31.02.", "`31.02.` is not a date on the calendar"),
        ("29.02.2025", "not a date on the calendar"),
        ("31.04.2026", "not a date on the calendar"),
        ("1.13.2026", "not a date on the calendar"),
        ("00.00.", "not a date on the calendar"),
        ("KW 54", "`kw 54` is not a calendar week: weeks run 1 to 53"),
        ("KW 0", "is not a calendar week"),
        ("KW 53 2025", "`kw 53 2025` is not a calendar week: weeks run 1 to 52"),
        ("week 99999999", "is not a calendar week"),
        ("last 0 weeks", "Ask for 1 to 104 weeks"),
        ("letzte 999999999 Monate", "Ask for 1 to 24 months"),
        ("letzte 0 Tage", "Ask for 1 to 732 days"),
        ("seit dem 31.12.2099", "has not begun yet"),
        ("15.11. bis 1.11.", "ends before it starts: try `1.11...15.11.`"),
        ("Q5", "I don't know the period `q5`"),
        ("Brückentag", "I don't know the period `brückentag`"),
    ],
)
def test_impossible_dates_and_weeks_say_why(words: str, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(words, MONDAY, "de_DE")
    assert message in raised.value.message


# --- property tests: every spelling of a random day, week or month reads as the ISO form ----

past_day = st.dates(min_value=D(1990, 1, 1), max_value=D(2098, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=past_day, later=st.integers(0, 400), locale=st.sampled_from(LOCALES))
def test_a_day_in_every_spelling_reads_as_its_iso_form(day: date, later: int, locale: str) -> None:
    today = day + timedelta(days=later)
    iso = parse_period(day.isoformat(), today, locale)
    german = GERMAN_MONTHS[day.month][0]
    english = ENGLISH_MONTHS[day.month][0]
    spellings = [
        f"{day:%d.%m.%Y}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day}. {german} {day.year}",
        f"{english} {day.day}, {day.year}",
        f"{day.day} {ENGLISH_MONTHS[day.month][1]} {day.year}",
    ]
    if 2000 <= day.year <= 2099:
        spellings.append(f"{day:%d.%m.%y}")
    if later < 365 and (day.month, day.day) != (2, 29):  # short forms: the last such day
        spellings += [f"{day:%d.%m.}", f"{day.day}.{day.month}.", f"{english} {day.day}"]
    for words in spellings:
        assert parse_period(words, today, locale) == iso, words
    assert iso == Period(day, day, "", unit="day")


@settings(max_examples=300, deadline=None)
@given(year=st.integers(1990, 2098), week=st.integers(1, 53), locale=st.sampled_from(LOCALES))
def test_a_calendar_week_is_the_iso_week_in_every_spelling(
    year: int, week: int, locale: str
) -> None:
    today = D(2099, 6, 1)
    if week > iso_weeks(year):
        with pytest.raises(PeriodError, match="is not a calendar week"):
            parse_period(f"KW {week}/{year}", today, locale)
        return
    period = parse_period(f"{year}-W{week:02d}", today, locale)
    for words in (f"KW {week} {year}", f"KW{week}/{year}", f"kw {week} {year}",
                  f"Woche {week} {year}", f"week {week} {year}", f"wk {week} {year}"):  # fmt: skip
        assert parse_period(words, today, locale) == period, words
    assert period.start.isocalendar() == (year, week, 1)
    assert period.end.isocalendar() == (year, week, 7)
    assert period.days == 7 and period.unit == "week"


@settings(max_examples=200, deadline=None)
@given(today=st.dates(min_value=D(1991, 1, 1), max_value=D(2098, 12, 31)), back=st.integers(0, 51))
def test_a_week_without_its_year_is_the_latest_one_begun(today: date, back: int) -> None:
    day = today - timedelta(weeks=back)
    year, week, _ = day.isocalendar()
    period = parse_period(f"KW {week}", today)
    assert period == parse_period(f"week {week}", today)
    assert period.start == date.fromisocalendar(year, week, 1)
    assert period.end == min(today, period.start + timedelta(days=6))


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1990, 2098), month=st.integers(1, 12), locale=st.sampled_from(LOCALES))
def test_a_month_in_every_spelling_reads_as_its_iso_form(
    year: int, month: int, locale: str
) -> None:
    today = D(2099, 1, 15)
    iso = parse_period(f"{year}-{month:02d}", today, locale)
    for name in (*GERMAN_MONTHS[month], *ENGLISH_MONTHS[month]):
        for words in (f"{name} {year}", f"{name.upper()} {year}", f"{name.lower()} {year}"):
            assert parse_period(words, today, locale) == iso, words
    quarter = (month - 1) // 3 + 1
    by_quarter = parse_period(f"Q{quarter} {year}", today, locale)
    assert by_quarter == parse_period(f"{quarter}. Quartal {year}", today, locale)
    assert by_quarter.start <= iso.start and iso.end <= by_quarter.end
    assert by_quarter.start == D(year, 3 * quarter - 2, 1)


@settings(max_examples=200, deadline=None)
@given(first=past_day, length=st.integers(0, 300))
def test_a_german_range_reads_as_the_iso_range(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    today = last + timedelta(days=3)
    iso = parse_period(f"{first}..{last}", today)
    for words in (f"{first:%d.%m.%Y} - {last:%d.%m.%Y}", f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}",
                  f"vom {first:%d.%m.%Y} bis {last:%d.%m.%Y}", f"{first:%d.%m.%Y}–{last:%d.%m.%Y}",
                  f"{first.day} {first:%b %Y} - {last.day} {last:%b %Y}"):  # fmt: skip
        assert parse_period(words, today) == iso, words


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(1991, 1, 1), max_value=D(2098, 12, 31)))
def test_a_year_earlier_is_the_same_dates_a_year_before(day: date) -> None:
    period = parse_period(f"{day} yoy", day + timedelta(days=1))
    before = day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else None
    assert period.start == (before or day.replace(year=day.year - 1))
    week = parse_period(f"KW {day.isocalendar().week} {day.isocalendar().year}", D(2099, 1, 1))
    earlier = year_earlier(week)
    assert earlier.start.isocalendar().year == day.isocalendar().year - 1
    assert earlier.start.weekday() == 0 and earlier.days == 7


# --- hostile, unicode and huge input: refused in words, never a crash ----------------------

hostile_bits = st.sampled_from(
    ["kw", "KW", "woche", "bis", "vom", "seit", "dem", "q", "quartal", "yoy", "vorjahr", ".",
     "..", "/", "-", "–", "31.02.", "27.11.", "99", "0", "54", "99999999999999999999", "ß",
     "ä", "Ä", "ü", "Ö", "\u0308", "\u202e", "\x00", "\n", "٣", "Ⅻ", "東京", "🚀", "`", "<!here>"]
)  # fmt: skip
hostile = st.one_of(
    st.text(max_size=40),
    st.lists(hostile_bits, max_size=10).map(" ".join),
    st.lists(hostile_bits, max_size=10).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(text=hostile, today=past_day, locale=st.sampled_from(["en_US", "de_DE", "xx"]))
def test_hostile_text_is_refused_in_words(text: str, today: date, locale: str) -> None:
    for parse in (
        lambda: parse_period(text, today, locale),
        lambda: parse_day(text, today, locale, ahead=True),
        lambda: parse_window(text, today, locale=locale),
        lambda: parse_since(text, today, locale=locale),
        lambda: parse_report_days(text, today, locale=locale),
        lambda: parse_follow_up(f"note follow-up:{text}", today, USAGE),
    ):
        with contextlib.suppress(UserError):
            parse()


@pytest.mark.parametrize(
    "text",
    [
        "KW 48 " * 2000,
        "1.11. bis " * 3000 + "15.11.",
        "- " * 5000,
        "9" * 10_000,
        "vom " * 3000 + "1.11.",
        "27.11.2026" + "\u0308" * 500,
        "Ｋｗ　４８",  # full-width: NFKC reads it as `kw 48`
    ],
)
def test_huge_input_is_quick_and_refused_or_read(text: str) -> None:
    try:
        period = parse_period(text, MONDAY)
    except UnknownPeriod:
        return
    assert period == parse_period("KW 48", MONDAY), text


def test_full_width_and_decomposed_umlauts_are_read() -> None:
    assert parse_period("Ｍａ\u0308rz", MONDAY) == parse_period("März", MONDAY)  # NFKC
    assert parse_period("vorige Woche", MONDAY) == parse_period("last week", MONDAY)


# --- every command reading a period or a day ----------------------------------------------


def test_reports_and_exports_read_german() -> None:
    today = D(2026, 12, 3)  # a Thursday
    assert parse_since("01.11.2026", today) == D(2026, 11, 1)
    assert parse_since("1.11.", today) == D(2026, 11, 1)
    assert parse_since("KW 45", today) == D(2026, 11, 2)
    assert parse_since("seit dem 1.11.", today) == D(2026, 11, 1)
    assert parse_since("letzter Monat", today) == D(2026, 11, 1)
    assert parse_window("letzte 14 Tage", today) == 14
    assert parse_window("diese Woche", today) == 4
    assert parse_window("heute", today) == 1
    assert parse_report_days("letzte Woche", today) == (D(2026, 11, 23), D(2026, 11, 29))
    assert parse_report_days("KW 48", today) == (D(2026, 11, 23), D(2026, 11, 29))
    assert parse_report_days("KW 49", today) == (D(2026, 11, 30), D(2026, 12, 2))  # to yesterday
    assert parse_report_days("1.11. bis 15.11.", today) == (D(2026, 11, 1), D(2026, 11, 15))
    with pytest.raises(UserError, match="has not begun yet"):
        parse_since("KW 53 2026", today)
    with pytest.raises(UserError, match=r"is not a start date: use a date such as `2026-11-01` or"):
        parse_since("Nikolaus", today)


@pytest.mark.parametrize(
    ("words", "first", "last"),
    [
        ("Dez.", D(2026, 12, 1), D(2026, 12, 7)),
        ("Oktober 2025", D(2025, 10, 1), D(2025, 10, 31)),
        ("letzter Monat", D(2026, 11, 1), D(2026, 11, 30)),
        ("Maerz", D(2026, 3, 1), D(2026, 3, 31)),
        ("27.11.2026", D(2026, 11, 1), D(2026, 11, 30)),
    ],
)
def test_creator_levels_read_german_months(words: str, first: date, last: date) -> None:
    assert month_of(words, MONDAY, "de_DE") == (first, last)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("10.12.2026", D(2026, 12, 10)),
        ("10.12.", D(2026, 12, 10)),
        ("3.12.", D(2026, 12, 3)),  # today
        ("2.12.", D(2027, 12, 2)),  # gone this year: the next one
        ("2026-12-10", D(2026, 12, 10)),
        ("morgen", D(2026, 12, 4)),
        ("Tomorrow", D(2026, 12, 4)),
        ("übermorgen", D(2026, 12, 5)),
        ("heute", D(2026, 12, 3)),
        ("Montag", D(2026, 12, 7)),
        ("dec 10", D(2026, 12, 10)),
        ("10. Dezember 2026", D(2026, 12, 10)),
    ],
)
def test_a_follow_up_reads_any_one_day(typed: str, day: date) -> None:
    today = D(2026, 12, 3)  # a Thursday
    assert parse_follow_up(f"Muster für Köln follow-up:{typed}", today, USAGE) == (
        "Muster für Köln",
        day,
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31.02.", "`31.02.` is not a date on the calendar"),
        ("01.12.2026", "The follow-up date 2026-12-01 is in the past"),
        ("gestern", "The follow-up date 2026-12-02 is in the past"),
        ("KW 50", "`KW 50` is not one day: write a date such as `10.12.2026`"),
        ("nächste Woche", "`nächste Woche` is not a date: write the follow-up as"),
        ("", "`nothing` is not a date"),
    ],
)
def test_a_follow_up_that_is_no_future_day_says_why(typed: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_follow_up(f"note follow-up:{typed}", D(2026, 12, 3), USAGE)
    assert message in raised.value.message


# --- the help: one table, shown in the reader's language, every example parses -------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_help_lists_the_table_in_either_language(language: str, locale: str) -> None:
    forms = period_forms(locale, language)  # type: ignore[arg-type]
    shown = [form for form in FORMS if form.listed]
    assert len(forms) == len(shown) + 1  # and the range
    for form in forms:
        for example in form.examples:
            parse_period(example, THURSDAY, locale)
    by_usage = {form.usage: form for form in forms}
    if language == "de":
        assert by_usage["KW N"].examples[:2] == ("KW 48", "KW48")
        assert by_usage["heute"].examples[0] == "heute"
        assert "TT.MM.JJJJ" in by_usage
    else:
        assert by_usage["week N"].examples[:2] == ("week 48", "wk 48")
        assert "KW 48" in by_usage["week N"].examples
        assert by_usage["today"].examples == ("today", "heute")


def test_each_form_has_both_languages_and_examples() -> None:
    for form in FORMS:
        assert set(form.usage) == set(form.patterns) == set(LANGUAGES), form.usage
        assert all(form.patterns[language] for language in LANGUAGES), form.usage
        assert form.examples["en"], form.usage


def test_the_kpi_help_shows_german_examples() -> None:
    help_text = period_argument("de_DE").help()
    for example in ("`KW 48`", "`letzte Woche`", "`27.11.2026`", "`Dez.`", "`4. Quartal`",
                    "`seit dem 1.11.`", "`1.11. bis 15.11.`", "`last month yoy`"):  # fmt: skip
        assert example in help_text, example


def test_a_long_range_is_still_refused() -> None:
    with pytest.raises(PeriodError, match="longer than two years"):
        parse_period("KW 1 2020 bis KW 1 2026", MONDAY)
    assert parse_period("Q1 2025 bis Q4 2026", D(2027, 1, 10)).days <= MAX_RANGE_DAYS


def test_a_follow_up_slash_day_follows_the_team_locale() -> None:
    today = D(2026, 12, 3)
    assert parse_follow_up("x follow-up:10/12", today, USAGE, "de_DE")[1] == D(2026, 12, 10)
    assert parse_follow_up("x follow-up:10/12", today, USAGE, "en_US")[1] == D(2027, 10, 12)
    assert parse_follow_up("x follow-up:10.12.", today, USAGE, "en_US")[1] == D(2026, 12, 10)


WEEKDAYS = [("monday", "Montag"), ("tuesday", "Dienstag"), ("wednesday", "Mittwoch"),
            ("thursday", "Donnerstag"), ("friday", "Freitag"), ("saturday", "Samstag"),
            ("sunday", "Sonntag")]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(today=past_day, weekday=st.integers(0, 6))
def test_since_a_weekday_is_the_latest_one_in_either_language(today: date, weekday: int) -> None:
    english, german = WEEKDAYS[weekday]
    period = parse_period(f"since {english}", today)
    assert period == parse_period(f"seit {german}", today) == parse_period(f"SEIT {german}", today)
    assert period.start.weekday() == weekday and 0 <= (today - period.start).days <= 6
    assert period.end == today and period.to_date
    ahead = parse_day(german, today, ahead=True)
    assert ahead.weekday() == weekday and 1 <= (ahead - today).days <= 7
