"""Judging a day against an alert rule: pure functions of a metric's daily values.

The rules:
- `unusual` (the default): the day against the same weekday of the previous eight weeks (at
  least six with data), robustly: the median of those days, and around it the range of three
  scaled median absolute deviations (at least a quarter of the median), as `/kpi` judges
  unusual days (bot.shared.kpis.unusual). A Saturday is only compared with Saturdays, so a normal
  weekend dip never fires, and one earlier outage does not widen the range.
- `drop N%` / `rise N%`: against the same weekday last week (`week`) or the mean of the seven
  days before (`trailing`).
- `below X` / `above X`: against a fixed threshold in the metric's unit.

Severity is how far from what was expected the value is, as a fraction of it (a 40% drop is
0.4; `below 10000` at 7,000 is 0.3). While a condition persists the rule speaks again only
when the severity has grown by STEP since it last spoke (bot.alerts.episodes).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.shared.kpis.unusual import HISTORY_WEEKS, same_weekday_history, usual_range

ALERT_MIN_HISTORY = 6  # same weekdays with data needed (of HISTORY_WEEKS)
TRAILING_DAYS = 7

Values = Mapping[date, Decimal]


@dataclass(frozen=True)
class RuleTerms:
    """What a rule compares: its kind, and its baseline, percent or threshold."""

    kind: str = "unusual"
    baseline: str = ""
    percent: int | None = None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class Verdict:
    """A day judged: its value, what was expected and the range it should lie in (an open
    end is None), whether it lies outside, and by how much."""

    day: date
    value: Decimal
    expected: Decimal
    low: Decimal | None
    high: Decimal | None
    breached: bool
    severity: Decimal  # |value - expected| / expected, 0 when inside
    spread: Decimal | None = None  # unusual: one scaled MAD, to say how many the value is out

    @property
    def below(self) -> bool:
        return self.value < self.expected


def baseline_days(terms: RuleTerms, day: date) -> tuple[list[date], str]:
    """The days a day's value is compared with, and how they are combined (`median`, `mean`
    or the one `value`): the same weekday of the previous weeks, the seven days before, or
    the same weekday last week (also what explains a threshold's change)."""
    if terms.kind == "unusual":
        return [day - timedelta(weeks=n) for n in range(1, HISTORY_WEEKS + 1)], "median"
    if terms.kind in ("drop", "rise") and terms.baseline == "trailing":
        return [day - timedelta(days=n) for n in range(1, TRAILING_DAYS + 1)], "mean"
    return [day - timedelta(days=7)], "value"


def reference(terms: RuleTerms, values: Values, day: date) -> Decimal | None:
    """What the day's value is compared with (see `baseline_days`); None without enough
    history (for the median, ALERT_MIN_HISTORY days with data)."""
    days, how = baseline_days(terms, day)
    known = [values[d] for d in days if d in values]
    if how == "median":
        return Decimal(statistics.median(known)) if len(known) >= ALERT_MIN_HISTORY else None
    if how == "mean":
        return sum(known, Decimal(0)) / len(known) if known else None
    return known[0] if known else None


def judge(terms: RuleTerms, values: Values, day: date) -> Verdict | None:
    """The day judged by the rule; None when the day has no value or too little history."""
    if day not in values:
        return None
    value = values[day]
    if terms.kind == "unusual":
        usual = usual_range(same_weekday_history(values, day), ALERT_MIN_HISTORY)
        if usual is None:
            return None
        breached = usual.is_outside(value)
        return Verdict(
            day,
            value,
            usual.median,
            usual.low,
            usual.high,
            breached,
            _severity(value, usual.median) if breached else Decimal(0),
            usual.spread,
        )
    if terms.kind in ("drop", "rise"):
        return _judge_change(terms, values, day)
    return _judge_threshold(terms, value, day)


def _judge_change(terms: RuleTerms, values: Values, day: date) -> Verdict | None:
    base = reference(terms, values, day)
    if base is None or base <= 0 or terms.percent is None:
        return None
    value, share = values[day], Decimal(terms.percent) / 100
    if terms.kind == "drop":
        low, high = base * (1 - share), None
        breached = value <= low
    else:
        low, high = None, base * (1 + share)
        breached = value >= high
    severity = _severity(value, base) if breached else Decimal(0)
    return Verdict(day, value, base, low, high, breached, severity)


def _judge_threshold(terms: RuleTerms, value: Decimal, day: date) -> Verdict:
    assert terms.threshold is not None, "below/above rules carry a threshold"
    limit = terms.threshold
    breached = value < limit if terms.kind == "below" else value > limit
    low, high = (limit, None) if terms.kind == "below" else (None, limit)
    severity = _severity(value, limit) if breached and limit > 0 else Decimal(0)
    if breached and limit <= 0:
        severity = Decimal(1)  # `above 0`: no share to take; any value is one step
    return Verdict(day, value, limit, low, high, breached, severity)


def _severity(value: Decimal, expected: Decimal) -> Decimal:
    return abs(value - expected) / abs(expected) if expected else Decimal(0)
