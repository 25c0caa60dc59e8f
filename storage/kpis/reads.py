"""What /kpi reads: the figures of a scope summed per day and category, seller counts from the
bitmaps, the sellers' GMV per window for top sellers and movers, the newest day, the categories.

The database does the summing, from the sum tables (storage.kpis.sums) where it can; what
comes back is small: one row per day and category, or per seller. Money stays integer cents.

A snapshot reads the per-day-and-category sums of its date range (figures, and bitmaps for
seller counts), and per seller the GMV and orders of the windows it compares: whole weeks from
the per-week table, the days around them from the seller-days. A one-seller scope reads that
seller's own rows, one index probe per day (up to SELLER_PROBE_DAYS).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import BigInteger, and_, cast, func, select, union_all
from sqlalchemy.engine import Connection, Engine

from storage.kpis.sums import PROGRAM_COLUMNS, monday
from storage.models import (
    FIGURE_COLUMNS,
    DailyCategoryKpi,
    DailySellerKpi,
    Seller,
    WeeklySellerKpi,
)

_table = DailySellerKpi.__table__  # type: ignore[attr-defined]
_sellers = Seller.__table__  # type: ignore[attr-defined]
_summary = DailyCategoryKpi.__table__  # type: ignore[attr-defined]
_weekly = WeeklySellerKpi.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Scope:
    """Which rows a figure covers: the workspace, optionally one category or one seller."""

    team_id: str
    category: str | None = None  # the exact category name (resolved from what the user typed)
    seller_id: int | None = None

    def where(self) -> Any:
        conditions = [_table.c.team_id == self.team_id]
        if self.category is not None:
            conditions.append(_table.c.category == self.category)
        if self.seller_id is not None:
            conditions.append(_table.c.seller_id == self.seller_id)
        return and_(*conditions)


Window = tuple[date, date]


@dataclass(frozen=True)
class DayCategorySums:
    day: date
    category: str
    figures: dict[str, int]


@dataclass(frozen=True)
class SellerChange:
    """A seller's GMV in the current and the previous window, and its orders now."""

    name: str
    key: str
    gmv_cents: int
    previous_gmv_cents: int
    orders: int


def _scoped(scope: Scope, first: date, last: date) -> tuple[Any, list[Any]]:
    """The table a scope reads (the summary, or one seller's own rows) and its conditions."""
    source = _table if scope.seller_id is not None else _summary
    where = [source.c.team_id == scope.team_id, _days(scope, first, last, source)]
    if scope.category is not None:
        where.append(source.c.category == scope.category)
    if scope.seller_id is not None:
        where.append(source.c.seller_id == scope.seller_id)
    return source, where


def daily_gmv(engine: Engine, scope: Scope, first: date, last: date) -> dict[date, int]:
    """GMV in cents per day with data, first..last (what judging a day's usual range needs)."""
    source, where = _scoped(scope, first, last)
    statement = (
        select(source.c.day, func.sum(source.c.gmv_cents)).where(*where).group_by(source.c.day)
    )
    with engine.connect() as connection:
        return {day: int(gmv) for day, gmv in connection.execute(statement)}


def day_category_sums(
    engine: Engine, scope: Scope, first: date, last: date
) -> list[DayCategorySums]:
    """Every figure summed per day and category within the scope (from the summary table,
    or from the seller's own rows for a one-seller scope)."""
    source, where = _scoped(scope, first, last)
    statement = (
        select(
            source.c.day,
            source.c.category,
            *[func.coalesce(func.sum(source.c[c]), 0) for c in FIGURE_COLUMNS],
        )
        .where(*where)
        .group_by(source.c.day, source.c.category)
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return [
        DayCategorySums(
            row[0], str(row[1]), {c: int(v) for c, v in zip(FIGURE_COLUMNS, row[2:], strict=True)}
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SellerPresence:
    """Per day with data: the sellers with figures, and of those the ones adopted in the
    program, as bitmaps (ints; a one-seller scope uses bit 0). Distinct sellers of a window
    are the union of its days' bitmaps."""

    days: dict[date, tuple[int, int]]

    def window(self, first: date, last: date) -> tuple[int, int]:
        """(sellers with figures, adopted sellers) on any day first..last."""
        sellers = adopted = 0
        for day, (with_figures, active) in self.days.items():
            if first <= day <= last:
                sellers, adopted = sellers | with_figures, adopted | active
        return sellers.bit_count(), adopted.bit_count()

    def day(self, day: date) -> tuple[int, int] | None:
        """(sellers with figures, adopted sellers) that day; None for a day without data."""
        found = self.days.get(day)
        return (found[0].bit_count(), found[1].bit_count()) if found else None


def seller_presence(
    engine: Engine, scope: Scope, first: date, last: date, program: str = "live"
) -> SellerPresence:
    """Which sellers had figures, and which adopted `program`, on each day first..last."""
    days: dict[date, tuple[int, int]] = {}
    if scope.seller_id is not None:
        statement = select(_table.c.day, _table.c[PROGRAM_COLUMNS[program]] > 0).where(
            scope.where(), _days(scope, first, last)
        )
        with engine.connect() as connection:
            for day, active in connection.execute(statement):
                days[day] = (1, int(bool(active)))
        return SellerPresence(days)
    where = [_summary.c.team_id == scope.team_id, _summary.c.day.between(first, last)]
    if scope.category is not None:
        where.append(_summary.c.category == scope.category)
    statement = select(_summary.c.day, _summary.c.seller_bits, _summary.c[f"{program}_bits"]).where(
        *where
    )
    with engine.connect() as connection:
        for day, seller_bits, program_bits in connection.execute(statement):
            sellers, adopted = days.get(day, (0, 0))
            days[day] = (
                sellers | int.from_bytes(seller_bits, "little"),
                adopted | int.from_bytes(program_bits, "little"),
            )
    return SellerPresence(days)


def seller_counts(
    engine: Engine, scope: Scope, windows: dict[str, Window], program: str = "live"
) -> dict[str, tuple[int, int]]:
    """Per window: (sellers with figures in it, of those the ones adopted in `program`)."""
    first = min(w[0] for w in windows.values())
    last = max(w[1] for w in windows.values())
    presence = seller_presence(engine, scope, first, last, program)
    return {name: presence.window(*window) for name, window in windows.items()}


SELLER_PROBE_DAYS = 1_500  # longer spans of one seller's rows are read with a range scan


def _days(scope: Scope, first: date, last: date, source: Any = _table) -> Any:
    """The condition for days first..last. Seller-days are keyed (team, day, seller): for one
    seller, one index probe per day, instead of a range scan over every seller's rows."""
    span = (last - first).days + 1
    if scope.seller_id is not None and 0 < span <= SELLER_PROBE_DAYS:
        return source.c.day.in_(day_list(first, last))
    return source.c.day.between(first, last)


def leading_sellers(
    engine: Engine, scope: Scope, current: Window, previous: Window, limit: int
) -> tuple[list[SellerChange], list[SellerChange]]:
    """(the top sellers by GMV now, the biggest GMV movers vs before), ties by name.

    The database sums per seller and window; the ranking happens here, on one small tuple per
    seller, and only the sellers that can place are looked up by name (ranking in SQL, with
    the names sorted for every seller, took as long again as the sums on SQLite)."""
    with engine.connect() as connection:
        now = seller_sums(connection, scope, current)
        before = seller_sums(connection, scope, previous)
        sums: list[tuple[int, ...]] = [
            (seller_id, gmv, before.pop(seller_id, (0, 0))[0], orders)
            for seller_id, (gmv, orders) in now.items()
        ]
        sums += [(seller_id, 0, gmv, 0) for seller_id, (gmv, _) in before.items()]
        top = _contenders(sums, lambda row: row[1], limit)
        movers = _contenders(sums, lambda row: abs(row[1] - row[2]), limit)
        ids = {row[0] for _, row in top + movers}
        names = {
            seller_id: (str(name), str(key))
            for seller_id, name, key in connection.execute(
                select(_sellers.c.id, _sellers.c.name, _sellers.c.seller_key).where(
                    _sellers.c.id.in_(ids)
                )
            )
        }

    def ranked(contenders: list[tuple[int, tuple[int, ...]]]) -> list[SellerChange]:
        ordered = sorted(contenders, key=lambda c: (-c[0], names[c[1][0]][0]))[:limit]
        return [
            SellerChange(*names[seller_id], gmv, previous_gmv, orders)
            for _, (seller_id, gmv, previous_gmv, orders) in ordered
        ]

    return ranked(top), ranked(movers)


def seller_sums(connection: Connection, scope: Scope, window: Window) -> dict[int, tuple[int, int]]:
    """(GMV cents, orders) per seller with figures in the window. The window's whole weeks
    come from the per-week table, the days before and after them from the seller-days."""
    first, last = window
    if first == last:  # one row per seller: nothing to add up
        return _fetch_sums(connection, _seller_days(scope, _table.c.day == first))
    weeks = whole_weeks(first, last)
    if scope.seller_id is not None:  # one seller's days: a probe per day
        parts = [_seller_days(scope, _days(scope, first, last))]
    elif weeks is None:
        parts = [_seller_days(scope, _table.c.day.in_(day_list(first, last)))]
    else:
        first_week, last_week = weeks
        edges = day_list(first, first_week - timedelta(days=1))
        edges += day_list(last_week + timedelta(days=7), last)
        where = [_weekly.c.team_id == scope.team_id, _weekly.c.week.between(first_week, last_week)]
        if scope.category is not None:
            where.append(_weekly.c.category == scope.category)
        parts = [select(_weekly.c.seller_id, _weekly.c.gmv_cents, _weekly.c.orders).where(*where)]
        if edges:
            parts.append(_seller_days(scope, _table.c.day.in_(edges)))
    rows = parts[0].subquery() if len(parts) == 1 else union_all(*parts).subquery()
    statement = select(
        rows.c.seller_id,
        cast(func.sum(rows.c.gmv_cents), BigInteger),
        cast(func.sum(rows.c.orders), BigInteger),
    ).group_by(rows.c.seller_id)
    return _fetch_sums(connection, statement)


def _fetch_sums(connection: Connection, statement: Any) -> dict[int, tuple[int, int]]:
    """{seller_id: (gmv_cents, orders)} from a statement that selects those three integers.
    Plain tuples from the driver: Row objects cost as much as the query for a few thousand
    sellers."""
    cursor = connection.execute(statement).cursor
    assert cursor is not None
    return {seller_id: (gmv, orders) for seller_id, gmv, orders in cursor.fetchall()}


def _seller_days(scope: Scope, days: Any) -> Any:
    return select(_table.c.seller_id, _table.c.gmv_cents, _table.c.orders).where(
        scope.where(), days
    )


def whole_weeks(first: date, last: date) -> tuple[date, date] | None:
    """The Mondays of the first and the last Monday-to-Sunday week inside first..last."""
    first_week = monday(first + timedelta(days=6))
    last_week = monday(last + timedelta(days=1)) - timedelta(days=7)
    return (first_week, last_week) if first_week <= last_week else None


def day_list(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _contenders(
    rows: list[tuple[int, ...]], score: Callable[[tuple[int, ...]], int], limit: int
) -> list[tuple[int, tuple[int, ...]]]:
    """(score, row) of the rows with a positive score that can place in the top `limit`: all
    that score at least the `limit`-th best, so that ties can be broken by name."""
    values = [score(row) for row in rows]
    best = heapq.nlargest(limit, values)
    cutoff = max(best[-1], 1) if best else 1
    return [(value, row) for value, row in zip(values, rows, strict=True) if value >= cutoff]


def latest_day(engine: Engine, scope: Scope) -> date | None:
    """The newest day with figures in the scope."""
    if scope.seller_id is not None:
        # Probed day by day, newest first, over the workspace's days (from the summary): the
        # key is day first, so a plain max() would read every seller's rows after this one's.
        # A scalar subquery, not EXISTS: planners turn EXISTS into a join that may scan.
        days = (
            select(_summary.c.day).where(_summary.c.team_id == scope.team_id).distinct().subquery()
        )
        probe = (
            select(_table.c.id)
            .where(scope.where(), _table.c.day == days.c.day)
            .limit(1)
            .scalar_subquery()
        )
        statement = (
            select(days.c.day).where(probe.is_not(None)).order_by(days.c.day.desc()).limit(1)
        )
    else:
        where = [_summary.c.team_id == scope.team_id]
        if scope.category is not None:
            where.append(_summary.c.category == scope.category)
        statement = select(func.max(_summary.c.day)).where(*where)
    with engine.connect() as connection:
        value = connection.execute(statement).scalar()
    return value if isinstance(value, date) else None


def seller_categories(engine: Engine, team_id: str, seller_id: int) -> list[str]:
    """The categories the seller has figures in."""
    statement = (
        select(_weekly.c.category)
        .where(_weekly.c.team_id == team_id, _weekly.c.seller_id == seller_id)
        .distinct()
        .order_by(_weekly.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]


def categories(engine: Engine, team_id: str) -> list[str]:
    statement = (
        select(_summary.c.category)
        .where(_summary.c.team_id == team_id)
        .distinct()
        .order_by(_summary.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]
