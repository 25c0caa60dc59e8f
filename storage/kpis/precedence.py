"""Which file wins when two tell the same fact of a seller's day (README: "Which file wins").

A file that lists a fact item by item wins over the team's KPI sheet, which only gives its day
total, whatever order the files were imported in: LIVE figures come from the LIVE sessions
export (one row a stream), sales from the Seller Center order export (one row an order line).
Those importers write their seller-days themselves; a KPI sheet imported after them would
overwrite them, so the sheet's import puts the finer figures back (`keep_finer_figures`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from storage.kpis.models import DAILY_SELLER_KPI_TABLE
from storage.kpis.sums import refresh_summaries
from storage.models import IMPORT_BATCH_TABLE
from storage.reviews.models import LIVE_SESSION_TABLE

ORDER_EXPORT_KIND = "orders"
# The seller-day figures the order export gives (per day of the orders' Created Time).
ORDER_FIGURES = ("gmv_cents", "orders", "items_sold", "buyers")
# The KPI sheet's LIVE columns and the session figure each sums (None: the sessions counted).
LIVE_SUMS: dict[str, str | None] = {
    "live_sessions": None,
    "live_minutes": "duration_minutes",
    "live_gmv_cents": "gmv_cents",
    "live_views": "views",
    "live_likes": "likes",
    "live_comments": "comments",
    "live_shares": "shares",
}

SellerDay = tuple[int, date]


def order_export_days(connection: Connection, team_id: str) -> dict[SellerDay, dict[str, Any]]:
    """The sales figures of every seller-day an order export covers, as they stand: read
    before a KPI sheet is written, so they can be put back after it."""
    # One EXISTS over the batches, not a term per batch: the workspace's order exports only
    # grow, and SQLite refuses an expression a thousand terms deep.
    covered = (
        select(IMPORT_BATCH_TABLE.c.id)
        .where(
            IMPORT_BATCH_TABLE.c.team_id == team_id,
            IMPORT_BATCH_TABLE.c.kind == ORDER_EXPORT_KIND,
            IMPORT_BATCH_TABLE.c.status == "done",
            IMPORT_BATCH_TABLE.c.seller_id == DAILY_SELLER_KPI_TABLE.c.seller_id,
            DAILY_SELLER_KPI_TABLE.c.day.between(
                IMPORT_BATCH_TABLE.c.first_day, IMPORT_BATCH_TABLE.c.last_day
            ),
        )
        .exists()
    )
    rows = connection.execute(
        select(
            DAILY_SELLER_KPI_TABLE.c.seller_id,
            DAILY_SELLER_KPI_TABLE.c.day,
            *(DAILY_SELLER_KPI_TABLE.c[f] for f in ORDER_FIGURES),
        ).where(DAILY_SELLER_KPI_TABLE.c.team_id == team_id, covered)
    ).mappings()
    return {(r["seller_id"], r["day"]): {f: r[f] for f in ORDER_FIGURES} for r in rows}


def session_sums(
    connection: Connection, team_id: str, first: date, last: date
) -> dict[SellerDay, dict[str, int]]:
    """The LIVE figures of each seller-day first..last that has sessions, summed from them
    (a figure no session of the day has is left out)."""
    figures = [f for f in LIVE_SUMS.values() if f]
    rows = connection.execute(
        select(
            LIVE_SESSION_TABLE.c.seller_id,
            LIVE_SESSION_TABLE.c.started_at,
            *(LIVE_SESSION_TABLE.c[f] for f in figures),
        )
        .where(
            LIVE_SESSION_TABLE.c.team_id == team_id,
            LIVE_SESSION_TABLE.c.started_at >= datetime.combine(first, time()),
            LIVE_SESSION_TABLE.c.started_at < datetime.combine(last + timedelta(days=1), time()),
        )
        .order_by(LIVE_SESSION_TABLE.c.seller_id, LIVE_SESSION_TABLE.c.started_at)
    ).mappings()
    sums: dict[SellerDay, dict[str, int]] = defaultdict(dict)
    for row in rows:
        day = sums[(row["seller_id"], row["started_at"].date())]
        for column, figure in LIVE_SUMS.items():
            value = 1 if figure is None else row[figure]
            if value is not None:
                day[column] = day.get(column, 0) + int(value)
    return dict(sums)


def keep_finer_figures(
    connection: Connection,
    team_id: str,
    first: date,
    last: date,
    written: Sequence[str],
    orders_before: dict[SellerDay, dict[str, Any]],
) -> int:
    """After a KPI sheet wrote the columns `written` for the days first..last: put back the
    order export's sales (`orders_before`, read before the sheet was written) and the LIVE
    sessions' sums on the seller-days those cover, and bring the sums in step. Returns how
    many seller-days were put back."""
    back: dict[SellerDay, dict[str, Any]] = defaultdict(dict)
    sales = [f for f in ORDER_FIGURES if f in written]
    for key, figures in orders_before.items():
        if sales and first <= key[1] <= last:
            back[key].update({f: figures[f] for f in sales})
    if any(column in written for column in LIVE_SUMS):
        for key, figures in session_sums(connection, team_id, first, last).items():
            back[key].update({c: v for c, v in figures.items() if c in written})
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for (seller_id, day), figures in back.items():
        if figures:
            by_columns[tuple(sorted(figures))].append(
                {"b_seller": seller_id, "b_day": day, **{f"v_{c}": v for c, v in figures.items()}}
            )
    for columns, params in by_columns.items():
        statement = (
            update(DAILY_SELLER_KPI_TABLE)
            .where(
                DAILY_SELLER_KPI_TABLE.c.team_id == team_id,
                DAILY_SELLER_KPI_TABLE.c.seller_id == bindparam("b_seller"),
                DAILY_SELLER_KPI_TABLE.c.day == bindparam("b_day"),
            )
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        connection.execute(statement, params)
    changed = [day for (_, day), figures in back.items() if figures]
    if changed:
        refresh_summaries(connection, team_id, min(changed), max(changed))
    return len(changed)
