"""Periods people ask about, in the words they already use: `today`, `last week`, `mtd`, `7d`,
`last 30 days`, `nov`, `2026-11`, `2026-11-25`, `11/25`, and a range of any two of them.

Weeks run Monday to Sunday; `week`, `month`, `mtd` and `ytd` run up to today (`to_date`);
`last N days` (`7d`, `30d`) are the N days that end yesterday. Every command answers a week or
month to date up to its latest complete day (`through`): `/kpi` the latest day with KPI data,
the reports yesterday, so `week` is the same calendar week everywhere and each answer says its
dates. Every period has a previous period to compare
with, like for like: a week, month or year to date against the same number of days from the
start of the week, month or year before; any other period against the span of the same length
right before it. One grammar serves `/kpi`, `/kpi chart` and `/feedback`; `PERIOD_WORDS` and
`period_forms` declare it once for the usage and `/kpi help`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import get_date_format

from bot.replies import shown
from storage.errors import UserError
from storage.names import match_key

MAX_RANGE_DAYS = 2 * 366
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside are typos, and would overflow arithmetic
DEFAULT_LOCALE = "en_US"
# The fixed words, the default first; `period_forms` adds the shapes with numbers and names.
PERIOD_WORDS = ("today", "yesterday", "week", "last week", "month", "last month", "mtd", "ytd")
SAME_AS = {  # other words for a period word
    "this week": "week",
    "this month": "month",
    "month to date": "mtd",
    "year to date": "ytd",
}
DEFAULT_PERIOD = PERIOD_WORDS[0]
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_WORDS = {name: n for n, name in enumerate(MONTHS, 1)} | {
    name[:3]: n for n, name in enumerate(MONTHS, 1)
}
_MONTH_WORDS["sept"] = 9
_MONTH_NAME = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_LAST_DAYS = re.compile(r"(?:(?:last|past)\s+)?(\d{1,9})\s*(?:d|days?)")
_NAMED_MONTH = re.compile(rf"({_MONTH_NAME})\.?(?:\s+(\d{{4}}))?")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_RANGE = re.compile(r"\s*(?:\.\.|–|—)\s*|\s+(?:-|to)\s+")


class PeriodError(UserError):
    """The words are a period, but not one that can be shown; the message says why."""


class UnknownPeriod(PeriodError):
    """The words are no period at all (they may be something else, such as a name)."""


Unit = Literal["day", "week", "month", "year", "days"]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    is_today: bool = False
    """Asked for as today (or by default), so the answer may fall back to the latest day."""
    to_date: bool = False
    """Runs up to today: it ends at the latest day with data, re-anchored with `as_of`."""
    unit: Unit | None = None
    """What it is (part of): a day, a Monday-to-Sunday week, a month, a year, or a number of
    days that end on its last day (`last 7 days`)."""
    data_ends: date | None = None
    """The scope's last day with data, when its data stops inside the period (a seller that
    stopped reporting): the days after it are missing, not zero, so the period is compared on
    its days with data, against the same days of the period before."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_with_data(self) -> int:
        """The days compared: all of them, or those up to `data_ends`."""
        if self.data_ends is None or self.data_ends >= self.end:
            return self.days
        return max((self.data_ends - self.start).days + 1, 0)

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def previous(self) -> Period:
        """What this period is compared with: for a week, month or year to date, the same
        number of days from the start of the one before (capped at its end); otherwise the
        span of the same length that ends the day before this one starts. A period whose
        data ends early (`data_ends`) is compared with as many days from the start of that."""
        if self.to_date and self.unit in ("week", "month", "year"):
            if self.unit == "week":
                start = self.start - timedelta(days=7)
                last = start + timedelta(days=6)
            elif self.unit == "month":
                last = self.start - timedelta(days=1)
                start = last.replace(day=1)
            else:
                start, last = date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31)
            end = min(start + timedelta(days=self.days_with_data - 1), last)
            return Period(start, end, f"the same days of the {self.unit} before")
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        if self.days_with_data < self.days:
            end = start + timedelta(days=self.days_with_data - 1)
            return Period(start, end, f"the same days of the {self.days} days before")
        return Period(start, end, "previous period")

    @property
    def like_for_like(self) -> bool:
        """Compared with part of the previous week or month, rather than the span before."""
        return self.previous().label.startswith("the same days")

    def as_of(self, day: date) -> Period:
        """This period, had it been asked for on `day` (the latest day with data): today
        becomes that day; this week, month or year the one to that day; the last N days the
        N days to that day; a range that runs to today ends there."""
        if self.unit == "day":
            return Period(day, day, "latest complete day", to_date=True, unit="day")
        if self.unit == "days":
            return Period(day - timedelta(days=self.days - 1), day, self.label, unit="days")
        if self.unit not in ("week", "month", "year"):
            return Period(self.start, max(day, self.start), self.label, to_date=True)
        start, end_of_unit = _unit_around(self.unit, day)
        label = self.label if start == self.start else _unit_label(self.unit, start, self.start)
        return Period(start, day, label, to_date=day < end_of_unit, unit=self.unit)

    def shifted(self, days: int) -> Period:
        return Period(self.start + timedelta(days=days), self.end + timedelta(days=days), "")

    def trailing_week(self) -> Period:
        """The seven days before this period starts."""
        return Period(
            self.start - timedelta(days=7), self.start - timedelta(days=1), "trailing 7 days"
        )

    def describe(self) -> str:
        if self.is_day:
            return (
                f"{self.label} ({self.start:%a %d %b %Y})"
                if self.label
                else f"{self.start:%a %d %b %Y}"
            )
        span = f"{self.start:%d %b} – {self.end:%d %b %Y}"
        return f"{self.label} ({span})" if self.label else span


@dataclass(frozen=True)
class PeriodForm:
    """A shape of period for the usage line (`last N days`) with what `/kpi help` shows of it:
    examples that parse, and what it means."""

    usage: str
    examples: tuple[str, ...] = ()
    means: str = ""


def day_period(day: date, label: str = "") -> Period:
    return Period(day, day, label, unit="day")


def _unit_around(unit: Unit, day: date) -> tuple[date, date]:
    """The first and last day of the week, month or year that `day` is in."""
    if unit == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if unit == "month":
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _unit_label(unit: Unit, start: date, asked: date) -> str:
    """The name of the week, month or year starting `start`, seen from the one asked about."""
    if unit == "week":
        return "last week" if start == asked - timedelta(days=7) else f"week of {start:%d %b}"
    if unit == "year":
        return "last year" if start.year == asked.year - 1 else str(start.year)
    before = (asked - timedelta(days=1)).replace(day=1)
    return "last month" if start == before else f"{start:%B %Y}"


@lru_cache(maxsize=16)
def month_first(locale: str) -> bool:
    """Whether the locale writes a day's month before its day (en_US: 11/25; en_GB: 25/11)."""
    try:
        pattern = get_date_format("short", locale=Locale.parse(locale)).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return False  # most of the world writes the day first
    return pattern.find("M") < pattern.find("d")


def period_forms(locale: str = DEFAULT_LOCALE) -> tuple[PeriodForm, ...]:
    """Every shape a period can take, the default first: what the usage and `/kpi help` show,
    and every example in it parses."""
    slash = "M/D" if month_first(locale) else "D/M"
    words = tuple(
        PeriodForm(word, (word, *(other for other, same in SAME_AS.items() if same == word)))
        for word in PERIOD_WORDS
    )
    return (
        *words,
        PeriodForm("Nd", ("7d", "30d"), "the N days that end yesterday"),
        PeriodForm("last N days", ("last 7 days", "past 14 days")),
        PeriodForm("<month>", ("nov", "November", "nov 2025"), "this year's once it has begun"),
        PeriodForm("YYYY-MM", ("2026-11",)),
        PeriodForm("YYYY-MM-DD", ("2026-11-25",)),
        PeriodForm(slash, ("11/25" if slash == "M/D" else "25/11",), f"as {locale} writes days"),
        PeriodForm(
            "<period>..<period>",
            ("2026-11-01..2026-11-15", "2026-11-23 - 2026-11-29", "sep to nov", "last week–today"),
            "from the start of the first to the end of the second",
        ),
    )


def _calendar_day(year: int, month: int, day: int, typed: str) -> date:
    try:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(year)
        return date(year, month, day)
    except ValueError:
        raise PeriodError(
            f"`{shown(typed)}` is not a date on the calendar: use YYYY-MM-DD, such as `2026-11-25`."
        ) from None


def _month(year: int, month: int, today: date, typed: str) -> Period:
    """A calendar month; this month runs up to today."""
    first = _calendar_day(year, month, 1, typed)
    following = (first + timedelta(days=32)).replace(day=1)
    end = following - timedelta(days=1)
    label = f"{first:%B %Y}"
    if first <= today <= end:
        return Period(first, today, label, to_date=True, unit="month")
    return Period(first, end, label, unit="month")


def _this_year_or_last(month: int, today: date) -> int:
    return today.year if month <= today.month else today.year - 1


def _named_month(match: re.Match[str], today: date, typed: str) -> Period:
    month = _MONTH_WORDS[match[1]]
    year = int(match[2]) if match[2] else _this_year_or_last(month, today)
    return _month(year, month, today, typed)


def _slash_day(match: re.Match[str], today: date, typed: str, locale: str) -> Period:
    first, second = int(match[1]), int(match[2])
    month, day = (first, second) if month_first(locale) else (second, first)
    if not 1 <= month <= 12:
        order, example = ("M/D", "11/25") if month_first(locale) else ("D/M", "25/11")
        raise PeriodError(
            f"`{shown(typed)}` is not a date as {shown(locale)} writes them ({order}, such as "
            f"`{example}`); or use YYYY-MM-DD."
        )
    if match[3]:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    else:  # this year's if it has come, else last year's
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    return day_period(_calendar_day(year, month, day, typed))


def _last_days(match: re.Match[str], today: date, typed: str) -> Period:
    days = int(match[1])
    if not 1 <= days <= MAX_RANGE_DAYS:
        raise PeriodError(f"Ask for 1 to {MAX_RANGE_DAYS} days, not `{shown(typed)}`.")
    end = today - timedelta(days=1)
    label = "yesterday" if days == 1 else f"last {days} days"
    return Period(end - timedelta(days=days - 1), end, label, unit="days")


def _named(words: str, today: date) -> Period | None:
    """The fixed words (and their other spellings), or None."""
    words = SAME_AS.get(words, words)
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    named: dict[str, Callable[[], Period]] = {
        "today": lambda: Period(today, today, "today", is_today=True, to_date=True, unit="day"),
        "yesterday": lambda: day_period(today - timedelta(days=1), "yesterday"),
        "week": lambda: Period(monday, today, "this week", to_date=True, unit="week"),
        "last week": lambda: Period(
            monday - timedelta(days=7), monday - timedelta(days=1), "last week", unit="week"
        ),
        "month": lambda: Period(first_of_month, today, "this month", to_date=True, unit="month"),
        "mtd": lambda: Period(first_of_month, today, "month to date", to_date=True, unit="month"),
        "last month": lambda: _last_month(first_of_month),
        "ytd": lambda: Period(
            today.replace(month=1, day=1), today, "year to date", to_date=True, unit="year"
        ),
    }
    build = named.get(words)
    return build() if build else None


def _last_month(first_of_month: date) -> Period:
    end = first_of_month - timedelta(days=1)
    return Period(end.replace(day=1), end, "last month", unit="month")


def _single(words: str, today: date, locale: str) -> Period:
    """One period (not a range); UnknownPeriod when the words are none."""
    found = _named(words, today)
    if found is not None:
        return found
    if match := _LAST_DAYS.fullmatch(words):
        return _last_days(match, today, words)
    if match := _NAMED_MONTH.fullmatch(words):
        return _named_month(match, today, words)
    if match := _YEAR_MONTH.fullmatch(words):
        return _month(int(match[1]), int(match[2]), today, words)
    if match := _ISO_DAY.fullmatch(words):
        return day_period(_calendar_day(int(match[1]), int(match[2]), int(match[3]), words))
    if match := _SLASH_DAY.fullmatch(words):
        return _slash_day(match, today, words, locale)
    raise UnknownPeriod(f"I don't know the period `{shown(words)}`.")


def _range(words: str, today: date, locale: str) -> Period:
    """`A..B` (or `A - B`, `A to B`, `A–B`): from A's start to B's end."""
    problem: PeriodError | None = None
    for separator in _RANGE.finditer(words):
        first_words, last_words = words[: separator.start()], words[separator.end() :]
        try:
            first, last = _single(first_words, today, locale), _single(last_words, today, locale)
        except UnknownPeriod:
            continue
        except PeriodError as error:  # a period, but a wrong one: say so if nothing else fits
            problem = problem or error
            continue
        if last.end < first.start:
            raise PeriodError(
                f"The range ends before it starts: try `{shown(last_words)}..{shown(first_words)}`."
            )
        return Period(first.start, last.end, "", to_date=last.to_date)
    raise problem or UnknownPeriod(f"I don't know the period `{shown(words)}`.")


def through(period: Period, latest: date) -> Period:
    """The period answered on data that ends on `latest` (the latest complete day): a week,
    month or year to date becomes the one that holds `latest`, up to it (asked on a Monday,
    `week` is the week just ended); any other period is cut at `latest`, and `today` stays."""
    if period.is_today or latest >= period.end:
        return period
    if period.to_date and period.unit in ("week", "month", "year"):
        return period.as_of(latest)
    return replace(period, end=max(latest, period.start))


def parse_period(text: str, today: date, locale: str = DEFAULT_LOCALE) -> Period:
    """A period from the user's words (nothing: today); PeriodError with what was wrong:
    UnknownPeriod when the words are no period at all. D/M or M/D as `locale` writes dates."""
    words = match_key(text) or DEFAULT_PERIOD
    try:
        period = _single(words, today, locale)
    except UnknownPeriod:
        period = _range(words, today, locale)
    if period.days > MAX_RANGE_DAYS:
        raise PeriodError("That range is longer than two years: ask for at most two years.")
    return period
