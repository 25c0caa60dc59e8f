"""Days far outside the usual range for their weekday, so a comparison they drive says so.

A day is judged against the same weekday of the eight weeks before it, robustly: the median of
those days and their median absolute deviation (MAD), so one earlier outage does not widen the
usual range. A day is unusual when it lies more than `MADS` scaled MADs from the median and at
least `MIN_SHARE` of the median away from it (a very steady weekday would otherwise flag
small wobbles).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

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
        direction = "below" if self.change < 0 else "above"
        share = round(abs(self.change) * 100)
        return f"{self.day:%a %d %b}, {share}% {direction} a usual {self.day:%A}"


def history_start(first: date) -> date:
    """The first day whose figures judging days from `first` on need."""
    return first - timedelta(weeks=HISTORY_WEEKS)


def unusual_days(values: Mapping[date, int], days: Iterable[date]) -> list[UnusualDay]:
    """Those of `days` (with a value) that are far outside their weekday's usual range, in
    date order. `values` holds a figure per day with data, history included."""
    found = []
    for day in sorted(set(days)):
        if day not in values:
            continue
        before = [day - timedelta(weeks=n) for n in range(1, HISTORY_WEEKS + 1)]
        history = [Decimal(values[d]) for d in before if d in values]
        if len(history) < MIN_HISTORY:
            continue
        usual = Decimal(statistics.median(history))
        if usual <= 0:
            continue
        spread = Decimal(statistics.median(abs(v - usual) for v in history)) * MAD_SCALE
        distance = abs(Decimal(values[day]) - usual)
        if distance > MADS * spread and distance >= MIN_SHARE * usual:
            found.append(UnusualDay(day, values[day], usual, (values[day] - usual) / usual))
    return found
