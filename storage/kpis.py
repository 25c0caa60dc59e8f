"""Daily seller KPIs: writing imported seller-days, and the aggregates /kpi is built from.

The database does the summing (one indexed range scan per question); what comes back is small:
one row per day, per category or per seller. Money columns stay integer cents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.models import DailySellerKpi, Seller, utc_now

MONEY_COLUMNS = ("gmv_cents", "live_gmv_cents", "video_gmv_cents", "affiliate_gmv_cents")
COUNT_COLUMNS = (
    "orders",
    "items_sold",
    "buyers",
    "live_sessions",
    "live_minutes",
    "live_views",
    "live_likes",
    "live_comments",
    "live_shares",
    "new_followers",
)
FIGURE_COLUMNS = MONEY_COLUMNS + COUNT_COLUMNS
WRITE_BATCH = 5_000
PROGRAM_COLUMNS = {
    "live": "live_sessions",
    "affiliate": "affiliate_gmv_cents",
    "video": "video_gmv_cents",
}

_table = DailySellerKpi.__table__  # type: ignore[attr-defined]
_sellers = Seller.__table__  # type: ignore[attr-defined]


# ---- writing -------------------------------------------------------------------------------


def upsert_seller_days(
    session: Session,
    team_id: str,
    rows: pd.DataFrame,
    columns: Sequence[str],
    batch_id: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Insert or update one row per (seller_id, day) with `columns`; other columns are kept.

    `rows` has seller_id, day (date), category and the figure columns. Returns (new, updated).
    """
    if rows.empty:
        return 0, 0
    existing = _existing_keys(session, team_id, rows)
    keys = list(zip(rows["seller_id"].astype(int), rows["day"], strict=True))
    updated = sum(1 for key in keys if key in existing)
    now = utc_now()
    fields = ["seller_id", "day", "category", *columns]
    records = [
        {
            "team_id": team_id,
            "import_batch_id": batch_id,
            "updated_at": now,
            **{f: _plain(v) for f, v in zip(fields, values, strict=True)},
        }
        for values in rows[fields].itertuples(index=False, name=None)
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(records), WRITE_BATCH):
        statement = insert(_table)
        refresh = {
            c: statement.excluded[c]
            for c in ("category", *columns, "import_batch_id", "updated_at")
        }
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["team_id", "seller_id", "day"], set_=refresh
            ),
            records[start : start + WRITE_BATCH],
        )
        if progress is not None:
            progress(min(start + WRITE_BATCH, len(records)), len(records))
    return len(records) - updated, updated


def _plain(value: Any) -> Any:
    """numpy scalars → Python ones, for every DB driver."""
    return value.item() if hasattr(value, "item") else value


def _existing_keys(session: Session, team_id: str, rows: pd.DataFrame) -> set[tuple[int, date]]:
    first, last = min(rows["day"]), max(rows["day"])
    sellers = [int(s) for s in rows["seller_id"].unique()]
    found: set[tuple[int, date]] = set()
    for start in range(0, len(sellers), 500):
        chunk = sellers[start : start + 500]
        result = session.execute(
            select(_table.c.seller_id, _table.c.day).where(
                _table.c.team_id == team_id,
                _table.c.day.between(first, last),
                _table.c.seller_id.in_(chunk),
            )
        )
        found.update((int(s), d) for s, d in result)
    return found


# ---- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which rows a figure covers: the workspace, optionally one category or one seller."""

    team_id: str
    category: str | None = None
    seller_id: int | None = None

    def where(self) -> Any:
        conditions = [_table.c.team_id == self.team_id]
        if self.category is not None:
            conditions.append(func.lower(_table.c.category) == self.category.lower())
        if self.seller_id is not None:
            conditions.append(_table.c.seller_id == self.seller_id)
        return and_(*conditions)


def _sums() -> list[Any]:
    return [func.coalesce(func.sum(_table.c[c]), 0).label(c) for c in FIGURE_COLUMNS]


def _frame(engine: Engine, statement: Any, columns: Sequence[str]) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in FIGURE_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("int64")
    return frame


def daily_totals(engine: Engine, scope: Scope, first: date, last: date) -> pd.DataFrame:
    """One row per day that has data, with every figure summed over the scope's sellers."""
    statement = (
        select(_table.c.day, *_sums(), func.count().label("seller_rows"))
        .where(scope.where(), _table.c.day.between(first, last))
        .group_by(_table.c.day)
        .order_by(_table.c.day)
    )
    return _frame(engine, statement, ["day", *FIGURE_COLUMNS, "seller_rows"])


def seller_counts(
    engine: Engine, scope: Scope, first: date, last: date, program: str = "live"
) -> tuple[int, int]:
    """(sellers with a row in the window, of those the ones active in the program)."""
    program_column = _table.c[PROGRAM_COLUMNS[program]]
    statement = select(
        func.count(distinct(_table.c.seller_id)),
        func.count(distinct(case((program_column > 0, _table.c.seller_id)))),
    ).where(scope.where(), _table.c.day.between(first, last))
    with engine.connect() as connection:
        managed, active = connection.execute(statement).one()
    return int(managed), int(active)


def category_totals(engine: Engine, scope: Scope, first: date, last: date) -> pd.DataFrame:
    statement = (
        select(_table.c.category, *_sums())
        .where(scope.where(), _table.c.day.between(first, last))
        .group_by(_table.c.category)
    )
    return _frame(engine, statement, ["category", *FIGURE_COLUMNS])


def seller_gmv(
    engine: Engine, scope: Scope, current: tuple[date, date], previous: tuple[date, date]
) -> pd.DataFrame:
    """Per seller: GMV and orders in the current and the previous window, with names."""
    in_current = _table.c.day.between(*current)
    in_previous = _table.c.day.between(*previous)
    statement = (
        select(
            _table.c.seller_id,
            _sellers.c.name,
            _sellers.c.seller_key,
            func.coalesce(func.sum(case((in_current, _table.c.gmv_cents), else_=0)), 0),
            func.coalesce(func.sum(case((in_previous, _table.c.gmv_cents), else_=0)), 0),
            func.coalesce(func.sum(case((in_current, _table.c.orders), else_=0)), 0),
        )
        .join(_sellers, _sellers.c.id == _table.c.seller_id)
        .where(
            scope.where(),
            _table.c.day.between(min(current[0], previous[0]), max(current[1], previous[1])),
        )
        .group_by(_table.c.seller_id, _sellers.c.name, _sellers.c.seller_key)
    )
    frame = _frame(
        engine,
        statement,
        ["seller_id", "name", "seller_key", "gmv_cents", "previous_gmv_cents", "orders"],
    )
    for column in ("gmv_cents", "previous_gmv_cents", "orders"):
        frame[column] = frame[column].astype("int64")
    return frame


def latest_day(engine: Engine, scope: Scope) -> date | None:
    statement = select(func.max(_table.c.day)).where(scope.where())
    with engine.connect() as connection:
        value = connection.execute(statement).scalar()
    return value if isinstance(value, date) else None


def categories(engine: Engine, team_id: str) -> list[str]:
    statement = (
        select(_table.c.category)
        .where(_table.c.team_id == team_id)
        .distinct()
        .order_by(_table.c.category)
    )
    with engine.connect() as connection:
        return [str(c) for (c,) in connection.execute(statement)]
