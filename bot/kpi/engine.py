"""The KPI snapshot: every figure of a period with its comparisons, breakdowns and movers.

The database sums (storage.kpis); this module turns sums into KPIs and comparisons:
- vs the previous period of the same length;
- vs the same weekday last week (when the period is one day);
- vs the trailing 7-day average (the 7 days before the period; sums compared as averages per
  day with data, ratios compared as ratios).
A window with no rows at all has no figures ("—"), which is different from a day of zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from sqlalchemy.engine import Engine

from bot.kpi.definitions import KPIS, Kpi, Sums
from bot.kpi.periods import Period
from storage import kpis as store
from storage.kpis import FIGURE_COLUMNS, Scope

TOP = 5


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: Decimal | int | None
    vs_previous: Decimal | None = None
    vs_last_week: Decimal | None = None
    vs_trailing: Decimal | None = None


@dataclass(frozen=True)
class SellerLine:
    name: str
    key: str
    gmv_cents: int
    previous_gmv_cents: int
    orders: int

    @property
    def change_cents(self) -> int:
        return self.gmv_cents - self.previous_gmv_cents


@dataclass(frozen=True)
class CategoryLine:
    category: str
    gmv_cents: int
    share: Decimal | None
    vs_previous: Decimal | None


@dataclass(frozen=True)
class Snapshot:
    period: Period
    scope_label: str
    figures: list[Figure]
    categories: list[CategoryLine] = field(default_factory=list)
    top_sellers: list[SellerLine] = field(default_factory=list)
    movers: list[SellerLine] = field(default_factory=list)
    data_until: date | None = None
    has_data: bool = True


def change(current: Decimal | int | None, reference: Decimal | int | None) -> Decimal | None:
    """Relative change; None when there is nothing to compare with (or it was zero)."""
    if current is None or reference is None or reference == 0:
        return None
    return (Decimal(current) - Decimal(reference)) / abs(Decimal(reference))


def window_sums(
    daily: pd.DataFrame, first: date, last: date, sellers: tuple[int, int]
) -> dict[str, int] | None:
    """The summed figures of the days first..last; None when no day in it has data."""
    days = daily[(daily["day"] >= first) & (daily["day"] <= last)]
    if days.empty:
        return None
    sums = {column: int(days[column].sum()) for column in FIGURE_COLUMNS}
    sums["managed_sellers"], sums["active_sellers"] = sellers
    sums["days"] = len(days)
    return sums


def kpi_value(kpi: Kpi, sums: Sums | None, *, daily_average: bool = False) -> Decimal | int | None:
    """The KPI over a window; with `daily_average`, additive KPIs per day with data."""
    if sums is None:
        return None
    value = kpi.compute(sums)
    if value is None or not kpi.additive or not daily_average:
        return value
    return Decimal(value) / sums["days"]


def figures(
    period: Period,
    current: Sums | None,
    previous: Sums | None,
    last_week: Sums | None,
    trailing: Sums | None,
) -> list[Figure]:
    result = []
    for kpi in KPIS:
        value = kpi_value(kpi, current)
        result.append(
            Figure(
                kpi,
                value,
                vs_previous=change(value, kpi_value(kpi, previous)),
                vs_last_week=change(value, kpi_value(kpi, last_week)) if period.is_day else None,
                vs_trailing=change(
                    kpi_value(kpi, current, daily_average=True),
                    kpi_value(kpi, trailing, daily_average=True),
                ),
            )
        )
    return result


def category_lines(current: pd.DataFrame, previous: pd.DataFrame) -> list[CategoryLine]:
    total = int(current["gmv_cents"].sum())
    before = dict(zip(previous["category"], previous["gmv_cents"], strict=True))
    lines = [
        CategoryLine(
            str(category),
            int(gmv),
            Decimal(int(gmv)) / total if total else None,
            change(int(gmv), int(before[category]) if category in before else None),
        )
        for category, gmv in zip(current["category"], current["gmv_cents"], strict=True)
    ]
    return sorted(lines, key=lambda line: (-line.gmv_cents, line.category))


def seller_lines(frame: pd.DataFrame) -> tuple[list[SellerLine], list[SellerLine]]:
    """(top sellers by GMV, biggest movers by GMV change), ties broken by name."""
    columns = ["name", "seller_key", "gmv_cents", "previous_gmv_cents", "orders"]
    lines = [
        SellerLine(str(name), str(key), int(gmv), int(previous), int(orders))
        for name, key, gmv, previous, orders in frame[columns].itertuples(index=False, name=None)
    ]
    top = sorted((s for s in lines if s.gmv_cents > 0), key=lambda s: (-s.gmv_cents, s.name))
    movers = sorted(
        (s for s in lines if s.change_cents != 0), key=lambda s: (-abs(s.change_cents), s.name)
    )
    return top[:TOP], movers[:TOP]


def snapshot(
    engine: Engine, scope: Scope, period: Period, scope_label: str, program: str = "live"
) -> Snapshot:
    """Everything `/kpi` shows for `period` within `scope`."""
    previous, trailing = period.previous(), period.trailing_week()
    last_week = period.shifted(-7)
    first = min(previous.start, trailing.start)
    daily = store.daily_totals(engine, scope, first, period.end)

    def sums(window: Period) -> dict[str, int] | None:
        if daily.empty:
            return None
        counts = store.seller_counts(engine, scope, window.start, window.end, program)
        return window_sums(daily, window.start, window.end, counts)

    current = sums(period)
    data_until = store.latest_day(engine, scope)
    if current is None:
        return Snapshot(
            period,
            scope_label,
            figures(period, None, None, None, None),
            data_until=data_until,
            has_data=False,
        )
    categories = category_lines(
        store.category_totals(engine, scope, period.start, period.end),
        store.category_totals(engine, scope, previous.start, previous.end),
    )
    top, movers = seller_lines(
        store.seller_gmv(engine, scope, (period.start, period.end), (previous.start, previous.end))
    )
    return Snapshot(
        period,
        scope_label,
        figures(
            period,
            current,
            sums(previous),
            sums(last_week) if period.is_day else None,
            sums(trailing),
        ),
        categories=categories,
        top_sellers=top,
        movers=movers,
        data_until=data_until,
    )


def resolve_today(engine: Engine, scope: Scope, today: date) -> tuple[date, bool]:
    """The day `/kpi today` can show: today if its data is in, else the latest day with data
    (and False, so the answer says so)."""
    latest = store.latest_day(engine, scope)
    if latest is None or latest >= today:
        return today, True
    return latest, False


def trend(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per day of the period (days without data filled with zeros)."""
    daily = store.daily_totals(engine, scope, period.start, period.end)
    days = pd.DataFrame({"day": [period.start + timedelta(days=i) for i in range(period.days)]})
    merged = days.merge(daily, on="day", how="left").fillna(0)
    for column in FIGURE_COLUMNS:
        merged[column] = merged[column].astype("int64")
    return merged
