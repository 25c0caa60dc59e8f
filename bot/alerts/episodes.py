"""When a breached rule speaks: once per episode, and again only when it worsens.

An episode is the run of consecutive breached days up to the judged day (days without data
neither break nor extend it). The rule fires on a day of an episode when none of the episode's
earlier days fired, or when the day's severity exceeds the most severe earlier firing of the
episode by STEP (ten percentage points: a 40% drop fires, 45% the next day stays quiet, 52%
speaks again). A day inside the range ends the episode, so a condition that clears and comes
back fires anew.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from bot.alerts.judge import Verdict

STEP = Decimal("0.10")
EPISODE_DAYS = 28  # an episode is followed back at most this far


def episode_start(
    day: date, judged: Callable[[date], Verdict | None], has_data: Callable[[date], bool]
) -> date:
    """The first day of the breached run that ends at `day` (which is breached)."""
    start = day
    for back in range(1, EPISODE_DAYS + 1):
        earlier = day - timedelta(days=back)
        if not has_data(earlier):
            continue
        verdict = judged(earlier)
        if verdict is None or not verdict.breached:
            break
        start = earlier
    return start


def should_fire(verdict: Verdict, start: date, fired: Mapping[date, Decimal]) -> bool:
    """Fire `verdict` (breached) of an episode from `start`, given the rule's firings by day
    with their severity?"""
    if not verdict.breached:
        return False
    earlier = [severity for day, severity in fired.items() if start <= day < verdict.day]
    return not earlier or verdict.severity >= max(earlier) + STEP
