"""Periods people ask about: today, yesterday, week, last week, month, a day or a range.

Weeks run Monday to Sunday; "week" and "month" are to date (up to today). Every period has a
previous period to compare with, like for like: a period that runs up to today (this week,
this month) against the same number of days from the start of the week or month before;
any other period against the span of the same length right before it.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.replies import shown
from storage.errors import UserError

MAX_RANGE_DAYS = 2 * 366
# What a period can be, declared once for the parser, the usage after bad input and `/kpi help`.
PERIOD_WORDS = ("today", "yesterday", "week", "last week", "month", "last month")
PERIOD_FORMS = ("YYYY-MM-DD", "YYYY-MM-DD..YYYY-MM-DD")
PERIOD_USAGE = "|".join(PERIOD_WORDS + PERIOD_FORMS)
DEFAULT_PERIOD = PERIOD_WORDS[0]
_SAME_AS = {"": DEFAULT_PERIOD, "this week": "week", "this month": "month"}
PERIOD_STARTS = frozenset(w.split()[0] for w in (*PERIOD_WORDS, *_SAME_AS) if w)
"""The first words of the named periods: what a word before a period may not be taken for."""
_DAY = r"\d{4}-\d{1,2}-\d{1,2}"


class PeriodError(UserError):
    """The words are not a period; the message says what was wrong, for the user."""


Unit = Literal["day", "week", "month"]


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
    """The calendar unit it is (part of): a day, a Monday-to-Sunday week, a month."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def previous(self) -> Period:
        """What this period is compared with: for a week or month to date, the same number of
        days from the start of the week or month before (capped at its end); otherwise the
        span of the same length that ends the day before this one starts."""
        if self.to_date and self.unit in ("week", "month"):
            if self.unit == "week":
                start = self.start - timedelta(days=7)
                last = start + timedelta(days=6)
            else:
                last = self.start - timedelta(days=1)
                start = last.replace(day=1)
            end = min(start + timedelta(days=self.days - 1), last)
            return Period(start, end, f"the same days of the {self.unit} before")
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        return Period(start, end, "previous period")

    @property
    def like_for_like(self) -> bool:
        """Compared with part of the previous week or month, rather than the span before."""
        return self.previous().label.startswith("the same days")

    def as_of(self, day: date) -> Period:
        """This period, had it been asked for on `day` (the latest day with data): today
        becomes that day, this week or month the week or month to that day."""
        if self.unit == "week":
            start = day - timedelta(days=day.weekday())
        elif self.unit == "month":
            start = day.replace(day=1)
        else:
            return Period(day, day, "latest complete day", to_date=True, unit="day")
        label = self.label if start == self.start else _unit_label(self.unit, start, self.start)
        end_of_unit = start + timedelta(days=6) if self.unit == "week" else _month_end(start)
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


def day_period(day: date, label: str = "") -> Period:
    return Period(day, day, label, unit="day")


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _unit_label(unit: Unit, start: date, asked: date) -> str:
    """The name of the week or month starting `start`, seen from the one asked about."""
    if unit == "week":
        return "last week" if start == asked - timedelta(days=7) else f"week of {start:%d %b}"
    before = (asked - timedelta(days=1)).replace(day=1)
    return "last month" if start == before else f"{start:%B %Y}"


def parse_day(text: str) -> date:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise PeriodError(
            f"`{shown(text)}` is not a date on the calendar: use YYYY-MM-DD."
        ) from None


def parse_period(text: str, today: date) -> Period:
    """A period from the user's words; PeriodError with what to type instead."""
    words = " ".join(text.lower().split())
    words = _SAME_AS.get(words, words)
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    if words == "today":
        return Period(today, today, "today", is_today=True, to_date=True, unit="day")
    if words == "yesterday":
        return day_period(today - timedelta(days=1), "yesterday")
    if words == "week":
        return Period(monday, today, "this week", to_date=True, unit="week")
    if words == "last week":
        return Period(
            monday - timedelta(days=7), monday - timedelta(days=1), "last week", unit="week"
        )
    if words == "month":
        return Period(first_of_month, today, "this month", to_date=True, unit="month")
    if words == "last month":
        end = first_of_month - timedelta(days=1)
        return Period(end.replace(day=1), end, "last month", unit="month")
    if re.fullmatch(_DAY, words):
        return day_period(parse_day(words))
    match = re.fullmatch(rf"({_DAY})\s*(?:\.\.|to|–|—)\s*({_DAY})", words)
    if match:
        start, end = parse_day(match.group(1)), parse_day(match.group(2))
        if end < start:
            raise PeriodError(f"The range ends before it starts: try `{end}..{start}`.")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise PeriodError("That range is longer than two years: ask for at most two years.")
        return Period(start, end, "")
    raise PeriodError(f"I don't know the period `{shown(text.strip())}`.")
