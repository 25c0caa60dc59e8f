"""What /kpi reads: the figures of a scope summed per day and category, seller counts from the
bitmaps, the sellers' GMV per window for top sellers and movers, the newest day, the categories.

The database does the summing, from the sum tables (storage.kpis.sums) where it can; what
comes back is small: one row per day and category, or per seller. Money stays integer cents.

A snapshot reads the per-day-and-category sums of its date range (figures, and bitmaps for
seller counts); top sellers and movers add up each seller's GMV and orders per day and
category (arrays in the order of a seller bitmap) with numpy, and look up by name only the
sellers that can place.
A one-seller scope reads that seller's own rows, one index probe per day (up to
SELLER_PROBE_DAYS).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Engine

from storage.kpis.models import (
    DAILY_CATEGORY_KPI_TABLE,
    DAILY_CATEGORY_SELLERS_TABLE,
    DAILY_SELLER_KPI_TABLE,
    FIGURE_COLUMNS,
    WEEKLY_SELLER_KPI_TABLE,
)
from storage.kpis.sums import PROGRAM_COLUMNS
from storage.sellers.models import SELLER_TABLE


@dataclass(frozen=True)
class Scope:
    """Which rows a figure covers: the workspace, optionally one category or one seller."""

    team_id: str
    category: str | None = None  # the exact category name (resolved from what the user typed)
    seller_id: int | None = None

    def where(self) -> Any:
        conditions = [DAILY_SELLER_KPI_TABLE.c.team_id == self.team_id]
        if self.category is not None:
            conditions.append(DAILY_SELLER_KPI_TABLE.c.category == self.category)
        if self.seller_id is not None:
            conditions.append(DAILY_SELLER_KPI_TABLE.c.seller_id == self.seller_id)
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
    source = DAILY_SELLER_KPI_TABLE if scope.seller_id is not None else DAILY_CATEGORY_KPI_TABLE
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
        select(source.c.day, source.c.category, *_figure_sums(source))
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


@functools.cache  # a pure memo: the same expressions for the same table, in any process
def _figure_sums(source: Any) -> tuple[Any, ...]:
    """Every figure of `source` summed (0 without rows). Built once: building these took as
    long as the query that uses them."""
    return tuple(func.coalesce(func.sum(source.c[c]), 0) for c in FIGURE_COLUMNS)


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
        statement = select(
            DAILY_SELLER_KPI_TABLE.c.day, DAILY_SELLER_KPI_TABLE.c[PROGRAM_COLUMNS[program]] > 0
        ).where(scope.where(), _days(scope, first, last))
        with engine.connect() as connection:
            for day, active in connection.execute(statement):
                days[day] = (1, int(bool(active)))
        return SellerPresence(days)
    where = [
        DAILY_CATEGORY_KPI_TABLE.c.team_id == scope.team_id,
        DAILY_CATEGORY_KPI_TABLE.c.day.between(first, last),
    ]
    if scope.category is not None:
        where.append(DAILY_CATEGORY_KPI_TABLE.c.category == scope.category)
    statement = select(
        DAILY_CATEGORY_KPI_TABLE.c.day,
        DAILY_CATEGORY_KPI_TABLE.c.seller_bits,
        DAILY_CATEGORY_KPI_TABLE.c[f"{program}_bits"],
    ).where(*where)
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


def _days(scope: Scope, first: date, last: date, source: Any = DAILY_SELLER_KPI_TABLE) -> Any:
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

    Every seller's GMV and orders per window are added up here from the per-day-and-category
    sums (reading each seller-day took longer than the rest of a snapshot); only the sellers
    that can place are looked up by name."""
    with engine.connect() as connection:
        if scope.seller_id is not None:
            sellers, key = _one_seller(connection, scope, current, previous), SELLER_TABLE.c.id
        else:
            sellers, key = (
                _every_seller(connection, scope, current, previous),
                SELLER_TABLE.c.number,
            )
        changes = np.abs(sellers.gmv - sellers.previous_gmv)
        top, movers = _contenders(sellers.gmv, limit), _contenders(changes, limit)
        wanted = sellers.keys[np.union1d(top, movers)].tolist()
        names = {
            int(found): (str(name), str(seller_key))
            for found, name, seller_key in connection.execute(
                select(key, SELLER_TABLE.c.name, SELLER_TABLE.c.seller_key).where(
                    SELLER_TABLE.c.team_id == scope.team_id, key.in_(wanted)
                )
            )
        }

    def ranked(positions: np.ndarray, scores: np.ndarray) -> list[SellerChange]:
        def name(at: int) -> str:
            return names[int(sellers.keys[at])][0]

        ordered = sorted(positions.tolist(), key=lambda at: (-int(scores[at]), name(at)))
        return [
            SellerChange(
                *names[int(sellers.keys[at])],
                int(sellers.gmv[at]),
                int(sellers.previous_gmv[at]),
                int(sellers.orders[at]),
            )
            for at in ordered[:limit]
        ]

    return ranked(top, sellers.gmv), ranked(movers, changes)


@dataclass(frozen=True)
class _SellerWindows:
    """Per seller (`keys`: their number, or row id for one seller): GMV in the current and the
    previous window, and orders in the current one."""

    keys: np.ndarray
    gmv: np.ndarray
    previous_gmv: np.ndarray
    orders: np.ndarray


def _every_seller(
    connection: Connection, scope: Scope, current: Window, previous: Window
) -> _SellerWindows:
    """Every seller of the scope, by number, added up from the per-day-and-category seller
    arrays of both windows."""
    source = DAILY_CATEGORY_SELLERS_TABLE
    now, before = source.c.day.between(*current), source.c.day.between(*previous)
    where = [source.c.team_id == scope.team_id, or_(now, before)]
    if scope.category is not None:
        where.append(source.c.category == scope.category)
    statement = select(now, before, source.c.sellers, source.c.gmv_cents, source.c.orders)
    cursor = connection.execute(statement.where(*where)).cursor  # plain tuples: no Row objects
    assert cursor is not None
    rows = cursor.fetchall()
    # All days' arrays end to end; each entry is in the windows of the day it came from.
    sellers = np.frombuffer(b"".join(row[2] for row in rows), "<i4")
    per_day = [len(row[2]) // 4 for row in rows]
    in_current = np.repeat([bool(row[0]) for row in rows], per_day).astype(bool)
    in_previous = np.repeat([bool(row[1]) for row in rows], per_day).astype(bool)
    gmv_cents = np.frombuffer(b"".join(row[3] for row in rows), "<i8")
    order_counts = np.frombuffer(b"".join(row[4] for row in rows), "<i8")
    width = int(sellers.max()) + 1 if sellers.size else 0
    gmv, previous_gmv, orders = (np.zeros(width, dtype=np.int64) for _ in range(3))
    np.add.at(gmv, sellers[in_current], gmv_cents[in_current])
    np.add.at(orders, sellers[in_current], order_counts[in_current])
    np.add.at(previous_gmv, sellers[in_previous], gmv_cents[in_previous])
    return _SellerWindows(np.arange(width), gmv, previous_gmv, orders)


def _one_seller(
    connection: Connection, scope: Scope, current: Window, previous: Window
) -> _SellerWindows:
    """The scope's one seller, by row id, from its own seller-days."""

    def sums(window: Window) -> tuple[int, int]:
        statement = select(
            func.coalesce(func.sum(DAILY_SELLER_KPI_TABLE.c.gmv_cents), 0),
            func.coalesce(func.sum(DAILY_SELLER_KPI_TABLE.c.orders), 0),
        ).where(scope.where(), _days(scope, *window))
        gmv, orders = connection.execute(statement).one()
        return int(gmv), int(orders)

    (gmv, orders), (previous_gmv, _) = sums(current), sums(previous)
    return _SellerWindows(
        np.array([scope.seller_id]), np.array([gmv]), np.array([previous_gmv]), np.array([orders])
    )


def day_list(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _contenders(scores: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the sellers with a positive score that can place in the top `limit`:
    all that score at least the `limit`-th best, so that ties can be broken by name."""
    if scores.size == 0 or limit <= 0:
        return np.empty(0, dtype=np.intp)
    k = min(limit, scores.size)
    kth = np.partition(scores, scores.size - k)[scores.size - k]
    return np.flatnonzero(scores >= max(int(kth), 1))


def latest_day(engine: Engine, scope: Scope) -> date | None:
    """The newest day with figures in the scope."""
    if scope.seller_id is not None:
        # Probed day by day, newest first, over the workspace's days (from the summary): the
        # key is day first, so a plain max() would read every seller's rows after this one's.
        # A scalar subquery, not EXISTS: planners turn EXISTS into a join that may scan.
        days = (
            select(DAILY_CATEGORY_KPI_TABLE.c.day)
            .where(DAILY_CATEGORY_KPI_TABLE.c.team_id == scope.team_id)
            .distinct()
            .subquery()
        )
        probe = (
            select(DAILY_SELLER_KPI_TABLE.c.id)
            .where(scope.where(), DAILY_SELLER_KPI_TABLE.c.day == days.c.day)
            .limit(1)
            .scalar_subquery()
        )
        statement = (
            select(days.c.day).where(probe.is_not(None)).order_by(days.c.day.desc()).limit(1)
        )
    else:
        where = [DAILY_CATEGORY_KPI_TABLE.c.team_id == scope.team_id]
        if scope.category is not None:
            where.append(DAILY_CATEGORY_KPI_TABLE.c.category == scope.category)
        statement = select(func.max(DAILY_CATEGORY_KPI_TABLE.c.day)).where(*where)
    with engine.connect() as connection:
        value = connection.execute(statement).scalar()
    return value if isinstance(value, date) else None


RECENT_DAYS = 31  # read first: nearly every seller has figures in the last month


def last_days_with_data(engine: Engine, team_id: str, numbers: Iterable[int]) -> dict[int, date]:
    """Per seller (by its number in the workspace, Seller.number): the newest day it has KPI
    figures on; a seller without any is left out. Read from the per-day seller bitmaps, newest
    first: the last RECENT_DAYS days of the workspace's data, and the older days only when a
    seller asked about has no figures in those."""
    wanted = np.unique(np.fromiter(numbers, dtype=np.int64))
    found: dict[int, date] = {}
    if wanted.size == 0:
        return found
    width = int(wanted[-1]) + 1
    team = DAILY_CATEGORY_KPI_TABLE.c.team_id == team_id
    with engine.connect() as connection:
        newest = connection.execute(
            select(func.max(DAILY_CATEGORY_KPI_TABLE.c.day)).where(team)
        ).scalar()
        if newest is None:
            return found
        cut = _as_day(newest) - timedelta(days=RECENT_DAYS - 1)
        for days in (DAILY_CATEGORY_KPI_TABLE.c.day >= cut, DAILY_CATEGORY_KPI_TABLE.c.day < cut):
            statement = select(
                DAILY_CATEGORY_KPI_TABLE.c.day, DAILY_CATEGORY_KPI_TABLE.c.seller_bits
            ).where(team, days)
            present: dict[date, int] = {}  # the day's categories' bitmaps OR-ed, as ints
            for day, bits in connection.execute(statement):
                day = _as_day(day)
                present[day] = present.get(day, 0) | int.from_bytes(bits, "little")
            if present:
                order = sorted(present, reverse=True)
                size, mask = (width + 7) // 8, (1 << width) - 1
                seen = np.stack(  # days × wanted
                    [bit_flags((present[d] & mask).to_bytes(size, "little"), width) for d in order]
                )[:, wanted]
                has_any = seen.any(axis=0)
                rows = seen.argmax(axis=0)[has_any].tolist()  # the first day seen, newest first
                found.update(zip(wanted[has_any].tolist(), (order[r] for r in rows), strict=True))
                wanted = wanted[~has_any]
            if wanted.size == 0:
                break
    return found


def seller_last_day(engine: Engine, team_id: str, seller_id: int) -> date | None:
    """The newest day the seller has KPI figures on (`last_days_with_data` for one seller)."""
    number = select(SELLER_TABLE.c.number).where(
        SELLER_TABLE.c.team_id == team_id, SELLER_TABLE.c.id == seller_id
    )
    with engine.connect() as connection:
        found = connection.execute(number).scalar()
    if found is None:
        return None
    return last_days_with_data(engine, team_id, [int(found)]).get(int(found))


def bit_flags(bitmap: bytes, width: int) -> np.ndarray:
    """Bit i of a seller bitmap (little-endian) as flag i, for the first `width` sellers."""
    flags = np.unpackbits(np.frombuffer(bitmap, np.uint8), bitorder="little").astype(bool)
    out = np.zeros(width, dtype=bool)
    out[: min(width, len(flags))] = flags[:width]
    return out


def seller_categories(engine: Engine, team_id: str, seller_id: int) -> list[str]:
    """The categories the seller has figures in."""
    statement = (
        select(WEEKLY_SELLER_KPI_TABLE.c.category)
        .where(
            WEEKLY_SELLER_KPI_TABLE.c.team_id == team_id,
            WEEKLY_SELLER_KPI_TABLE.c.seller_id == seller_id,
        )
        .distinct()
        .order_by(WEEKLY_SELLER_KPI_TABLE.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]


def categories(engine: Engine, team_id: str) -> list[str]:
    statement = (
        select(DAILY_CATEGORY_KPI_TABLE.c.category)
        .where(DAILY_CATEGORY_KPI_TABLE.c.team_id == team_id)
        .distinct()
        .order_by(DAILY_CATEGORY_KPI_TABLE.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]


def seller_day_matrix(
    engine: Engine, scope: Scope, days: list[date], figure: str
) -> tuple[np.ndarray, np.ndarray]:
    """(the sellers' numbers, their `figure` — `gmv_cents` or `orders` — per seller and day:
    one row per seller, one column per day of `days`, 0 where a seller had none), from the
    per-day-and-category seller arrays (a category scope reads its own)."""
    column = DAILY_CATEGORY_SELLERS_TABLE.c[figure]
    where = [
        DAILY_CATEGORY_SELLERS_TABLE.c.team_id == scope.team_id,
        DAILY_CATEGORY_SELLERS_TABLE.c.day.in_(days),
    ]
    if scope.category is not None:
        where.append(DAILY_CATEGORY_SELLERS_TABLE.c.category == scope.category)
    statement = select(
        DAILY_CATEGORY_SELLERS_TABLE.c.day, DAILY_CATEGORY_SELLERS_TABLE.c.sellers, column
    ).where(*where)
    with engine.connect() as connection:
        cursor = connection.execute(statement).cursor  # plain tuples: no Row objects
        assert cursor is not None
        rows = cursor.fetchall()
    at = {day: n for n, day in enumerate(days)}
    sellers = np.frombuffer(b"".join(row[1] for row in rows), "<i4")
    values = np.frombuffer(b"".join(row[2] for row in rows), "<i8")
    columns = np.repeat(
        [at[_as_day(row[0])] for row in rows], [len(row[1]) // 4 for row in rows]
    ).astype(np.intp)
    numbers, rows_of = np.unique(sellers, return_inverse=True)
    matrix = np.zeros((len(numbers), len(days)), dtype=np.int64)
    np.add.at(matrix, (rows_of, columns), values)
    return numbers, matrix


def _as_day(value: Any) -> date:
    """The raw driver hands SQLite dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def seller_names(engine: Engine, team_id: str, numbers: list[int]) -> dict[int, str]:
    """The names of the sellers with these workspace numbers."""
    statement = select(SELLER_TABLE.c.number, SELLER_TABLE.c.name).where(
        SELLER_TABLE.c.team_id == team_id, SELLER_TABLE.c.number.in_(numbers)
    )
    with engine.connect() as connection:
        return {int(number): str(name) for number, name in connection.execute(statement)}
