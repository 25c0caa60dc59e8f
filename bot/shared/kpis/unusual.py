"""Days far outside the usual range for their weekday, so a comparison they drive says so.

A day is judged against the same weekday of the eight weeks before it, robustly: the median of
those days and their median absolute deviation (MAD), so one earlier outage does not widen the
usual range. A day is unusual when it lies more than `MADS` scaled MADs from the median and at
least `MIN_SHARE` of the median away from it (a very steady weekday would otherwise flag
small wobbles).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.shared.days import weekday_name, weekday_short_day
from bot.shared.language import _

HISTORY_WEEKS = 8
MIN_HISTORY = 4  # same weekdays with data needed to say what is usual
MADS = 3
MAD_SCALE = Decimal("1.4826")  # a MAD of normal data times this is its standard deviation
MIN_SHARE = Decimal("0.25")


@dataclass(frozen=True)
class UnusualDay:
    day: date
    value: int
    usual: Decimal  # the median of the same weekday before it
    change: Decimal  # (value - usual) / usual

    def describe(self) -> str:
        """`Sat 21 Nov, 61% below a usual Saturday`."""
        return _("{day}, {how}").format(day=weekday_short_day(self.day), how=self.how())

    def how(self) -> str:
        """`61% below a usual Saturday`: how far from usual, without the day."""
        share = round(abs(self.change) * 100)
        weekday = weekday_name(self.day)
        if self.change < 0:
            return _("{share}% below a usual {weekday}").format(share=share, weekday=weekday)
        return _("{share}% above a usual {weekday}").format(share=share, weekday=weekday)


def history_start(first: date) -> date:
    """The first day whose figures judging days from `first` on need."""
    return first - timedelta(weeks=HISTORY_WEEKS)


@dataclass(frozen=True)
class UsualRange:
    """What is usual for a weekday: the median of its history and the range around it."""

    median: Decimal
    spread: Decimal  # the MAD scaled to a standard deviation
    low: Decimal
    high: Decimal

    def is_outside(self, value: Decimal) -> bool:
        distance = abs(value - self.median)
        return distance > MADS * self.spread and distance >= MIN_SHARE * self.median


def usual_range(history: Sequence[Decimal], min_history: int = MIN_HISTORY) -> UsualRange | None:
    """The usual range of a value given its history (the same weekday of earlier weeks);
    None with too little history or a median of zero or less (nothing to be a share of)."""
    if len(history) < min_history:
        return None
    usual = Decimal(statistics.median(history))
    if usual <= 0:
        return None
    spread = Decimal(statistics.median(abs(v - usual) for v in history)) * MAD_SCALE
    half = max(MADS * spread, MIN_SHARE * usual)
    return UsualRange(usual, spread, usual - half, usual + half)


def same_weekday_history(values: Mapping[date, Decimal], day: date) -> list[Decimal]:
    """The values of the same weekday in the HISTORY_WEEKS before `day` that have data."""
    before = [day - timedelta(weeks=n) for n in range(1, HISTORY_WEEKS + 1)]
    return [values[d] for d in before if d in values]


def unusual_days(values: Mapping[date, int], days: Iterable[date]) -> list[UnusualDay]:
    """Those of `days` (with a value) that are far outside their weekday's usual range, in
    date order. `values` holds a figure per day with data, history included."""
    found = []
    exact = {day: Decimal(value) for day, value in values.items()}
    for day in sorted(set(days)):
        if day not in values:
            continue
        usual = usual_range(same_weekday_history(exact, day))
        if usual is not None and usual.is_outside(exact[day]):
            change = (values[day] - usual.median) / usual.median
            found.append(UnusualDay(day, values[day], usual.median, change))
    return found
