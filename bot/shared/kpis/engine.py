"""The KPI snapshot: every figure of a period with its comparisons, breakdowns and movers.

The database sums (storage.kpis.reads); this module turns sums into KPIs and comparisons,
always like with like:
- vs the previous period (`Period.previous`: a week or month to date against the same days of
  the week or month before, anything else against the span of the same length before it);
- vs the same weekday last week (when the period is one day);
- vs the trailing 7-day average, for periods shorter than a week (the 7 days before the
  period): sums as averages per day with data, rates and ratios as the mean of their daily
  values on both sides (a day's adoption against the mean of the seven daily adoptions, not
  against the adoption of the pooled seven days).
Rates (shares, engagement, adoption) change in percentage points, everything else in percent.
Days far outside their weekday's usual GMV are named where they drive a comparison.
A window with no rows at all has no figures ("—"), which is different from a day of zeros.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

import pandas as pd
from sqlalchemy.engine import Engine

from bot.shared.days import padded_day, short_day, weekday_short_day
from bot.shared.kpis.definitions import KPIS, Kpi, Sums
from bot.shared.kpis.unusual import UnusualDay, history_start, unusual_days
from bot.shared.language import _
from bot.shared.numbers import Unit, no_data_since
from bot.shared.periods import Period
from storage.kpis import reads as store
from storage.kpis.models import FIGURE_COLUMNS
from storage.kpis.reads import (
    DayCategorySums,
    Scope,
    SellerChange,
    SellerPresence,
    Window,
    day_list,
)

TOP = 5
TRAILING_DAYS = 7  # periods this long or longer are not compared with a 7-day average
ACROSS_SELLERS = {"adoption"}  # KPIs about a group of sellers, left out for one seller


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
    unusual: list[UnusualDay] = field(default_factory=list)
    """Days of the compared windows far outside their weekday's usual GMV."""
    one_seller: bool = False
    """The scope is one seller: no top sellers or movers, and no adoption (a share of one)."""
    previous_has_data: bool = True
    """Whether the period it is compared with (`Period.previous`) has any rows at all."""

    @property
    def shown(self) -> list[Figure]:
        """The figures an answer shows: for one seller, all but those about many sellers."""
        if not self.one_seller:
            return self.figures
        return [f for f in self.figures if f.kpi.key not in ACROSS_SELLERS]

    @property
    def notes(self) -> list[str]:
        """What a reader must know to read the comparisons right, in plain words."""
        notes = []
        if not self.previous_has_data:
            notes.append(nothing_to_compare(self.period))
        elif self.period.like_for_like:
            before = self.period.previous()
            notes.append(
                _("Compared with {start} – {end}, {period}: like with like.").format(
                    start=short_day(before.start), end=short_day(before.end), period=before.label
                )
            )
        if self.unusual:
            notes.append(_unusual_note(self.period, self.unusual))
        return notes


def nothing_to_compare(period: Period) -> str:
    """`No data for 01 Jan – 07 Dec 2025, the same days of the year before, to compare with.`"""
    before = period.previous()
    return _("No data for {start} – {end}, {period}, to compare with.").format(
        start=short_day(before.start), end=padded_day(before.end), period=before.label
    )


def _unusual_note(period: Period, days: Sequence[UnusualDay]) -> str:
    """`Last week includes Sat 21 Nov, 61% below a usual Saturday.` (and the same for the days
    it is compared with)."""
    inside = [d for d in days if period.start <= d.day <= period.end]
    before = [d.describe() for d in days if d.day < period.start]
    parts = [_("This day is {how}").format(how=inside[0].how()) if period.is_day and inside else ""]
    if inside and not period.is_day:
        name = (period.label or _("the period")).capitalize()
        listed = "; ".join(d.describe() for d in inside)
        parts = [_("{period} includes {days}").format(period=name, days=listed)]
    if before:
        compared = {"week": _("the week before"), "month": _("the month before")}.get(
            period.unit or "", _("the comparison")
        )
        parts.append(_("{period} includes {days}").format(period=compared, days="; ".join(before)))
    text = "; ".join(p for p in parts if p)
    return text[0].upper() + text[1:] + "."


def change(current: Decimal | int | None, reference: Decimal | int | None) -> Decimal | None:
    """Relative change; None when there is nothing to compare with (or it was zero)."""
    if current is None or reference is None or reference == 0:
        return None
    return (Decimal(current) - Decimal(reference)) / abs(Decimal(reference))


def compare(
    kpi: Kpi, current: Decimal | int | None, reference: Decimal | int | None
) -> Decimal | None:
    """The change as people read it: a rate's in percentage points (as a fraction: 0.0025 is
    0.25 pt), anything else's relative to the reference; None with nothing to compare."""
    if kpi.unit is Unit.RATE:
        if current is None or reference is None:
            return None
        return Decimal(current) - Decimal(reference)
    return change(current, reference)


def window_sums(
    rows: Sequence[DayCategorySums], window: Window, presence: SellerPresence
) -> dict[str, int] | None:
    """The summed figures of a window; None when no day in it has data."""
    first, last = window
    inside = [r for r in rows if first <= r.day <= last]
    if not inside:
        return None
    sums = {column: sum(r.figures[column] for r in inside) for column in FIGURE_COLUMNS}
    sums["managed_sellers"], sums["active_sellers"] = presence.window(first, last)
    sums["days"] = len({r.day for r in inside})
    return sums


def daily_sums(
    rows: Sequence[DayCategorySums], window: Window, presence: SellerPresence
) -> list[dict[str, int]]:
    """The summed figures of each day with data in the window, in date order."""
    days = sorted({r.day for r in rows if window[0] <= r.day <= window[1]})
    return [s for d in days if (s := window_sums(rows, (d, d), presence)) is not None]


def daily_mean(kpi: Kpi, days: Sequence[Sums]) -> Decimal | None:
    """The mean of the KPI's daily values, over the days where it is defined."""
    values = [Decimal(v) for v in (kpi.compute(day) for day in days) if v is not None]
    return sum(values, Decimal(0)) / len(values) if values else None


def kpi_value(kpi: Kpi, sums: Sums | None, *, daily_average: bool = False) -> Decimal | int | None:
    """The KPI over a window; with `daily_average`, additive KPIs per day with data."""
    if sums is None:
        return None
    value = kpi.compute(sums)
    if value is None or not kpi.additive or not daily_average:
        return value
    return Decimal(value) / sums["days"]


def period_figure(kpi: Kpi, current: Sums | None, previous: Sums | None) -> Figure:
    """The KPI over a window against the window before it, and no other comparison."""
    value = kpi_value(kpi, current)
    return Figure(kpi, value, vs_previous=compare(kpi, value, kpi_value(kpi, previous)))


@dataclass(frozen=True)
class Windows:
    """The sums a snapshot compares: the period, the period before, the same weekday last
    week (one day), and for short periods each day of the period and of the trailing week."""

    current: Sums | None
    previous: Sums | None = None
    last_week: Sums | None = None
    current_days: Sequence[Sums] = ()
    trailing_days: Sequence[Sums] = ()


def figures(period: Period, sums: Windows) -> list[Figure]:
    result = []
    for kpi in KPIS:
        value = kpi_value(kpi, sums.current)
        result.append(
            Figure(
                kpi,
                value,
                vs_previous=compare(kpi, value, kpi_value(kpi, sums.previous)),
                vs_last_week=(
                    compare(kpi, value, kpi_value(kpi, sums.last_week)) if period.is_day else None
                ),
                vs_trailing=_vs_trailing(kpi, period, sums),
            )
        )
    return result


def _vs_trailing(kpi: Kpi, period: Period, sums: Windows) -> Decimal | None:
    """Per day on both sides: a sum's average per day with data, a rate's or ratio's mean of
    its daily values. A week or longer is not compared with a 7-day average at all."""
    if period.days >= TRAILING_DAYS or not sums.trailing_days:
        return None
    if kpi.additive:
        total = sum((Decimal(kpi.compute(day) or 0) for day in sums.trailing_days), Decimal(0))
        trailing = total / len(sums.trailing_days)
        return compare(kpi, kpi_value(kpi, sums.current, daily_average=True), trailing)
    return compare(kpi, daily_mean(kpi, sums.current_days), daily_mean(kpi, sums.trailing_days))


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

    `data_until` is the scope's latest day with data (`storage.kpis.reads.latest_day`); a
    caller that has read it already, to choose the period, passes it so it is read once."""
    if data_until is UNREAD:
        data_until = store.latest_day(engine, scope)
    before = period.previous()
    windows: dict[str, Window] = {
        "current": (period.start, period.end),
        "previous": (before.start, before.end),
    }
    if period.days < TRAILING_DAYS:
        trailing = period.trailing_week()
        windows["trailing"] = (trailing.start, trailing.end)
    if period.is_day:
        last_week = period.shifted(-7)
        windows["last_week"] = (last_week.start, last_week.end)
    first = min(w[0] for w in windows.values())
    rows = store.day_category_sums(engine, scope, first, period.end)
    if not any(period.start <= r.day <= period.end for r in rows):
        return Snapshot(
            period,
            scope_label,
            figures(period, Windows(None)),
            data_until=data_until,
            has_data=False,
            one_seller=scope.seller_id is not None,
        )
    presence = store.seller_presence(engine, scope, first, period.end, program)

    def sums(name: str) -> dict[str, int] | None:
        return window_sums(rows, windows[name], presence) if name in windows else None

    def days_of(name: str) -> list[dict[str, int]]:
        """Each day's sums, which only the 7-day average of a short period needs."""
        return daily_sums(rows, windows[name], presence) if "trailing" in windows else []

    compared = Windows(
        sums("current"),
        sums("previous"),
        sums("last_week"),
        days_of("current"),
        days_of("trailing"),
    )
    one_seller = scope.seller_id is not None
    top, movers = (
        ([], [])
        if one_seller
        else store.leading_sellers(engine, scope, windows["current"], windows["previous"], TOP)
    )
    return Snapshot(
        period,
        scope_label,
        figures(period, compared),
        categories=category_lines(rows, windows["current"], windows["previous"]),
        top_sellers=[seller_line(s) for s in top],
        movers=[seller_line(s) for s in movers],
        data_until=data_until,
        unusual=_unusual(engine, scope, rows, windows),
        one_seller=one_seller,
        previous_has_data=any(before.start <= r.day <= before.end for r in rows),
    )


def _unusual(
    engine: Engine, scope: Scope, rows: Sequence[DayCategorySums], windows: dict[str, Window]
) -> list[UnusualDay]:
    """The days that drive the GMV comparisons (the period and what it is compared with)
    that are far outside their weekday's usual range. The snapshot's own rows give the GMV of
    the days it read; only the weeks of history before them are read here."""
    first = min(w[0] for w in windows.values())
    gmv = store.daily_gmv(engine, scope, history_start(first), first - timedelta(days=1))
    for row in rows:
        gmv[row.day] = gmv.get(row.day, 0) + row.figures["gmv_cents"]
    compared = [windows[name] for name in ("current", "previous", "last_week") if name in windows]
    return unusual_days(gmv, [d for start, end in compared for d in day_list(start, end)])


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


def available(period: Period, latest: date | None, today: date) -> tuple[Period, str]:
    """A period that runs up to today, or the last N days, ends at the latest day with data:
    today, this week, this month and the last N days fall back the same way, to the day,
    week, month or N days to that day, and say so."""
    if not period.to_date and period.unit != "days":
        return period, ""
    day, complete = resolve_today(latest, today)
    if complete or day >= period.end:
        return period, ""
    shown = period.as_of(day)
    if period.unit == "day":
        what = weekday_short_day(day)
    elif shown.to_date:
        what = _("{period} to {day}").format(period=shown.label, day=weekday_short_day(day))
    else:
        what = shown.label
    return shown, _("Today's data is not in yet; showing {what}.").format(what=what)


def stopped_early(period: Period, data_ends: date, latest: date) -> tuple[Period, str]:
    """A seller whose data stops on `data_ends` while the team's runs to `latest`: the period
    stays the team's, the days after `data_ends` are missing (not zero), and the period is
    compared on its days with data against the same days before (`Period.data_ends`); the note
    says so. A period that ends before the stop is as it was."""
    if data_ends >= period.end:
        return period, ""
    stop = no_data_since(data_ends, latest)
    stop = f"{stop[0].upper()}{stop[1:]}"
    if data_ends < period.start:
        return period, _("{stop} for this seller.").format(stop=stop)
    cut = replace(period, data_ends=data_ends)
    return cut, _(
        "{stop} for this seller: its figures are of {start} – {end}, its days with data."
    ).format(stop=stop, start=short_day(period.start), end=short_day(data_ends))
