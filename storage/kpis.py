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
    # Written day by day, so that a day's rows sit together on disk: a /kpi for a day then
    # reads a few pages instead of one page per seller.
    rows = rows.sort_values(["day", "seller_id"], kind="stable")
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
# A snapshot needs two scans of the seller-days in its date range, whatever its length: sums per
# (day, category), and per seller a few conditional sums and flags for each window compared.


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
    """Every figure summed per day and category within the scope."""
    statement = (
        select(
            _table.c.day,
            _table.c.category,
            *[func.coalesce(func.sum(_table.c[c]), 0) for c in FIGURE_COLUMNS],
        )
        .where(scope.where(), _table.c.day.between(first, last))
        .group_by(_table.c.day, _table.c.category)
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
    """Per window: (sellers with rows in it, of those the ones adopted), in one scan."""
    adopted_if = _table.c[PROGRAM_COLUMNS[program]] > 0
    columns: list[Any] = []
    for first, last in windows.values():
        inside = _table.c.day.between(first, last)
        columns += [
            func.count(distinct(case((inside, _table.c.seller_id)))),
            func.count(distinct(case((and_(inside, adopted_if), _table.c.seller_id)))),
        ]
    statement = select(*columns).where(scope.where(), _span(windows))
    with engine.connect() as connection:
        row = connection.execute(statement).one()
    return {name: (int(row[2 * i]), int(row[2 * i + 1])) for i, name in enumerate(windows)}


def _span(windows: dict[str, Window]) -> Any:
    return _table.c.day.between(
        min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
    )


def leading_sellers(
    engine: Engine, scope: Scope, current: Window, previous: Window, limit: int
) -> tuple[list[SellerChange], list[SellerChange]]:
    """(the top sellers by GMV now, the biggest GMV movers vs before), ties by name. The
    database ranks, so 2 × `limit` rows come back whatever the number of sellers."""
    now, before = _table.c.day.between(*current), _table.c.day.between(*previous)
    per_seller = (
        select(
            _table.c.seller_id.label("seller_id"),
            func.sum(case((now, _table.c.gmv_cents), else_=0)).label("gmv"),
            func.sum(case((before, _table.c.gmv_cents), else_=0)).label("previous"),
            func.sum(case((now, _table.c.orders), else_=0)).label("orders"),
        )
        .where(scope.where(), _span({"now": current, "before": previous}))
        .group_by(_table.c.seller_id)
        .cte("per_seller")
    )
    moved = func.abs(per_seller.c.gmv - per_seller.c.previous)

    def ranked(order: Any, condition: Any) -> list[SellerChange]:
        statement = (
            select(
                _sellers.c.name,
                _sellers.c.seller_key,
                per_seller.c.gmv,
                per_seller.c.previous,
                per_seller.c.orders,
            )
            .join(_sellers, _sellers.c.id == per_seller.c.seller_id)
            .where(condition)
            .order_by(order.desc(), _sellers.c.name)
            .limit(limit)
        )
        with engine.connect() as connection:
            return [
                SellerChange(str(n), str(k), int(g), int(p), int(o))
                for n, k, g, p, o in connection.execute(statement)
            ]

    return ranked(per_seller.c.gmv, per_seller.c.gmv > 0), ranked(moved, moved > 0)


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
