"""Which sellers (or categories) explain a change: each part's own change against what was
expected of it, judged by the same baseline as the rule (its weekday's median, last week, the
trailing mean: `bot.alerts.judge.baseline_days`), as a share of the whole change. Thousands of
sellers at once, so the parts are the rows of a matrix (parts × days)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from bot.alerts.judge import ALERT_MIN_HISTORY, RuleTerms, baseline_days

SHOWN = 3


@dataclass(frozen=True)
class Contribution:
    name: str
    change: Decimal  # the part's value minus what was expected of it, in the metric's unit
    share: Decimal | None  # of the whole change


@dataclass(frozen=True)
class Parts:
    """Each part's value per day: `values[i, j]` is part i on days[j] (0 where it had none,
    on a day the scope has data)."""

    names: Sequence[str]
    days: Sequence[date]
    values: np.ndarray


def contributions(
    terms: RuleTerms, parts: Parts, day: date, limit: int = SHOWN
) -> list[Contribution]:
    """The parts that moved most in the direction of the whole change, largest first."""
    column = {d: at for at, d in enumerate(parts.days)}
    if day not in column or not len(parts.names):
        return []
    baseline, how = baseline_days(terms, day)
    columns = [column[d] for d in baseline if d in column]
    if not columns or (how == "median" and len(columns) < ALERT_MIN_HISTORY):
        return []
    history = parts.values[:, columns].astype(float)
    if how == "median":
        expected = np.median(history, axis=1)
    elif how == "mean":
        expected = history.mean(axis=1)
    else:
        expected = history[:, 0]
    changes = parts.values[:, column[day]] - expected
    total = float(changes.sum())
    if total == 0:
        return []
    same_way = np.flatnonzero(changes * total > 0)
    ranked = sorted(same_way.tolist(), key=lambda at: (-abs(changes[at]), parts.names[at]))
    found = []
    for at in ranked[:limit]:
        change = Decimal(str(round(float(changes[at]), 4)))
        found.append(Contribution(parts.names[at], change, change / Decimal(str(total))))
    return found
