"""Daily seller KPIs: writing imported seller-days, and the aggregates /kpi is built from.

The database does the summing, from sums kept in step with the seller-days by every import;
what comes back is small: one row per day and category, or per seller. Money columns stay
integer cents.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Date, and_, bindparam, cast, func, literal, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from storage.models import (
    FIGURE_COLUMNS,
    DailyCategoryKpi,
    DailySellerKpi,
    Seller,
    WeeklySellerKpi,
    utc_now,
)

WRITE_BATCH = 5_000
PROGRAM_COLUMNS = {
    "live": "live_sessions",
    "affiliate": "affiliate_gmv_cents",
    "video": "video_gmv_cents",
}

_table = DailySellerKpi.__table__  # type: ignore[attr-defined]
_sellers = Seller.__table__  # type: ignore[attr-defined]
_summary = DailyCategoryKpi.__table__  # type: ignore[attr-defined]
_weekly = WeeklySellerKpi.__table__  # type: ignore[attr-defined]


# ---- writing -------------------------------------------------------------------------------


def upsert_seller_days(
    session: Session,
    team_id: str,
    rows: pd.DataFrame,
    columns: Sequence[str],
    batch_id: int | None,
    progress: Callable[[int, int], None] | None = None,
    *,
    dry_run: bool = False,
) -> tuple[int, int]:
    """Insert or update one row per (seller_id, day) with `columns`; other columns are kept.

    `rows` has seller_id, day (date), category and the figure columns. Returns (new, updated).
    Runs in the session's transaction; rows go to the driver in chunks of plain tuples (a
    1.8-million-row sheet never exists as Python dicts).
    """
    if rows.empty:
        return 0, 0
    # Written day by day, so that a day's rows sit together on disk: a /kpi for a day then
    # reads a few pages instead of one page per seller.
    rows = rows.sort_values(["day", "seller_id"], kind="stable").reset_index(drop=True)
    # New rows get every figure (0 where the file has none); existing rows only the file's.
    rows = rows.assign(**{c: 0 for c in FIGURE_COLUMNS if c not in rows.columns})
    fields = [
        "team_id",
        "seller_id",
        "day",
        "category",
        *FIGURE_COLUMNS,
        "import_batch_id",
        "updated_at",
    ]
    refreshed = ["category", *columns, "import_batch_id", "updated_at"]
    connection = session.connection()
    first, last = min(rows["day"]), max(rows["day"])
    fresh_days = not _has_rows(connection, team_id, first, last)
    before = 0 if fresh_days else _rows_between(connection, team_id, first, last)
    if connection.dialect.name == "postgresql":
        _copy_upsert(
            connection, team_id, rows, fields, refreshed, batch_id, progress, straight_in=fresh_days
        )
    else:
        _sqlite_upsert(connection, team_id, rows, fields, refreshed, batch_id, progress)
    new = len(rows) if fresh_days else _rows_between(connection, team_id, first, last) - before
    if fresh_days:  # nothing else on those days: the rows written are the whole story
        _summary_from_rows(connection, team_id, rows)
        # Weeks may also hold older days, so they are re-summed from the table.
        refresh_seller_weeks(connection, team_id, first, last)
    else:
        refresh_summaries(connection, team_id, first, last)
    # Not in a dry run: the statistics ANALYZE gathers stay when its transaction rolls back.
    if connection.dialect.name == "postgresql" and len(rows) >= ANALYZE_AFTER_ROWS and not dry_run:
        connection.exec_driver_sql("ANALYZE dailysellerkpi, dailycategorykpi, weeklysellerkpi")
    return new, len(rows) - new


# Seller-days written by one import past which PostgreSQL's planner gets fresh statistics at
# once (0.3 s for 1.8M rows): without them, it reads a seller's rows with a scan over every
# seller's (90 ms instead of 4) until autovacuum comes by, just when people ask about the
# import they have made.
ANALYZE_AFTER_ROWS = 10_000


REFRESH_DAYS = 31  # days re-summed at a time: bounds the seller flags held in memory


def refresh_summaries(connection: Connection, team_id: str, first: date, last: date) -> None:
    """Bring every table summed from the seller-days in step for the days first..last."""
    refresh_category_days(connection, team_id, first, last)
    refresh_seller_weeks(connection, team_id, first, last)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def refresh_seller_weeks(connection: Connection, team_id: str, first: date, last: date) -> None:
    """Re-sum the per-week seller table for every week that holds a day of first..last."""
    week = monday(first)
    while week <= last:
        connection.execute(
            _weekly.delete().where(_weekly.c.team_id == team_id, _weekly.c.week == week)
        )
        sums = (
            select(
                literal(team_id),
                literal(week, Date),
                _table.c.category,
                _table.c.seller_id,
                func.sum(_table.c.gmv_cents),
                func.sum(_table.c.orders),
            )
            .where(
                _table.c.team_id == team_id,
                _table.c.day.between(week, week + timedelta(days=6)),
            )
            .group_by(_table.c.category, _table.c.seller_id)
        )
        target = ["team_id", "week", "category", "seller_id", "gmv_cents", "orders"]
        connection.execute(_weekly.insert().from_select(target, sums))
        week += timedelta(days=7)


def refresh_category_days(connection: Connection, team_id: str, first: date, last: date) -> None:
    """Re-sum the per-day-and-category table for the days first..last from the seller-days."""
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=REFRESH_DAYS - 1))
        _refresh_days(connection, team_id, start, end)
        start = end + timedelta(days=1)


def _refresh_days(connection: Connection, team_id: str, first: date, last: date) -> None:
    connection.execute(
        _summary.delete().where(_summary.c.team_id == team_id, _summary.c.day.between(first, last))
    )
    sums = (
        select(
            _table.c.team_id,
            _table.c.day,
            _table.c.category,
            *[func.sum(_table.c[c]) for c in FIGURE_COLUMNS],
        )
        .where(_table.c.team_id == team_id, _table.c.day.between(first, last))
        .group_by(_table.c.team_id, _table.c.day, _table.c.category)
    )
    target = ["team_id", "day", "category", *FIGURE_COLUMNS]
    connection.execute(_summary.insert().from_select(target, sums))
    flags = select(
        _table.c.day,
        _table.c.category,
        _table.c.seller_id,
        *[_table.c[column] > 0 for column in PROGRAM_COLUMNS.values()],
    ).where(_table.c.team_id == team_id, _table.c.day.between(first, last))
    # Plain tuples from the driver: at a million seller-days, Row objects cost seconds.
    raw = connection.execute(flags).cursor
    assert raw is not None
    rows = raw.fetchall()
    if not rows:
        return
    days, cats, ids, *programs = (
        np.asarray(column, dtype=object) for column in zip(*rows, strict=True)
    )
    updates = [
        {"t": team_id, "d": _as_date(day), "c": category, **bits}
        for (day, category), bits in _bitmaps(days, cats, ids, programs).items()
    ]
    connection.execute(
        _summary.update().where(
            _summary.c.team_id == bindparam("t"),
            _summary.c.day == bindparam("d"),
            _summary.c.category == bindparam("c"),
        ),
        updates,
    )


def _bitmaps(
    days: Any, categories: Any, seller_ids: Any, programs: Sequence[Any]
) -> dict[tuple[Any, Any], dict[str, bytes]]:
    """Per (day, category): the bitmaps of its sellers and of those active in each program."""
    ids = np.asarray(seller_ids, dtype=np.int64)
    width = int(ids.max()) + 1
    # (day, category) pairs numbered from each side's own numbering: several times faster
    # than factorizing the pairs themselves.
    day_codes, day_values = pd.factorize(np.asarray(days, dtype=object))
    category_codes, category_values = pd.factorize(np.asarray(categories, dtype=object))
    codes = day_codes * len(category_values) + category_codes
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    flags = [np.asarray(p, dtype=bool) for p in programs]
    result = {}
    for positions in np.split(order, bounds):
        code = int(codes[positions[0]])
        group = (
            day_values[code // len(category_values)],
            category_values[code % len(category_values)],
        )
        members = ids[positions]
        result[group] = {
            "seller_bits": seller_bitmap(members, width),
            **{
                f"{name}_bits": seller_bitmap(members[program[positions]], width)
                for name, program in zip(PROGRAM_COLUMNS, flags, strict=True)
            },
        }
    return result


def _summary_from_rows(connection: Connection, team_id: str, rows: pd.DataFrame) -> None:
    """Sums and bitmaps of days that had no seller-days before this import, from the rows
    just written: the same figures a re-sum would give, without reading them back."""
    sums = rows.groupby(["day", "category"], sort=False)[list(FIGURE_COLUMNS)].sum()
    bits = _bitmaps(
        rows["day"].to_numpy(),
        rows["category"].to_numpy(),
        rows["seller_id"].to_numpy(),
        [rows[column].to_numpy() > 0 for column in PROGRAM_COLUMNS.values()],
    )
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
    connection.execute(_summary.insert(), records)


def seller_day_spans(connection: Connection) -> list[tuple[str, date, date]]:
    """(team, first day, last day) of every workspace's seller-days: what a migration that adds
    a table summed from them fills it for."""
    spans = select(_table.c.team_id, func.min(_table.c.day), func.max(_table.c.day)).group_by(
        _table.c.team_id
    )
    return [
        (str(team_id), _as_date(first), _as_date(last))
        for team_id, first, last in connection.execute(spans)
    ]


def _has_rows(connection: Connection, team_id: str, first: date, last: date) -> bool:
    statement = (
        select(_table.c.id)
        .where(_table.c.team_id == team_id, _table.c.day.between(first, last))
        .limit(1)
    )
    return connection.execute(statement).first() is not None


def _as_date(value: Any) -> date:
    """The raw driver hands SQLite dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def seller_bitmap(seller_ids: Iterable[int], width: int | None = None) -> bytes:
    """Bit i set for every seller row id i (little-endian bytes)."""
    ids = np.asarray(
        seller_ids if isinstance(seller_ids, np.ndarray) else list(seller_ids), dtype=np.int64
    )
    if ids.size == 0:
        return b""
    bits = np.zeros(width or int(ids.max()) + 1, dtype=np.uint8)
    bits[ids] = 1
    return np.packbits(bits, bitorder="little").tobytes()


def count_sellers(bitmaps: Iterable[bytes]) -> int:
    """How many distinct sellers are in any of the bitmaps."""
    union = 0
    for bitmap in bitmaps:
        union |= int.from_bytes(bitmap, "little")
    return union.bit_count()


def _rows_between(connection: Connection, team_id: str, first: date, last: date) -> int:
    statement = select(func.count()).where(
        _table.c.team_id == team_id, _table.c.day.between(first, last)
    )
    return int(connection.execute(statement).scalar_one())


def _tuples(
    team_id: str,
    rows: pd.DataFrame,
    fields: Sequence[str],
    batch_id: int | None,
    updated_at: Any,
    day_as: Callable[[date], Any],
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows as chunks of tuples in `fields` order, with Python (not numpy) values."""
    figure_fields = [
        f for f in fields if f not in ("team_id", "day", "import_batch_id", "updated_at")
    ]
    for start in range(0, len(rows), WRITE_BATCH):
        chunk = rows.iloc[start : start + WRITE_BATCH]
        values = {f: chunk[f].tolist() for f in figure_fields}
        values["day"] = [day_as(d) for d in chunk["day"]]
        size = len(chunk)
        values["team_id"], values["import_batch_id"] = [team_id] * size, [batch_id] * size
        values["updated_at"] = [updated_at] * size
        yield list(zip(*(values[f] for f in fields), strict=True))


COPY_CHUNK = WRITE_BATCH * 10


def _csv_chunks(
    rows: pd.DataFrame, fields: Sequence[str], constants: dict[str, Any]
) -> Iterator[tuple[int, memoryview]]:
    """(rows done, CSV of the next chunk) in `fields` order, for COPY: Arrow's CSV writer
    is an order of magnitude faster than pandas' to_csv, and a Python call per row would
    cost seconds. Columns missing from `rows` take the value in `constants`."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    options = pa_csv.WriteOptions(include_header=False)
    for start in range(0, len(rows), COPY_CHUNK):
        chunk = rows.iloc[start : start + COPY_CHUNK]
        columns = [
            pa.array(chunk[f]) if f in chunk else pa.repeat(constants[f], len(chunk))
            for f in fields
        ]
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(pa.table(columns, names=list(fields)), sink, write_options=options)
        yield start + len(chunk), memoryview(sink.getvalue())


def _sqlite_upsert(
    connection: Connection,
    team_id: str,
    rows: pd.DataFrame,
    fields: Sequence[str],
    refreshed: Sequence[str],
    batch_id: int | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    updates = ", ".join(f"{f} = excluded.{f}" for f in refreshed)
    sql = (
        f"INSERT INTO dailysellerkpi ({', '.join(fields)}) "
        f"VALUES ({', '.join('?' for _ in fields)}) "
        f"ON CONFLICT (team_id, day, seller_id) DO UPDATE SET {updates}"
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    # The formats SQLAlchemy itself stores for Date and DateTime columns on SQLite.
    now = utc_now().strftime("%Y-%m-%d %H:%M:%S.%f")
    done = 0
    for chunk in _tuples(team_id, rows, fields, batch_id, now, date.isoformat):
        cursor.executemany(sql, chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, len(rows))
    cursor.close()


def _copy_upsert(
    connection: Connection,
    team_id: str,
    rows: pd.DataFrame,
    fields: Sequence[str],
    refreshed: Sequence[str],
    batch_id: int | None,
    progress: Callable[[int, int], None] | None,
    *,
    straight_in: bool = False,
) -> None:
    """COPY into a temporary table, then one INSERT … ON CONFLICT: PostgreSQL's fast path.
    With `straight_in` (days the workspace has no rows for, so no conflict is possible) the
    rows are copied straight into the table."""
    names = ", ".join(fields)
    updates = ", ".join(f"{f} = excluded.{f}" for f in refreshed)
    target = "dailysellerkpi" if straight_in else "incoming_kpi"
    if not straight_in:
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE incoming_kpi ON COMMIT DROP AS SELECT {names} "
            "FROM dailysellerkpi WITH NO DATA"
        )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    constants = {"team_id": team_id, "import_batch_id": batch_id, "updated_at": utc_now()}
    with cursor.copy(f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        for done, text in _csv_chunks(rows, fields, constants):
            copy.write(text)
            if progress is not None:
                progress(done, len(rows))
    cursor.close()
    if straight_in:
        return
    connection.exec_driver_sql(
        f"INSERT INTO dailysellerkpi ({names}) SELECT {names} FROM incoming_kpi "
        f"ON CONFLICT (team_id, day, seller_id) DO UPDATE SET {updates}"
    )
    connection.exec_driver_sql("DROP TABLE incoming_kpi")


# ---- reading -------------------------------------------------------------------------------
# A snapshot reads the per-day-and-category sums of its date range (figures, and bitmaps for
# seller counts), and per seller the GMV and orders of the windows it compares: whole weeks
# from the per-week table, the days around them from the seller-days. A one-seller scope reads
# that seller's own rows, one index probe per day (up to SELLER_PROBE_DAYS).


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


def day_category_sums(
    engine: Engine, scope: Scope, first: date, last: date
) -> list[DayCategorySums]:
    """Every figure summed per day and category within the scope (from the summary table,
    or from the seller's own rows for a one-seller scope)."""
    source = _table if scope.seller_id is not None else _summary
    where = [source.c.team_id == scope.team_id, _days(scope, first, last, source)]
    if scope.category is not None:
        where.append(source.c.category == scope.category)
    if scope.seller_id is not None:
        where.append(source.c.seller_id == scope.seller_id)
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


def seller_counts(
    engine: Engine, scope: Scope, windows: dict[str, Window], program: str = "live"
) -> dict[str, tuple[int, int]]:
    """Per window: (sellers with figures in it, of those the ones adopted in `program`)."""
    if scope.seller_id is not None:
        return _one_seller_counts(engine, scope, windows, program)
    where = [
        _summary.c.team_id == scope.team_id,
        _summary.c.day.between(
            min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
        ),
    ]
    if scope.category is not None:
        where.append(_summary.c.category == scope.category)
    statement = select(_summary.c.day, _summary.c.seller_bits, _summary.c[f"{program}_bits"]).where(
        *where
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    counts = {}
    for name, (first, last) in windows.items():
        inside = [row for row in rows if first <= row[0] <= last]
        counts[name] = (count_sellers(r[1] for r in inside), count_sellers(r[2] for r in inside))
    return counts


def _one_seller_counts(
    engine: Engine, scope: Scope, windows: dict[str, Window], program: str
) -> dict[str, tuple[int, int]]:
    statement = select(_table.c.day, _table.c[PROGRAM_COLUMNS[program]] > 0).where(
        scope.where(), _span(scope, windows)
    )
    with engine.connect() as connection:
        days = connection.execute(statement).all()
    return {
        name: (
            int(any(first <= d <= last for d, _ in days)),
            int(any(first <= d <= last and active for d, active in days)),
        )
        for name, (first, last) in windows.items()
    }


def _span(scope: Scope, windows: dict[str, Window]) -> Any:
    return _days(scope, min(w[0] for w in windows.values()), max(w[1] for w in windows.values()))


SELLER_PROBE_DAYS = 1_500  # longer spans of one seller's rows are read with a range scan


def _days(scope: Scope, first: date, last: date, source: Any = _table) -> Any:
    """The condition for days first..last. Seller-days are keyed (team, day, seller): for one
    seller, one index probe per day, instead of a range scan over every seller's rows."""
    span = (last - first).days + 1
    if scope.seller_id is not None and 0 < span <= SELLER_PROBE_DAYS:
        return source.c.day.in_(_day_list(first, last))
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
        parts = [_seller_days(scope, _table.c.day.in_(_day_list(first, last)))]
    else:
        first_week, last_week = weeks
        edges = _day_list(first, first_week - timedelta(days=1))
        edges += _day_list(last_week + timedelta(days=7), last)
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


def _day_list(first: date, last: date) -> list[date]:
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


def categories(engine: Engine, team_id: str) -> list[str]:
    statement = (
        select(_summary.c.category)
        .where(_summary.c.team_id == team_id)
        .distinct()
        .order_by(_summary.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]
