"""Periods people ask about, in the words they already use, English or German whatever the
locale: `today`/`heute`, `last week`/`letzte Woche`, `mtd`, `7d`, `last 30 days`/`letzte 30
Tage`, `nov`/`Dez.`, `2026-11`, `2026-11-25`, `27.11.2026`/`27.11.`, `KW 48`/`week 48`, `Q4`,
`since monday`/`seit dem 1.11.`, `last month yoy`, `11/25` (the one form that follows the
locale), and a range of any two of them (`1.11. bis 15.11.`, `nov 1 - nov 15`).

Weeks run Monday to Sunday (ISO calendar weeks); `week`, `month`, `mtd` and `ytd` run up to today
(`to_date`); `last N days` (`7d`, `30d`) are the N days that end yesterday. A day typed without
its year (`27.11.`, `nov 25`) is the latest one, this year's or last year's (or, read `ahead` for
a follow-up, the next one). Every command answers a week or month to date up to its latest
complete day (`through`): `/kpi` the latest day with KPI data, the reports yesterday, so `week`
is the same calendar week everywhere and each answer says its dates. Every period has a
previous period to compare with, like for like: a week, month or year to date against the same
number of days from the start of the week, month or year before; any other period against the
span of the same length right before it (`yoy` is a period, the same one a year earlier: `/kpi`
has no comparison words, it picks the telling comparison itself). One grammar, the table
`FORMS` (each form's English and German pattern, meaning and examples), serves `/kpi`, `/kpi
chart`, `/feedback`, `/review`, `/creator levels` and follow-ups; `period_forms` lists it for
the usage and `/kpi help`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import get_date_format

from bot.shared.days import (
    month_text,
    padded_day,
    short_day,
    weekday_day,
    weekday_short_day,
)
from bot.shared.language import N_, Speech, _, ngettext, pgettext, speaking, speech
from bot.shared.replies import shown
from storage.errors import UserError
from storage.names import match_key

MAX_RANGE_DAYS = 2 * 366
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside are typos, and would overflow arithmetic
DEFAULT_LOCALE = "en_US"
MAX_PERIOD_CHARS = 60  # the longest one period is typed (`day after tomorrow, a year earlier`)


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
            if self.unit == "week":
                label = _("the same days of the week before")
            elif self.unit == "month":
                label = _("the same days of the month before")
            else:
                label = _("the same days of the year before")
            return Period(start, end, label)
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        if self.days_with_data < self.days:
            end = start + timedelta(days=self.days_with_data - 1)
            label = ngettext(
                "the same days of the {count} day before",
                "the same days of the {count} days before",
                self.days,
            ).format(count=self.days)
            return Period(start, end, label)
        return Period(start, end, _("previous period"))

    @property
    def like_for_like(self) -> bool:
        """Compared with part of the previous week or month, rather than the span before (the
        same condition `previous` goes by)."""
        from_start = self.to_date and self.unit in ("week", "month", "year")
        return from_start or self.days_with_data < self.days

    def as_of(self, day: date) -> Period:
        """This period, had it been asked for on `day` (the latest day with data): today
        becomes that day; this week, month or year the one to that day; the last N days the
        N days to that day; a range that runs to today ends there."""
        if self.unit == "day":
            return Period(day, day, _("latest complete day"), to_date=True, unit="day")
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
            self.start - timedelta(days=7), self.start - timedelta(days=1), _("trailing 7 days")
        )

    def describe(self) -> str:
        if self.is_day:
            day = weekday_day(self.start)
            return f"{self.label} ({day})" if self.label else day
        span = f"{short_day(self.start)} – {padded_day(self.end)}"
        return f"{self.label} ({span})" if self.label else span


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
        if start == asked - timedelta(days=7):
            return _("last week")
        return _("week of {day}").format(day=short_day(start))
    if unit == "year":
        return _("last year") if start.year == asked.year - 1 else str(start.year)
    before = (asked - timedelta(days=1)).replace(day=1)
    return _("last month") if start == before else month_text(start)


def through(period: Period, latest: date) -> Period:
    """The period answered on data that ends on `latest` (the latest complete day): a week,
    month or year to date becomes the one that holds `latest`, up to it (asked on a Monday,
    `week` is the week just ended); any other period is cut at `latest`, and `today` stays."""
    if period.is_today or latest >= period.end:
        return period
    if period.to_date and period.unit in ("week", "month", "year"):
        return period.as_of(latest)
    return replace(period, end=max(latest, period.start))


# ---------------------------------------------------------------------------------------------
# The grammar: one table of forms (`FORMS`), each with its English and its German pattern, what
# it means, and its examples for the help. Both languages are read whatever the locale; only the
# slash day (`11/25` or `25/11`) follows the locale, as it is ambiguous.

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")

_MONTH_WORDS: dict[str, int] = {
    "january": 1, "jan": 1, "januar": 1, "jaenner": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2,
    "march": 3, "mar": 3, "maerz": 3, "marz": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}  # fmt: skip
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_WORDS: dict[str, int] = {  # no short forms: `sun`, `sat`, `mon` name shops too
    "monday": 0, "montag": 0,
    "tuesday": 1, "dienstag": 1,
    "wednesday": 2, "mittwoch": 2,
    "thursday": 3, "donnerstag": 3,
    "friday": 4, "freitag": 4,
    "saturday": 5, "samstag": 5, "sonnabend": 5,
    "sunday": 6, "sonntag": 6,
}  # fmt: skip


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternatives(_MONTH_WORDS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_alternatives(_WEEKDAY_WORDS)})\.?"
_YEAR = r"(?P<year>\d{4})"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class Reading:
    """What a form is read against: the day it is read on, the team's locale, and whether a
    day without its year is the next one to come (`ahead`, for follow-ups) or the last one."""

    today: date
    locale: str = DEFAULT_LOCALE
    ahead: bool = False

    def year_of(self, month: int, day: int) -> int:
        """The year of a day typed without one: this year's if it has come (or, `ahead`, if it
        is still to come), else the year before (after)."""
        today = self.today
        if self.ahead:
            return today.year if (month, day) >= (today.month, today.day) else today.year + 1
        return today.year if (month, day) <= (today.month, today.day) else today.year - 1


Build = Callable[[re.Match[str], Reading, str], Period]


@dataclass(frozen=True)
class Form:
    """One shape a period can take: its name and pattern in English and in German, what it
    builds, what it means and examples for the help (every example parses). A pattern is
    matched, whole, against the words casefolded with ä, ö, ü written ae, oe, ue."""

    usage: Mapping[Language, str]
    patterns: Mapping[Language, tuple[str, ...]]
    build: Build
    examples: Mapping[Language, tuple[str, ...]]
    means: str = ""
    listed: bool = True
    """Listed in the help; `tomorrow` is read (for follow-ups) but is no period to report."""

    def compiled(self) -> tuple[re.Pattern[str], ...]:
        patterns = dict.fromkeys(p for ps in self.patterns.values() for p in ps)
        return tuple(re.compile(pattern) for pattern in patterns)


@dataclass(frozen=True)
class PeriodForm:
    """A shape of period for the usage line (`last N days`) with what `/kpi help` shows of it:
    examples that parse, and what it means."""

    usage: str
    examples: tuple[str, ...] = ()
    means: str = ""


def _fold(words: str) -> str:
    """The words as the patterns are written: casefolded, umlauts as ae, oe, ue."""
    return match_key(words).translate(_UMLAUTS)


def _calendar_day(year: int, month: int, day: int, typed: str) -> date:
    try:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(year)
        return date(year, month, day)
    except ValueError:
        raise PeriodError(
            _(
                "`{typed}` is not a date on the calendar: use YYYY-MM-DD, such as "
                "`2026-11-25`, or DD.MM.YYYY, such as `25.11.2026`."
            ).format(typed=shown(typed))
        ) from None


def _full_year(typed: str | None, reading: Reading, month: int, day: int) -> int:
    """A typed year (`2026`, or `26` for 2026), or the year a day without one falls in."""
    if not typed:
        return reading.year_of(month, day)
    return int(typed) + (2000 if len(typed) == 2 else 0)


def _month(year: int, month: int, today: date, typed: str) -> Period:
    """A calendar month; this month runs up to today."""
    first = _calendar_day(year, month, 1, typed)
    following = (first + timedelta(days=32)).replace(day=1)
    end = following - timedelta(days=1)
    label = month_text(first)
    if first <= today <= end:
        return Period(first, today, label, to_date=True, unit="month")
    return Period(first, end, label, unit="month")


def _last_month(first_of_month: date) -> Period:
    end = first_of_month - timedelta(days=1)
    return Period(end.replace(day=1), end, _("last month"), unit="month")


def _this_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(monday, today, _("this week"), to_date=True, unit="week")


def _last_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    last_monday = monday - timedelta(days=7)
    return Period(last_monday, monday - timedelta(days=1), _("last week"), unit="week")


def _fixed(make: Callable[[date], Period]) -> Build:
    return lambda match, reading, typed: make(reading.today)


@dataclass(frozen=True)
class Word:
    """A fixed word, its other English spellings and its German ones."""

    en: str
    make: Callable[[date], Period]
    also: tuple[str, ...] = ()
    de: tuple[str, ...] = ()
    listed: bool = True

    def form(self) -> Form:
        return Form(
            {"en": self.en, "de": self.de[0] if self.de else self.en},
            {
                "en": tuple(re.escape(w) for w in (self.en, *self.also)),
                "de": tuple(re.escape(_fold(w)) for w in self.de),
            },
            _fixed(self.make),
            {"en": (self.en, *self.also), "de": self.de[:1]},
            listed=self.listed,
        )


WORDS = (
    Word(
        "today",
        lambda t: Period(t, t, _("today"), is_today=True, to_date=True, unit="day"),
        de=("heute",),
    ),
    Word("yesterday", lambda t: day_period(t - timedelta(days=1), _("yesterday")), de=("gestern",)),
    Word(
        "day before yesterday",
        lambda t: day_period(t - timedelta(days=2), _("day before yesterday")),
        de=("vorgestern",),
    ),
    Word("week", _this_week, ("this week",), ("diese Woche",)),
    Word("last week", _last_week, (), ("letzte Woche", "vorige Woche", "vergangene Woche")),
    Word(
        "month",
        lambda t: Period(t.replace(day=1), t, _("this month"), to_date=True, unit="month"),
        ("this month",),
        ("dieser Monat", "diesen Monat"),
    ),
    Word(
        "last month",
        lambda t: _last_month(t.replace(day=1)),
        (),
        ("letzter Monat", "letzten Monat", "voriger Monat", "vorigen Monat", "Vormonat"),
    ),
    Word(
        "mtd",
        lambda t: Period(t.replace(day=1), t, _("month to date"), to_date=True, unit="month"),
        ("month to date",),
        ("seit Monatsanfang", "Monat bis heute"),
    ),
    Word(
        "ytd",
        lambda t: Period(
            t.replace(month=1, day=1), t, _("year to date"), to_date=True, unit="year"
        ),
        ("year to date", "this year"),
        ("dieses Jahr", "seit Jahresanfang"),
    ),
    Word(
        "last year",
        lambda t: Period(
            date(t.year - 1, 1, 1), date(t.year - 1, 12, 31), _("last year"), unit="year"
        ),
        (),
        ("letztes Jahr", "voriges Jahr", "Vorjahr"),
    ),
    Word(
        "tomorrow",
        lambda t: day_period(t + timedelta(days=1), _("tomorrow")),
        (),
        ("morgen",),
        False,
    ),
    Word(
        "day after tomorrow",
        lambda t: day_period(t + timedelta(days=2), _("day after tomorrow")),
        (),
        ("übermorgen",),
        False,
    ),
)
# The fixed words, the default first, and their other English spellings (the hints for a
# mistyped word: the German ones, close to English words, would crowd them).
PERIOD_WORDS = tuple(word.en for word in WORDS if word.listed)
SAME_AS = {other: word.en for word in WORDS if word.listed for other in word.also}  # English
DEFAULT_PERIOD = PERIOD_WORDS[0]


def _last_days(match: re.Match[str], reading: Reading, typed: str) -> Period:
    days = int(match["n"])
    if not 1 <= days <= MAX_RANGE_DAYS:
        raise PeriodError(
            _("Ask for 1 to {most} days, not `{typed}`.").format(
                most=MAX_RANGE_DAYS, typed=shown(typed)
            )
        )
    end = reading.today - timedelta(days=1)
    label = (
        _("yesterday")
        if days == 1
        else ngettext("last {count} day", "last {count} days", days).format(count=days)
    )
    return Period(end - timedelta(days=days - 1), end, label, unit="days")


MAX_WEEKS, MAX_MONTHS = MAX_RANGE_DAYS // 7, 24


def _last_weeks(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """The N whole calendar weeks (Monday to Sunday) before this one."""
    weeks = int(match["n"])
    if not 1 <= weeks <= MAX_WEEKS:
        raise PeriodError(
            _("Ask for 1 to {most} weeks, not `{typed}`.").format(
                most=MAX_WEEKS, typed=shown(typed)
            )
        )
    last = _last_week(reading.today)
    label = (
        _("last week")
        if weeks == 1
        else ngettext("last {count} week", "last {count} weeks", weeks).format(count=weeks)
    )
    return Period(last.start - timedelta(days=7 * (weeks - 1)), last.end, label)


def _last_months(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """The N whole calendar months before this one."""
    months = int(match["n"])
    if not 1 <= months <= MAX_MONTHS:
        raise PeriodError(
            _("Ask for 1 to {most} months, not `{typed}`.").format(
                most=MAX_MONTHS, typed=shown(typed)
            )
        )
    last = _last_month(reading.today.replace(day=1))
    index = last.start.year * 12 + last.start.month - 1 - (months - 1)
    label = (
        _("last month")
        if months == 1
        else ngettext("last {count} month", "last {count} months", months).format(count=months)
    )
    return Period(date(index // 12, index % 12 + 1, 1), last.end, label)


def _named_month(match: re.Match[str], reading: Reading, typed: str) -> Period:
    month = _MONTH_WORDS[match["month"]]
    year = int(match["year"]) if match["year"] else reading.year_of(month, 1)
    return _month(year, month, reading.today, typed)


def _year_month(match: re.Match[str], reading: Reading, typed: str) -> Period:
    return _month(int(match["year"]), int(match["m"]), reading.today, typed)


def _iso_day(match: re.Match[str], reading: Reading, typed: str) -> Period:
    return day_period(_calendar_day(int(match["year"]), int(match["m"]), int(match["d"]), typed))


def _dotted_day(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """`27.11.2026`, `27.11.26`, `27.11.` (the last one, or with `ahead` the next one)."""
    month, day = int(match["m"]), int(match["d"])
    year = _full_year(match["year"], reading, month, day) if 1 <= month <= 12 else 2000
    return day_period(_calendar_day(year, month, day, typed))


def _month_day(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """`nov 25`, `25 nov`, `25. November 2026`."""
    month, day = _MONTH_WORDS[match["month"]], int(match["d"])
    return day_period(
        _calendar_day(_full_year(match["year"], reading, month, day), month, day, typed)
    )


@lru_cache(maxsize=16)  # a pure memo of a pure function of the locale's name
def month_first(locale: str) -> bool:
    """Whether the locale writes a day's month before its day (en_US: 11/25; en_GB: 25/11)."""
    try:
        pattern = get_date_format("short", locale=Locale.parse(locale)).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return False  # most of the world writes the day first
    return pattern.find("M") < pattern.find("d")


def _slash_day(match: re.Match[str], reading: Reading, typed: str) -> Period:
    first, second = int(match["a"]), int(match["b"])
    month, day = (first, second) if month_first(reading.locale) else (second, first)
    if not 1 <= month <= 12:
        order, example = ("M/D", "11/25") if month_first(reading.locale) else ("D/M", "25/11")
        raise PeriodError(
            _(
                "`{typed}` is not a date as {locale} writes them ({order}, such as `{example}`); "
                "or use YYYY-MM-DD."
            ).format(typed=shown(typed), locale=shown(reading.locale), order=order, example=example)
        )
    return day_period(
        _calendar_day(_full_year(match["year"], reading, month, day), month, day, typed)
    )


def _weekday(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """The latest such day, today included (with `ahead`: the next one, after today)."""
    weekday, today = _WEEKDAY_WORDS[match["weekday"]], reading.today
    if reading.ahead:
        return day_period(today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1))
    return day_period(today - timedelta(days=(today.weekday() - weekday) % 7))


def iso_weeks(year: int) -> int:
    """How many ISO calendar weeks the year has (52 or 53)."""
    return date(year, 12, 28).isocalendar().week


def _iso_week(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """ISO calendar week N (`KW 48`), Monday to Sunday: this year's once it has begun, else last
    year's; this week runs up to today."""
    week, today = int(match["n"]), reading.today
    if match["year"]:
        year = _full_year(match["year"], reading, 1, 1)
    else:
        this_year = today.isocalendar().year
        begun = (
            1 <= week <= iso_weeks(this_year) and date.fromisocalendar(this_year, week, 1) <= today
        )
        had = 1 <= week <= iso_weeks(this_year - 1)  # last year's, for a week still ahead
        year = this_year - 1 if not begun and had else this_year
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= week <= iso_weeks(year):
        weeks = iso_weeks(year) if FIRST_YEAR <= year <= LAST_YEAR else 53
        raise PeriodError(
            _("`{typed}` is not a calendar week: weeks run 1 to {weeks}, such as `KW 48`.").format(
                typed=shown(typed), weeks=weeks
            )
        )
    monday = date.fromisocalendar(year, week, 1)
    label = (
        pgettext("calendar week", "week {week}").format(week=week)
        if year == today.isocalendar().year
        else pgettext("calendar week", "week {week} {year}").format(week=week, year=year)
    )
    if monday <= today <= monday + timedelta(days=6):
        return Period(monday, today, label, to_date=True, unit="week")
    return Period(monday, monday + timedelta(days=6), label, unit="week")


def _quarter(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """Quarter N: this year's once it has begun, else last year's; this one runs up to today."""
    quarter, today = int(match["n"]), reading.today
    first_month = 3 * quarter - 2
    year = _full_year(match["year"], reading, first_month, 1)
    first = _calendar_day(year, first_month, 1, typed)
    end = _unit_around("month", first.replace(month=first_month + 2))[1]
    label = f"Q{quarter} {year}"
    if first <= today <= end:
        return Period(first, today, label, to_date=True)
    return Period(first, end, label)


def _since(match: re.Match[str], reading: Reading, typed: str) -> Period:
    """From the start of a period (`since monday`, `seit dem 1.11.`) up to today."""
    since = _single(match["inner"], reading)
    if since.start > reading.today:
        raise PeriodError(
            _("`{typed}` has not begun yet: pick a day up to today.").format(typed=shown(typed))
        )
    label = _("since {day}").format(day=weekday_short_day(since.start))
    return Period(since.start, reading.today, label, to_date=True)


def _a_year_back(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, monthrange(day.year - 1, day.month)[1]))


def year_earlier(period: Period) -> Period:
    """The same period one year earlier: the same calendar week (by its number), month or
    year, or the same days."""
    label = (
        _("{period}, a year earlier").format(period=period.label)
        if period.label
        else _("a year earlier")
    )
    if period.unit == "week" and not period.to_date:
        year, week, _day = period.start.isocalendar()
        monday = date.fromisocalendar(year - 1, min(week, iso_weeks(year - 1)), 1)
        return Period(monday, monday + timedelta(days=6), label, unit="week")
    start = _a_year_back(period.start)
    if period.unit in ("month", "year") and not period.to_date:
        return Period(start, _unit_around(period.unit, start)[1], label, unit=period.unit)
    unit = period.unit if period.unit in ("day", "days") else None
    return Period(start, _a_year_back(period.end), label, unit=unit)


def _yoy(match: re.Match[str], reading: Reading, typed: str) -> Period:
    inner = match["inner"]
    period = _single(inner, reading) if inner else WORDS[0].make(reading.today)
    if period.start.year - 1 < FIRST_YEAR:
        raise PeriodError(
            _("`{typed}` is before {year}: pick a later period.").format(
                typed=shown(typed), year=FIRST_YEAR
            )
        )
    return year_earlier(period)


_N = r"(?P<n>\d{1,9})"
_DOTTED = r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<year>\d{4}|\d{2})?)?"
_SLASH = r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?"
FORMS: tuple[Form, ...] = (
    *(word.form() for word in WORDS),
    Form(
        {"en": "Nd", "de": "Nd"},
        {"en": (rf"{_N}\s*d",), "de": (rf"{_N}\s*t",)},
        _last_days,
        {"en": ("7d", "30d"), "de": ()},
        N_("the N days that end yesterday"),
    ),
    Form(
        {"en": "last N days", "de": "letzte N Tage"},
        {
            "en": (rf"(?:(?:last|past)\s+)?{_N}\s*days?",),
            "de": (rf"(?:(?:letzte|vergangene)n?\s+)?{_N}\s*tagen?",),
        },
        _last_days,
        {"en": ("last 7 days", "past 14 days"), "de": ("letzte 7 Tage", "letzten 14 Tage")},
    ),
    Form(
        {"en": "last N weeks", "de": "letzte N Wochen"},
        {
            "en": (rf"(?:last|past)\s+{_N}\s*(?:weeks?|wks?)",),
            "de": (rf"(?:letzte|vergangene)n?\s+{_N}\s*wochen?",),
        },
        _last_weeks,
        {"en": ("last 2 weeks",), "de": ("letzte 2 Wochen",)},
        N_("the N calendar weeks before this one"),
    ),
    Form(
        {"en": "last N months", "de": "letzte N Monate"},
        {
            "en": (rf"(?:last|past)\s+{_N}\s*months?",),
            "de": (rf"(?:letzte|vergangene)n?\s+{_N}\s*monaten?",),
        },
        _last_months,
        {"en": ("last 3 months",), "de": ("letzte 3 Monate",)},
        N_("the N calendar months before this one"),
    ),
    Form(
        {"en": "week N", "de": "KW N"},
        {
            "en": (
                rf"(?:iso\s*)?(?:week|wk|cw|w)\s*{_N}(?:\s*[/ ,]\s*{_YEAR})?",
                rf"{_YEAR}-?w{_N}",
            ),
            "de": (rf"(?:kw|woche|kalenderwoche)\s*{_N}(?:\s*[/ ]\s*(?P<year>\d{{4}}|\d{{2}}))?",),
        },
        _iso_week,
        {"en": ("week 48", "wk 48", "week 48 2025"), "de": ("KW 48", "KW48", "KW 48/2025")},
        N_("the ISO calendar week, Monday to Sunday"),
    ),
    Form(
        {"en": "<month>", "de": "<Monat>"},
        {"en": (rf"{_MONTH}(?:\s+{_YEAR})?",), "de": (rf"{_MONTH}(?:\s+{_YEAR})?",)},
        _named_month,
        {"en": ("nov", "November", "nov 2025"), "de": ("Dez.", "März", "Oktober 2025")},
        N_("this year's once it has begun"),
    ),
    Form(
        {"en": "Q1-Q4", "de": "Q1-Q4"},
        {
            "en": (rf"q(?P<n>[1-4])(?:\s*[/ -]?\s*{_YEAR})?", rf"{_YEAR}[ -]?q(?P<n>[1-4])"),
            "de": (rf"(?P<n>[1-4])\.?\s*quartal(?:\s*[/ ]?\s*{_YEAR})?",),
        },
        _quarter,
        {"en": ("Q4", "Q4 2025"), "de": ("4. Quartal",)},
        N_("this year's once it has begun"),
    ),
    Form(
        {"en": "YYYY-MM", "de": "JJJJ-MM"},
        {"en": (rf"{_YEAR}-(?P<m>\d{{1,2}})",), "de": (rf"{_YEAR}-(?P<m>\d{{1,2}})",)},
        _year_month,
        {"en": ("2026-11",), "de": ("2026-11",)},
    ),
    Form(
        {"en": "YYYY-MM-DD", "de": "JJJJ-MM-TT"},
        {
            "en": (rf"{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})",),
            "de": (rf"{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})",),
        },
        _iso_day,
        {"en": ("2026-11-25",), "de": ("2026-11-25",)},
    ),
    Form(
        {"en": "DD.MM.YYYY", "de": "TT.MM.JJJJ"},
        {
            "en": (_DOTTED,),
            "de": (_DOTTED,),
        },
        _dotted_day,
        {"en": ("27.11.2026",), "de": ("27.11.2026", "27.11.", "27.11.26")},
        N_("without the year: the last one"),
    ),
    Form(
        {"en": "<month> D", "de": "D. <Monat>"},
        {
            "en": (
                rf"{_MONTH}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?",
                rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*{_MONTH}(?:,?\s+{_YEAR})?",
            ),
            "de": (rf"(?P<d>\d{{1,2}})\.\s*{_MONTH}(?:\s+{_YEAR})?",),
        },
        _month_day,
        {"en": ("nov 25", "25 nov"), "de": ("25. November 2026",)},
    ),
    Form(
        {"en": "D/M", "de": "D/M"},  # the shape the locale writes: see `period_forms`
        {
            "en": (_SLASH,),
            "de": (_SLASH,),
        },
        _slash_day,
        {"en": ("25/11",), "de": ("25/11",)},
    ),
    Form(
        {"en": "<weekday>", "de": "<Wochentag>"},
        {"en": (_WEEKDAY,), "de": (_WEEKDAY,)},
        _weekday,
        {"en": ("monday",), "de": ("Montag",)},
        N_("the latest one, today included"),
    ),
    Form(
        {"en": "since <day>", "de": "seit <Tag>"},
        {
            "en": (r"(?:since|from)\s+(?:the\s+)?(?P<inner>.+)",),
            "de": (r"(?:seit|ab|vom|von)\s+(?:dem\s+|den\s+|der\s+|am\s+)?(?P<inner>.+)",),
        },
        _since,
        {"en": ("since monday", "since nov 1"), "de": ("seit Montag", "seit dem 1.11.")},
        N_("up to today"),
    ),
    Form(
        {"en": "<period> yoy", "de": "<Zeitraum> Vorjahr"},
        {
            "en": (r"(?:(?P<inner>.+?)\s*,?\s+)?(?:yoy|y/y|a year earlier|one year earlier)",),
            "de": (r"(?P<inner>.+?)\s*,?\s+(?:im\s+)?vorjahr",),
        },
        _yoy,
        {"en": ("yoy", "last month yoy", "week 48 yoy"), "de": ("KW 48 Vorjahr",)},
        N_("the same period one year earlier"),
    ),
)
_MATCHERS = tuple((form, pattern) for form in FORMS for pattern in form.compiled())
# Every form's patterns in one, in the table's order, each as group `f<n>` (its own groups
# unnamed, as two forms may name theirs alike): one match finds the first form that fits.
_ANY_FORM = re.compile(
    "|".join(
        f"(?P<f{n}>{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', pattern.pattern)})"
        for n, (_, pattern) in enumerate(_MATCHERS)
    )
)
# `<period>..<period>`: `..`, `–`, `—`, or ` - `, ` to `, ` bis `, and `-` between dotted days
_RANGE = re.compile(r"\s*(?:\.\.|–|—)\s*|\s+(?:-|to|until|bis)\s+|(?<=\.)\s*-\s*(?=\d)")
_RANGE_USAGE: Mapping[Language, str] = {"en": "<period>..<period>", "de": "<Zeitraum>..<Zeitraum>"}
_RANGE_EXAMPLES: Mapping[Language, tuple[str, ...]] = {
    "en": (
        "2026-11-01..2026-11-15",
        "2026-11-23 - 2026-11-29",
        "sep to nov",
        "last week–today",
        "nov 1 - nov 15",
    ),
    "de": ("01.11.2026 - 15.11.2026", "1.11. bis 15.11.", "vom 1.11. bis 15.11."),
}
_RANGE_MEANS = N_("from the start of the first to the end of the second")


def period_forms(locale: str = DEFAULT_LOCALE, language: str = "en") -> tuple[PeriodForm, ...]:
    """Every shape a period can take, the default first: what the usage and `/kpi help` show,
    named and explained in `language` (the reader's, `speech().language`), with its examples in
    that language, then in the other (both are read); every example parses. The slash day shows
    the order the locale writes."""
    slash = "M/D" if month_first(locale) else "D/M"
    shown_in: Language = "de" if language == "de" else "en"
    other: Language = "de" if shown_in == "en" else "en"
    spoken = speech()
    forms: list[PeriodForm] = []
    with speaking(spoken if spoken.language == shown_in else Speech(shown_in, spoken.locale)):
        for form in FORMS:
            if not form.listed:
                continue
            usage = form.usage[shown_in]
            examples = (*form.examples[shown_in], *form.examples[other])
            means = _(form.means) if form.means else ""
            if form.build is _slash_day:
                usage = slash
                examples = ("11/25" if slash == "M/D" else "25/11",)
                means = _("as {locale} writes days").format(locale=locale)
            forms.append(PeriodForm(usage, tuple(dict.fromkeys(examples)), means))
        range_examples = (*_RANGE_EXAMPLES[shown_in], *_RANGE_EXAMPLES[other])
        forms.append(PeriodForm(_RANGE_USAGE[shown_in], range_examples, _(_RANGE_MEANS)))
    return tuple(forms)


def _single(words: str, reading: Reading) -> Period:
    """One period (not a range) by the first form that matches; UnknownPeriod when none does."""
    if len(words) > MAX_PERIOD_CHARS:  # no period is this long: a name or a pasted text
        raise UnknownPeriod(_("I don't know the period `{words}`.").format(words=shown(words)))
    folded = _fold(words)
    found = _ANY_FORM.fullmatch(folded)
    if found and found.lastgroup:
        form, pattern = _MATCHERS[int(found.lastgroup[1:])]
        match = pattern.fullmatch(folded)
        assert match is not None  # the same pattern, its groups named
        return form.build(match, reading, words)
    raise UnknownPeriod(_("I don't know the period `{words}`.").format(words=shown(words)))


def _range(words: str, reading: Reading) -> Period:
    """`A..B` (or `A - B`, `A to B`, `A bis B`, `A–B`): from A's start to B's end."""
    problem: PeriodError | None = None
    if len(words) > 2 * MAX_PERIOD_CHARS:
        raise UnknownPeriod(_("I don't know the period `{words}`.").format(words=shown(words)))
    for separator in _RANGE.finditer(words):
        first_words, last_words = words[: separator.start()], words[separator.end() :]
        try:
            first, last = _single(first_words, reading), _single(last_words, reading)
        except UnknownPeriod:
            continue
        except PeriodError as error:  # a period, but a wrong one: say so if nothing else fits
            problem = problem or error
            continue
        if last.end < first.start:
            raise PeriodError(
                _("The range ends before it starts: try `{last}..{first}`.").format(
                    last=shown(last_words), first=shown(first_words)
                )
            )
        return Period(first.start, last.end, "", to_date=last.to_date)
    raise problem or UnknownPeriod(
        _("I don't know the period `{words}`.").format(words=shown(words))
    )


def parse_period(
    text: str, today: date, locale: str = DEFAULT_LOCALE, *, ahead: bool = False
) -> Period:
    """A period from the user's words (nothing: today), English or German; PeriodError with
    what was wrong: UnknownPeriod when the words are no period at all. D/M or M/D as `locale`
    writes dates; a day without its year is the last one, or with `ahead` the next one."""
    words = match_key(text) or DEFAULT_PERIOD
    reading = Reading(today, locale, ahead)
    try:
        period = _single(words, reading)
    except UnknownPeriod:
        period = _range(words, reading)
    if period.days > MAX_RANGE_DAYS:
        raise PeriodError(_("That range is longer than two years: ask for at most two years."))
    return period


def parse_day(text: str, today: date, locale: str = DEFAULT_LOCALE, *, ahead: bool = False) -> date:
    """One day in any form the grammar reads (`10.12.2026`, `10.12.`, `tomorrow`, `morgen`,
    `2026-12-10`, `dec 10`); PeriodError for words that name no single day."""
    period = parse_period(text, today, locale, ahead=ahead)
    if not period.is_day or period.unit not in ("day", None):
        raise PeriodError(
            _("`{typed}` is not one day: write a date such as `10.12.2026`.").format(
                typed=shown(text)
            )
        )
    return period.start
