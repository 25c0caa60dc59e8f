"""Which sellers (or categories) explain a change: each part's own change against what was
expected of it, judged by the same baseline as the rule (its weekday's median, last week, the
trailing mean), as a share of the whole change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.alerts.judge import RuleTerms, reference

SHOWN = 3


@dataclass(frozen=True)
class Contribution:
    name: str
    change: Decimal  # the part's value minus what was expected of it, in the metric's unit
    share: Decimal | None  # of the whole change


def contributions(
    terms: RuleTerms,
    parts: Mapping[str, Mapping[date, Decimal]],
    day: date,
    limit: int = SHOWN,
) -> list[Contribution]:
    """The parts that moved most in the direction of the whole change, largest first.
    `parts` holds each part's value per day of the scope's data (0 where it had none)."""
    changes: dict[str, Decimal] = {}
    for name, values in parts.items():
        expected = reference(terms, values, day)
        if expected is not None:
            changes[name] = values.get(day, Decimal(0)) - expected
    total = sum(changes.values(), Decimal(0))
    if total == 0:
        return []
    same_way = [(name, c) for name, c in changes.items() if c * total > 0]
    same_way.sort(key=lambda item: (-abs(item[1]), item[0]))
    return [Contribution(name, c, c / total) for name, c in same_way[:limit]]
