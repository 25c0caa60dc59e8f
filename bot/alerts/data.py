"""A scope's figures per day, read once for every rule on it: the sums of each day (and of
each day per category), and which sellers had figures on each day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy.engine import Engine

from bot.alerts.contributions import Parts
from bot.shared.kpis.definitions import Kpi, Sums
from storage.kpis import reads as store
from storage.kpis.models import FIGURE_COLUMNS
from storage.kpis.reads import Scope

READ_DAYS = 8 * 7 + 28 + 8 * 7  # judged days' history, an episode back, and the chart's weeks


@dataclass
class ScopeData:
    scope: Scope
    days: dict[date, dict[str, int]] = field(default_factory=dict)
    by_category: dict[str, dict[date, dict[str, int]]] = field(default_factory=dict)
    presence: dict[date, int] = field(default_factory=dict)

    def values(self, kpi: Kpi) -> dict[date, Decimal]:
        """The KPI per day with data (days where it is undefined, say AOV without orders, left
        out)."""
        return _computed(kpi, self.days)

    def category_parts(self, kpi: Kpi) -> Parts:
        """An additive KPI per category and day of the scope's data (0 where a category had
        none), for explaining a workspace's change."""
        days = sorted(self.days)
        names = sorted(self.by_category)
        values = np.array(
            [
                [float(kpi.compute(self.by_category[name].get(d, _zeros())) or 0) for d in days]
                for name in names
            ]
        ).reshape(len(names), len(days))
        return Parts(names, days, values)


def _zeros() -> dict[str, int]:
    return {
        **dict.fromkeys(FIGURE_COLUMNS, 0),
        "managed_sellers": 0,
        "active_sellers": 0,
        "days": 1,
    }


def _computed(kpi: Kpi, days: Mapping[date, Sums]) -> dict[date, Decimal]:
    values = {}
    for day, sums in days.items():
        value = kpi.compute(sums)
        if value is not None:
            values[day] = Decimal(value)
    return values


def load_scope(engine: Engine, scope: Scope, last: date, program: str = "live") -> ScopeData:
    """The scope's figures for the READ_DAYS up to `last`."""
    first = last - timedelta(days=READ_DAYS)
    data = ScopeData(scope)
    presence = store.seller_presence(engine, scope, first, last, program)
    by_category: dict[str, dict[date, dict[str, int]]] = defaultdict(dict)
    for row in store.day_category_sums(engine, scope, first, last):
        totals = data.days.setdefault(row.day, _zeros())
        for column, value in row.figures.items():
            totals[column] += value
        by_category[row.category][row.day] = {**_zeros(), **row.figures}
    for day, sums in data.days.items():
        counted = presence.day(day)
        if counted is not None:
            sums["managed_sellers"], sums["active_sellers"] = counted
    data.by_category = dict(by_category)
    data.presence = {day: bits for day, (bits, _adopted) in presence.days.items()}
    return data
