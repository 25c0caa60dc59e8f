"""Writing imported seller-days in bulk: one upsert per import, through the fastest path each
database has (SQLite: executemany of plain tuples; PostgreSQL: COPY), with the sum tables
brought in step in the same transaction (storage.kpis.sums)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from storage.columns import utc_now
from storage.kpis.models import DAILY_SELLER_KPI_TABLE, FIGURE_COLUMNS
from storage.kpis.sums import (
    NewDaySums,
    days_with_sums,
    refresh_category_days,
    refresh_seller_weeks,
    refresh_summaries,
    sum_new_days,
)

WRITE_BATCH = 5_000
COPY_CHUNK = WRITE_BATCH * 10


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
    rows, fields, refreshed = _prepared(rows, columns)
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
        sum_new_days(connection, team_id, rows)
        # Weeks may also hold older days, so they are re-summed from the table.
        refresh_seller_weeks(connection, team_id, first, last)
    else:
        refresh_summaries(connection, team_id, first, last)
    _gather_statistics(connection, len(rows), dry_run=dry_run)
    return new, len(rows) - new


def _prepared(
    rows: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rows in the order they are written, with every figure; the fields written, and
    those an existing row takes from them."""
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
    return rows, fields, ["category", *columns, "import_batch_id", "updated_at"]


IMPORT_CACHE_KB = -16384  # SQLite's page cache while a chunked import writes: 16 MB


class RepeatedSellerDay(Exception):
    """A chunk wrote a (seller, day) that an earlier chunk of the same import wrote: the file
    repeats a row. The database finds it (its unique key), so that the import need not keep
    every row's key; the transaction is to be rolled back, and the file read again to say
    which rows."""


class SellerDayWriter:
    """Seller-days written chunk by chunk in the session's transaction, for an import that
    reads its file a chunk at a time: what it holds does not grow with the file. `finish`
    brings the sum tables in step once, for every day written, and returns (new, updated).

    Days that had no seller-days before the import (known from the per-day sums, which are
    always in step) take the fast path, straight in; others are upserted and counted. A row
    never overwrites one this import wrote: `write` raises RepeatedSellerDay instead."""

    def __init__(
        self,
        session: Session,
        team_id: str,
        columns: Sequence[str],
        batch_id: int | None,
        progress: Callable[[int, int], None] | None = None,
        *,
        dry_run: bool = False,
        expected_rows: int = 0,
    ) -> None:
        self.connection = session.connection()
        self.expected_rows = expected_rows  # for `progress` (rows done, rows expected)
        self.team_id, self.columns, self.batch_id = team_id, list(columns), batch_id
        self.progress, self.dry_run = progress, dry_run
        self.days_before = days_with_sums(self.connection, team_id)
        self.days: set[date] = set()
        self.written = self.new = 0
        self.new_day_sums: NewDaySums | None = NewDaySums()  # None once a day was not new
        if self.connection.dialect.name == "sqlite":
            # The pages a long import dirties would fill the read cache (128 MB): a small
            # one is enough for appending, and the rest spills to the write-ahead log.
            cache = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
            self.connection.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KB}")
            self.read_cache_kb = int(cache or 0)

    def write(self, rows: pd.DataFrame) -> None:
        """Write one chunk: seller_id, day (date), category and the figure columns; a
        (seller, day) must not repeat one of an earlier chunk."""
        if rows.empty:
            return
        rows, fields, refreshed = _prepared(rows, self.columns)
        first, last = min(rows["day"]), max(rows["day"])
        chunk_days = set(rows["day"].unique())
        fresh = self.days_before.isdisjoint(chunk_days)
        before = 0 if fresh else _rows_between(self.connection, self.team_id, first, last)
        if self.connection.dialect.name == "postgresql":
            written = _copy_upsert(
                self.connection, self.team_id, rows, fields, refreshed, self.batch_id, None,
                straight_in=fresh,
            )  # fmt: skip
        else:
            written = _sqlite_upsert(
                self.connection, self.team_id, rows, fields, refreshed, self.batch_id, None
            )
        if written < len(rows):  # rows left alone: this import had written their keys
            raise RepeatedSellerDay
        after = len(rows) if fresh else _rows_between(self.connection, self.team_id, first, last)
        self.new += after - before
        if fresh and self.new_day_sums is not None:
            self.new_day_sums.add(rows)
        else:
            self.new_day_sums = None  # then every day written is re-summed from the table
        self.written += len(rows)
        self.days |= chunk_days
        if self.progress is not None and self.written < self.expected_rows:
            self.progress(self.written, self.expected_rows)

    def finish(self) -> tuple[int, int]:
        if self.progress is not None:
            self.progress(self.written, self.written)
        if not self.written:
            return 0, 0
        first, last = min(self.days), max(self.days)
        # As many days at a time as keeps some 150,000 seller-days in memory.
        days_at_a_time = max(1, 150_000 // max(1, self.written // len(self.days)))
        if self.new_day_sums is not None:  # only new days: summed from what was written
            self.new_day_sums.write(self.connection, self.team_id, days_at_a_time)
        else:
            refresh_category_days(
                self.connection, self.team_id, first, last, sellers=True,
                days_at_a_time=days_at_a_time,
            )  # fmt: skip
        refresh_seller_weeks(self.connection, self.team_id, first, last)
        _gather_statistics(self.connection, self.written, dry_run=self.dry_run)
        if self.connection.dialect.name == "sqlite":
            self.connection.exec_driver_sql(f"PRAGMA cache_size={self.read_cache_kb}")
        return self.new, self.written - self.new


# Seller-days written by one import past which PostgreSQL's planner gets fresh statistics at
# once (0.3 s for 1.8M rows): without them, it reads a seller's rows with a scan over every
# seller's (90 ms instead of 4) until autovacuum comes by, just when people ask about the
# import they have made.
ANALYZE_AFTER_ROWS = 10_000


def _gather_statistics(connection: Connection, rows_written: int, *, dry_run: bool) -> None:
    # Not in a dry run: the statistics ANALYZE gathers stay when its transaction rolls back.
    large = rows_written >= ANALYZE_AFTER_ROWS
    if connection.dialect.name == "postgresql" and large and not dry_run:
        connection.exec_driver_sql(
            "ANALYZE dailysellerkpi, dailycategorykpi, dailycategorysellers, weeklysellerkpi"
        )


def _has_rows(connection: Connection, team_id: str, first: date, last: date) -> bool:
    statement = (
        select(DAILY_SELLER_KPI_TABLE.c.id)
        .where(
            DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
            DAILY_SELLER_KPI_TABLE.c.day.between(first, last),
        )
        .limit(1)
    )
    return connection.execute(statement).first() is not None


def _rows_between(connection: Connection, team_id: str, first: date, last: date) -> int:
    statement = select(func.count()).where(
        DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
        DAILY_SELLER_KPI_TABLE.c.day.between(first, last),
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
) -> int:
    """Returns the rows inserted or updated (see `_once_per_batch`)."""
    updates = ", ".join(f"{f} = excluded.{f}" for f in refreshed)
    sql = (
        f"INSERT INTO dailysellerkpi ({', '.join(fields)}) "
        f"VALUES ({', '.join('?' for _ in fields)}) "
        f"ON CONFLICT (team_id, day, seller_id) DO UPDATE SET {updates}"
        f"{_once_per_batch(batch_id, 'IS NOT')}"
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    # The formats SQLAlchemy itself stores for Date and DateTime columns on SQLite.
    now = utc_now().strftime("%Y-%m-%d %H:%M:%S.%f")
    done = changed = 0
    for chunk in _tuples(team_id, rows, fields, batch_id, now, date.isoformat):
        cursor.executemany(sql, chunk)
        done += len(chunk)
        changed += cursor.rowcount
        if progress is not None:
            progress(done, len(rows))
    cursor.close()
    return changed


def _once_per_batch(batch_id: int | None, is_not: str) -> str:
    """The condition under which an upsert updates an existing row: not one this same import
    (batch) wrote. A row left alone is not counted as changed, which tells the caller that its
    rows repeat a key."""
    if batch_id is None:
        return ""
    return f" WHERE dailysellerkpi.import_batch_id {is_not} excluded.import_batch_id"


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
) -> int:
    """COPY into a temporary table, then one INSERT … ON CONFLICT: PostgreSQL's fast path.
    With `straight_in` (days the workspace has no rows for, so no conflict is possible) the
    rows are copied straight into the table; a conflict there is a key this import already
    wrote (RepeatedSellerDay). Returns the rows inserted or updated (see `_once_per_batch`)."""
    import psycopg

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
    try:
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            for done, text in _csv_chunks(rows, fields, constants):
                copy.write(text)
                if progress is not None:
                    progress(done, len(rows))
    except psycopg.errors.UniqueViolation:
        raise RepeatedSellerDay from None
    finally:
        cursor.close()
    if straight_in:
        return len(rows)
    changed = connection.exec_driver_sql(
        f"INSERT INTO dailysellerkpi ({names}) SELECT {names} FROM incoming_kpi "
        f"ON CONFLICT (team_id, day, seller_id) DO UPDATE SET {updates}"
        f"{_once_per_batch(batch_id, 'IS DISTINCT FROM')}"
    ).rowcount
    connection.exec_driver_sql("DROP TABLE incoming_kpi")
    return changed
