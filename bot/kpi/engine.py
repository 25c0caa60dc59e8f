"""The KPI snapshot: every figure of a period with its comparisons, breakdowns and movers.

The database sums (storage.kpis); this module turns sums into KPIs and comparisons:
- vs the previous period of the same length;
- vs the same weekday last week (when the period is one day);
- vs the trailing 7-day average (the 7 days before the period; sums compared as averages per
  day with data, ratios compared as ratios).
A window with no rows at all has no figures ("—"), which is different from a day of zeros.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

import pandas as pd
from sqlalchemy.engine import Engine

from bot.kpi.definitions import KPIS, Kpi, Sums
from bot.kpi.periods import Period
from storage import kpis as store
from storage.kpis import FIGURE_COLUMNS, DayCategorySums, Scope, SellerChange, Window

TOP = 5


class Unread(Enum):
    """The latest day with data, not read yet."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD


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
    rows: Sequence[DayCategorySums], window: Window, sellers: tuple[int, int]
) -> dict[str, int] | None:
    """The summed figures of a window; None when no day in it has data."""
    first, last = window
    inside = [r for r in rows if first <= r.day <= last]
    if not inside:
        return None
    sums = {column: sum(r.figures[column] for r in inside) for column in FIGURE_COLUMNS}
    sums["managed_sellers"], sums["active_sellers"] = sellers
    sums["days"] = len({r.day for r in inside})
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


def category_lines(
    rows: Sequence[DayCategorySums], current: Window, previous: Window
) -> list[CategoryLine]:
    def gmv_by_category(window: Window) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for row in rows:
            if window[0] <= row.day <= window[1]:
                totals[row.category] += row.figures["gmv_cents"]
        return totals

    now, before = gmv_by_category(current), gmv_by_category(previous)
    total = sum(now.values())
    lines = [
        CategoryLine(
            category,
            gmv,
            Decimal(gmv) / total if total else None,
            change(gmv, before.get(category)),
        )
        for category, gmv in now.items()
    ]
    return sorted(lines, key=lambda line: (-line.gmv_cents, line.category))


def seller_line(seller: SellerChange) -> SellerLine:
    return SellerLine(
        seller.name, seller.key, seller.gmv_cents, seller.previous_gmv_cents, seller.orders
    )


def snapshot(
    engine: Engine,
    scope: Scope,
    period: Period,
    scope_label: str,
    program: str = "live",
    *,
    data_until: date | Unread | None = UNREAD,
) -> Snapshot:
    """Everything `/kpi` shows for `period` within `scope`: a handful of indexed scans.

    `data_until` is the scope's latest day with data (`storage.kpis.latest_day`); a caller that
    has read it already, to choose the period, passes it so it is read once."""
    if data_until is UNREAD:
        data_until = store.latest_day(engine, scope)
    windows: dict[str, Window] = {
        "current": (period.start, period.end),
        "previous": (period.previous().start, period.previous().end),
        "trailing": (period.trailing_week().start, period.trailing_week().end),
    }
    if period.is_day:
        last_week = period.shifted(-7)
        windows["last_week"] = (last_week.start, last_week.end)
    first = min(w[0] for w in windows.values())
    rows = store.day_category_sums(engine, scope, first, period.end)
    if not any(period.start <= r.day <= period.end for r in rows):
        return Snapshot(
            period,
            scope_label,
            figures(period, None, None, None, None),
            data_until=data_until,
            has_data=False,
        )
    counts = store.seller_counts(engine, scope, windows, program)

    def sums(name: str) -> dict[str, int] | None:
        return window_sums(rows, windows[name], counts[name]) if name in windows else None

    top, movers = store.leading_sellers(engine, scope, windows["current"], windows["previous"], TOP)
    return Snapshot(
        period,
        scope_label,
        figures(period, sums("current"), sums("previous"), sums("last_week"), sums("trailing")),
        categories=category_lines(rows, windows["current"], windows["previous"]),
        top_sellers=[seller_line(s) for s in top],
        movers=[seller_line(s) for s in movers],
        data_until=data_until,
    )


def resolve_today(latest: date | None, today: date) -> tuple[date, bool]:
    """The day `/kpi today` can show, given the scope's latest day with data: today if its data
    is in, else the latest day (and False, so the answer says so)."""
    if latest is None or latest >= today:
        return today, True
    return latest, False


def trend(engine: Engine, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per day of the period; a day without any rows has no figures (<NA>), which is
    different from a day whose figures are zero."""
    totals: dict[date, dict[str, int]] = {}
    for row in store.day_category_sums(engine, scope, period.start, period.end):
        day = totals.setdefault(row.day, dict.fromkeys(FIGURE_COLUMNS, 0))
        for column, value in row.figures.items():
            day[column] += value
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    frame = pd.DataFrame([{"day": d, **totals.get(d, dict.fromkeys(FIGURE_COLUMNS))} for d in days])
    return frame.astype({column: "Int64" for column in FIGURE_COLUMNS})
