"""The sum tables, kept in step with the seller-days by every import: per day and category
(`dailycategorykpi`, with bitmaps of its sellers by their number in the workspace, for seller
counts), each seller's GMV and orders per day and category (`dailycategorysellers`, for
ranking sellers) and per seller and week (`weeklysellerkpi`). The migrations that filled them
carry their own copies of these statements, as they were then."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, bindparam, func, literal, select
from sqlalchemy.engine import Connection

from storage.kpis.models import (
    DAILY_CATEGORY_KPI_TABLE,
    DAILY_CATEGORY_SELLERS_TABLE,
    DAILY_SELLER_KPI_TABLE,
    FIGURE_COLUMNS,
    WEEKLY_SELLER_KPI_TABLE,
)
from storage.sellers.models import SELLER_TABLE

# The programs a seller adopts, by the figure that shows activity in it (a `<program>_bits`
# bitmap each in the per-day-and-category table).
PROGRAM_COLUMNS = {
    "live": "live_sessions",
    "affiliate": "affiliate_gmv_cents",
    "video": "video_gmv_cents",
}
REFRESH_DAYS = 31  # days re-summed at a time: bounds the seller flags held in memory


def refresh_summaries(connection: Connection, team_id: str, first: date, last: date) -> None:
    """Bring every table summed from the seller-days in step for the days first..last."""
    refresh_category_days(connection, team_id, first, last, sellers=True)
    refresh_seller_weeks(connection, team_id, first, last)


def days_with_sums(connection: Connection, team_id: str) -> set[date]:
    """The days a workspace has seller-days for, from their sums (a row per day and category,
    always in step with the seller-days)."""
    statement = (
        select(DAILY_CATEGORY_KPI_TABLE.c.day)
        .where(DAILY_CATEGORY_KPI_TABLE.c.team_id == team_id)
        .distinct()
    )
    return {_as_date(day) for day in connection.execute(statement).scalars()}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def refresh_seller_weeks(connection: Connection, team_id: str, first: date, last: date) -> None:
    """Re-sum the per-week seller table for every week that holds a day of first..last."""
    week = monday(first)
    while week <= last:
        connection.execute(
            WEEKLY_SELLER_KPI_TABLE.delete().where(
                WEEKLY_SELLER_KPI_TABLE.c.team_id == team_id, WEEKLY_SELLER_KPI_TABLE.c.week == week
            )
        )
        sums = (
            select(
                literal(team_id),
                literal(week, Date),
                DAILY_SELLER_KPI_TABLE.c.category,
                DAILY_SELLER_KPI_TABLE.c.seller_id,
                func.sum(DAILY_SELLER_KPI_TABLE.c.gmv_cents),
                func.sum(DAILY_SELLER_KPI_TABLE.c.orders),
            )
            .where(
                DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
                DAILY_SELLER_KPI_TABLE.c.day.between(week, week + timedelta(days=6)),
            )
            .group_by(DAILY_SELLER_KPI_TABLE.c.category, DAILY_SELLER_KPI_TABLE.c.seller_id)
        )
        target = ["team_id", "week", "category", "seller_id", "gmv_cents", "orders"]
        connection.execute(WEEKLY_SELLER_KPI_TABLE.insert().from_select(target, sums))
        week += timedelta(days=7)


def refresh_category_days(
    connection: Connection,
    team_id: str,
    first: date,
    last: date,
    *,
    sellers: bool = False,
    days_at_a_time: int = REFRESH_DAYS,
) -> None:
    """Re-sum the per-day-and-category table for the days first..last from the seller-days;
    with `sellers`, the per-day-and-category seller table too (the migrations from before it
    existed re-sum without it). `days_at_a_time` bounds the seller-days held at once."""
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=days_at_a_time - 1))
        _refresh_days(connection, team_id, start, end, sellers=sellers)
        start = end + timedelta(days=1)


def _refresh_days(
    connection: Connection, team_id: str, first: date, last: date, *, sellers: bool
) -> None:
    tables = (
        [DAILY_CATEGORY_KPI_TABLE, DAILY_CATEGORY_SELLERS_TABLE]
        if sellers
        else [DAILY_CATEGORY_KPI_TABLE]
    )
    for table in tables:
        connection.execute(
            table.delete().where(table.c.team_id == team_id, table.c.day.between(first, last))
        )
    sums = (
        select(
            DAILY_SELLER_KPI_TABLE.c.team_id,
            DAILY_SELLER_KPI_TABLE.c.day,
            DAILY_SELLER_KPI_TABLE.c.category,
            *[func.sum(DAILY_SELLER_KPI_TABLE.c[c]) for c in FIGURE_COLUMNS],
        )
        .where(
            DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
            DAILY_SELLER_KPI_TABLE.c.day.between(first, last),
        )
        .group_by(
            DAILY_SELLER_KPI_TABLE.c.team_id,
            DAILY_SELLER_KPI_TABLE.c.day,
            DAILY_SELLER_KPI_TABLE.c.category,
        )
    )
    target = ["team_id", "day", "category", *FIGURE_COLUMNS]
    connection.execute(DAILY_CATEGORY_KPI_TABLE.insert().from_select(target, sums))
    flags = select(
        DAILY_SELLER_KPI_TABLE.c.day,
        DAILY_SELLER_KPI_TABLE.c.category,
        DAILY_SELLER_KPI_TABLE.c.seller_id,
        DAILY_SELLER_KPI_TABLE.c.gmv_cents,
        DAILY_SELLER_KPI_TABLE.c.orders,
        *[DAILY_SELLER_KPI_TABLE.c[column] > 0 for column in PROGRAM_COLUMNS.values()],
    ).where(
        DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
        DAILY_SELLER_KPI_TABLE.c.day.between(first, last),
    )
    # Plain tuples from the driver: at a million seller-days, Row objects cost seconds.
    raw = connection.execute(flags).cursor
    assert raw is not None
    rows = raw.fetchall()
    if not rows:
        return
    days, cats, ids, gmv, orders, *programs = (
        np.asarray(column, dtype=object) for column in zip(*rows, strict=True)
    )
    numbers = seller_numbers(connection, team_id, ids)
    updates = [
        {"t": team_id, "d": _as_date(day), "c": category, **bits}
        for (day, category), bits in _bitmaps(days, cats, numbers, programs).items()
    ]
    connection.execute(
        DAILY_CATEGORY_KPI_TABLE.update().where(
            DAILY_CATEGORY_KPI_TABLE.c.team_id == bindparam("t"),
            DAILY_CATEGORY_KPI_TABLE.c.day == bindparam("d"),
            DAILY_CATEGORY_KPI_TABLE.c.category == bindparam("c"),
        ),
        updates,
    )
    if sellers:
        records = [
            {"team_id": team_id, "day": _as_date(day), "category": category, **arrays}
            for (day, category), arrays in _seller_arrays(days, cats, numbers, gmv, orders).items()
        ]
        connection.execute(DAILY_CATEGORY_SELLERS_TABLE.insert(), records)


def _groups(days: Any, categories: Any) -> Iterator[tuple[tuple[Any, Any], np.ndarray]]:
    """Each (day, category) with the positions of its rows."""
    # (day, category) pairs numbered from each side's own numbering: several times faster
    # than factorizing the pairs themselves.
    day_codes, day_values = pd.factorize(_plain(days))
    category_codes, category_values = pd.factorize(_plain(categories))
    codes = day_codes * len(category_values) + category_codes
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for positions in np.split(order, bounds):
        code = int(codes[positions[0]])
        day = day_values[code // len(category_values)]
        yield (day, category_values[code % len(category_values)]), positions


def _plain(values: Any) -> np.ndarray:
    """Integer codes as they are (factorized without a Python object each), else objects."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return values
    return np.asarray(values, dtype=object)


def _bitmaps(
    days: Any, categories: Any, numbers: Any, programs: Sequence[Any]
) -> dict[tuple[Any, Any], dict[str, bytes]]:
    """Per (day, category): the bitmaps of its sellers and of those active in each program,
    from each row's day, category, seller number and program flags."""
    sellers = np.asarray(numbers, dtype=np.int64)
    width = int(sellers.max()) + 1
    flags = [np.asarray(p, dtype=bool) for p in programs]
    result = {}
    for group, positions in _groups(days, categories):
        members = sellers[positions]
        result[group] = {
            "seller_bits": seller_bitmap(members, width),
            **{
                f"{name}_bits": seller_bitmap(members[program[positions]], width)
                for name, program in zip(PROGRAM_COLUMNS, flags, strict=True)
            },
        }
    return result


def _seller_arrays(
    days: Any, categories: Any, numbers: Any, gmv: Any, orders: Any
) -> dict[tuple[Any, Any], dict[str, bytes]]:
    """Per (day, category): the numbers of its sellers, ascending, and their GMV and orders,
    as the arrays of `dailycategorysellers`, from each row's day, category, seller number, GMV
    and orders."""
    sellers = np.asarray(numbers, dtype="<i4")
    gmv_cents, order_counts = np.asarray(gmv, dtype="<i8"), np.asarray(orders, dtype="<i8")
    result = {}
    for group, positions in _groups(days, categories):
        ascending = positions[np.argsort(sellers[positions], kind="stable")]
        result[group] = {
            "sellers": sellers[ascending].tobytes(),
            "gmv_cents": gmv_cents[ascending].tobytes(),
            "orders": order_counts[ascending].tobytes(),
        }
    return result


def sum_new_days(connection: Connection, team_id: str, rows: pd.DataFrame) -> None:
    """Sums, bitmaps and seller arrays of days that had no seller-days before this import,
    from the rows just written: what a re-sum would give, without reading them back."""
    sums = NewDaySums()
    sums.add(rows)
    sums.write(connection, team_id)


class NewDaySums:
    """What `sum_new_days` writes, gathered chunk by chunk from the rows as they are written,
    then written a few days at a time, so that no step holds more than those days'
    seller-days. Days must have had no seller-days before.

    The sums per day and category are added up as the rows come. The seller arrays and
    bitmaps need each day's rows together, and a sheet lists them seller by seller, so each
    row's day, category, seller, GMV, orders and program flags wait on disk (`_SpilledRows`)
    rather than in memory, where they would grow with the file."""

    def __init__(self) -> None:
        self.sums: pd.DataFrame | None = None  # the figures by (day, category)
        self.spilled = _SpilledRows()
        self.categories: dict[str, int] = {}

    def add(self, rows: pd.DataFrame) -> None:
        """Rows with day (date), category, seller_id and the figure columns."""
        sums = rows.groupby(["day", "category"], sort=False)[list(FIGURE_COLUMNS)].sum()
        if self.sums is not None:
            sums = pd.concat([self.sums, sums]).groupby(level=[0, 1], sort=False).sum()
        self.sums = sums
        codes, names = pd.factorize(rows["category"])
        numbers = np.array(
            [self.categories.setdefault(name, len(self.categories)) for name in names],
            dtype=np.int16,
        )
        records = np.empty(len(rows), dtype=_SPILLED)
        records["day"] = np.fromiter((day.toordinal() for day in rows["day"]), np.int32)
        records["category"] = numbers[codes]
        for field in ("seller_id", "gmv_cents", "orders"):
            records[field] = rows[field].to_numpy(dtype=np.int64)
        for name, column in PROGRAM_COLUMNS.items():
            records[name] = rows[column].to_numpy() > 0
        self.spilled.add(records)

    def write(self, connection: Connection, team_id: str, days_at_a_time: int = 31) -> None:
        if self.sums is None:
            return
        sums, self.sums = self.sums, None
        bits: dict[tuple[Any, Any], dict[str, bytes]] = {}
        weeks_at_a_time = max(1, days_at_a_time // SPILL_DAYS)
        for rows in self.spilled.windows(weeks_at_a_time):
            bits |= self._write_days(connection, team_id, pd.DataFrame(rows))
        self.spilled.close()
        records = [
            {
                "team_id": team_id,
                "day": day,
                "category": category,
                **{c: int(v) for c, v in zip(FIGURE_COLUMNS, values, strict=True)},
                **bits[(day, category)],
            }
            for (day, category), values in zip(
                sums.index, sums.itertuples(index=False, name=None), strict=True
            )
        ]
        connection.execute(DAILY_CATEGORY_KPI_TABLE.insert(), records)

    def _write_days(
        self, connection: Connection, team_id: str, rows: pd.DataFrame
    ) -> dict[tuple[Any, Any], dict[str, bytes]]:
        """The seller arrays of some days written; their bitmaps returned, by (day, category)
        (grouped by numbers: a Python object per row would cost more than all the rest)."""
        names = list(self.categories)

        def named(groups: dict[tuple[Any, Any], Any]) -> dict[tuple[Any, Any], Any]:
            return {
                (date.fromordinal(int(day)), names[category]): value
                for (day, category), value in groups.items()
            }

        days, categories = rows["day"].to_numpy(), rows["category"].to_numpy()
        numbers = seller_numbers(connection, team_id, rows["seller_id"].to_numpy())
        arrays = named(
            _seller_arrays(
                days, categories, numbers, rows["gmv_cents"].to_numpy(), rows["orders"].to_numpy()
            )
        )
        connection.execute(
            DAILY_CATEGORY_SELLERS_TABLE.insert(),
            [
                {"team_id": team_id, "day": day, "category": category, **columns}
                for (day, category), columns in arrays.items()
            ],
        )
        programs = [rows[name].to_numpy() for name in PROGRAM_COLUMNS]
        return named(_bitmaps(days, categories, numbers, programs))


SPILL_DAYS = 7  # the days of one spill file
_SPILLED = np.dtype(
    [
        ("day", "<i4"),  # ordinal
        ("category", "<i2"),  # NewDaySums.categories
        ("seller_id", "<i8"),
        ("gmv_cents", "<i8"),
        ("orders", "<i8"),
        *((name, "?") for name in PROGRAM_COLUMNS),
    ]
)


class _SpilledRows:
    """Fixed-width records of seller-days waiting in a temporary directory, one file per week
    of days (appended to chunk by chunk), read back a few weeks at a time in day order. The
    directory goes with `close`, or with the object."""

    def __init__(self) -> None:
        self.directory: tempfile.TemporaryDirectory[str] | None = None
        self.weeks: set[int] = set()

    def _path(self, week: int) -> Path:
        assert self.directory is not None
        return Path(self.directory.name) / f"{week}.rows"

    def add(self, records: np.ndarray) -> None:
        if self.directory is None:
            self.directory = tempfile.TemporaryDirectory(prefix="shopbot-sums-")
        weeks = records["day"] // SPILL_DAYS
        order = np.argsort(weeks, kind="stable")
        records, weeks = records[order], weeks[order]
        for part in np.split(records, np.flatnonzero(np.diff(weeks)) + 1):
            week = int(part["day"][0]) // SPILL_DAYS
            with self._path(week).open("ab") as file:
                part.tofile(file)
            self.weeks.add(week)

    def windows(self, weeks_at_a_time: int) -> Iterator[np.ndarray]:
        """The records of `weeks_at_a_time` weeks at a time, earliest first."""
        weeks = sorted(self.weeks)
        for start in range(0, len(weeks), weeks_at_a_time):
            parts = weeks[start : start + weeks_at_a_time]
            yield np.concatenate([np.fromfile(self._path(w), dtype=_SPILLED) for w in parts])

    def close(self) -> None:
        if self.directory is not None:
            self.directory.cleanup()
        self.directory, self.weeks = None, set()


def _as_date(value: Any) -> date:
    """The raw driver hands SQLite dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def seller_numbers(connection: Connection, team_id: str, seller_ids: Any) -> np.ndarray:
    """The workspace numbers (Seller.number: the bits of the bitmaps) of the sellers with these
    row ids, in the same order."""
    ids = np.asarray(seller_ids, dtype=np.int64)
    statement = select(SELLER_TABLE.c.id, SELLER_TABLE.c.number).where(
        SELLER_TABLE.c.team_id == team_id
    )
    cursor = connection.execute(statement).cursor  # plain tuples: numpy reads Row objects slowly
    assert cursor is not None
    known = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    at = pd.Index(known[:, 0]).get_indexer(pd.Index(ids, copy=False))
    if (at < 0).any():
        raise ValueError(f"seller-days of sellers that workspace {team_id} does not have")
    return known[at, 1]


def seller_bitmap(numbers: Iterable[int], width: int | None = None) -> bytes:
    """Bit i set for every seller number i (little-endian bytes)."""
    set_bits = np.asarray(
        numbers if isinstance(numbers, np.ndarray) else list(numbers), dtype=np.int64
    )
    if set_bits.size == 0:
        return b""
    bits = np.zeros(width or int(set_bits.max()) + 1, dtype=np.uint8)
    bits[set_bits] = 1
    return np.packbits(bits, bitorder="little").tobytes()
