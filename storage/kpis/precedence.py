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

from storage.kpis.sums import refresh_summaries
from storage.models import DailySellerKpi, ImportBatch, LiveSession

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

_DAYS = DailySellerKpi.__table__  # type: ignore[attr-defined]
_BATCHES = ImportBatch.__table__  # type: ignore[attr-defined]
_SESSIONS = LiveSession.__table__  # type: ignore[attr-defined]
SellerDay = tuple[int, date]


def order_export_days(connection: Connection, team_id: str) -> dict[SellerDay, dict[str, Any]]:
    """The sales figures of every seller-day an order export covers, as they stand: read
    before a KPI sheet is written, so they can be put back after it."""
    # One EXISTS over the batches, not a term per batch: the workspace's order exports only
    # grow, and SQLite refuses an expression a thousand terms deep.
    covered = (
        select(_BATCHES.c.id)
        .where(
            _BATCHES.c.team_id == team_id,
            _BATCHES.c.kind == ORDER_EXPORT_KIND,
            _BATCHES.c.status == "done",
            _BATCHES.c.seller_id == _DAYS.c.seller_id,
            _DAYS.c.day.between(_BATCHES.c.first_day, _BATCHES.c.last_day),
        )
        .exists()
    )
    rows = connection.execute(
        select(_DAYS.c.seller_id, _DAYS.c.day, *(_DAYS.c[f] for f in ORDER_FIGURES)).where(
            _DAYS.c.team_id == team_id, covered
        )
    ).mappings()
    return {(r["seller_id"], r["day"]): {f: r[f] for f in ORDER_FIGURES} for r in rows}


def session_sums(
    connection: Connection, team_id: str, first: date, last: date
) -> dict[SellerDay, dict[str, int]]:
    """The LIVE figures of each seller-day first..last that has sessions, summed from them
    (a figure no session of the day has is left out)."""
    figures = [f for f in LIVE_SUMS.values() if f]
    rows = connection.execute(
        select(_SESSIONS.c.seller_id, _SESSIONS.c.started_at, *(_SESSIONS.c[f] for f in figures))
        .where(
            _SESSIONS.c.team_id == team_id,
            _SESSIONS.c.started_at >= datetime.combine(first, time()),
            _SESSIONS.c.started_at < datetime.combine(last + timedelta(days=1), time()),
        )
        .order_by(_SESSIONS.c.seller_id, _SESSIONS.c.started_at)
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
            update(_DAYS)
            .where(
                _DAYS.c.team_id == team_id,
                _DAYS.c.seller_id == bindparam("b_seller"),
                _DAYS.c.day == bindparam("b_day"),
            )
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        connection.execute(statement, params)
    changed = [day for (_, day), figures in back.items() if figures]
    if changed:
        refresh_summaries(connection, team_id, min(changed), max(changed))
    return len(changed)
