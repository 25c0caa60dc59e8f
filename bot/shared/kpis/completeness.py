"""Which days are complete: alerts and the App Home only judge days whose data is all in.

A day is complete for a scope when every *steady* seller of the scope has figures for it,
the steady sellers being those with figures on the same weekday one and two weeks before. So
a file that is late (one shop's export, one category's sheet) leaves the day incomplete and
nothing is judged on it: no "GMV fell by half" because half the data has not arrived. A
seller that really stops reporting holds its days back for at most a week, then is no longer
steady. Today is never complete (its data is still coming in), and a day without any figures
is not either.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

LOOK_BACK_DAYS = 7  # the latest complete day is looked for this far before the newest day

Presence = Mapping[date, int]  # per day with data: a bitmap of the sellers with figures


def is_complete(presence: Presence, day: date) -> bool:
    if day not in presence:
        return False
    steady = presence.get(day - timedelta(days=7), 0) & presence.get(day - timedelta(days=14), 0)
    return steady & ~presence[day] == 0


def latest_complete_day(presence: Presence, today: date) -> date | None:
    """The newest complete day before today, looking back from the newest day with data."""
    days = [d for d in presence if d < today]
    if not days:
        return None
    newest = max(days)
    for back in range(LOOK_BACK_DAYS + 1):
        day = newest - timedelta(days=back)
        if is_complete(presence, day):
            return day
    return None


def missing_sellers(presence: Presence, day: date) -> int:
    """How many steady sellers have no figures for the day yet."""
    steady = presence.get(day - timedelta(days=7), 0) & presence.get(day - timedelta(days=14), 0)
    return (steady & ~presence.get(day, 0)).bit_count()
