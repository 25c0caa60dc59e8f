"""Every seller's recent figures at once, for gaps and opportunities and the seller list.

Read from the sum tables every import keeps (storage.kpis.sums), not from the seller-days: per
day and category, each seller's GMV (`dailycategorysellers`) and who held a LIVE or sold
through affiliates (`dailycategorykpi` bitmaps). A month for thousands of sellers is a few
hundred rows. Sellers are indexed by their number in the workspace (Seller.number).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.kpis.models import (
    DAILY_CATEGORY_KPI_TABLE,
    DAILY_CATEGORY_SELLERS_TABLE,
    DAILY_SELLER_KPI_TABLE,
)
from storage.kpis.reads import bit_flags, day_list
from storage.matchmaking.models import Collaboration
from storage.matchmaking.reads import current_collaboration
from storage.reviews.models import LIVESTREAM_REVIEW_TABLE
from storage.reviews.scorecard import SCORECARD
from storage.sellers.activity import seller_days
from storage.sellers.models import SELLER_NOTE_TABLE, SELLER_TABLE

WINDOW_DAYS = 30  # the longest look-back of any rule on figures
FEW_SELLERS = 200  # fewer: each seller's newest note is looked up on its own
MANY_SELLERS = 1000  # more: their sums come from one pass over every seller's days


@dataclass(frozen=True)
class RecentFigures:
    """Per seller number, the days end-29..end: GMV per day (cents) and LIVE and affiliate
    activity per day (rows: days oldest first; columns: seller numbers)."""

    end: date
    gmv: np.ndarray  # int64, days × sellers
    live: np.ndarray  # bool, days × sellers
    affiliate: np.ndarray  # bool, days × sellers

    def gmv_between(self, days_ago_first: int, days_ago_last: int) -> np.ndarray:
        """Each seller's GMV from `days_ago_first` to `days_ago_last` days before `end`
        (0 is `end` itself), both included."""
        top = len(self.gmv) - 1
        return self.gmv[top - days_ago_first : top - days_ago_last + 1].sum(axis=0)

    def days_since_live(self) -> np.ndarray:
        """Days from each seller's last LIVE in the window to `end`; -1 for none."""
        seen = self.live[::-1]
        found = seen.any(axis=0)
        return np.where(found, seen.argmax(axis=0), -1)

    def affiliate_days(self, days: int) -> np.ndarray:
        return self.affiliate[-days:].sum(axis=0)


def recent_figures(engine: Engine, team_id: str, end: date, width: int) -> RecentFigures:
    """The workspace's last WINDOW_DAYS days of figures up to `end`, for `width` sellers."""
    first = end - timedelta(days=WINDOW_DAYS - 1)
    gmv = np.zeros((WINDOW_DAYS, width), dtype=np.int64)
    live = np.zeros((WINDOW_DAYS, width), dtype=bool)
    affiliate = np.zeros((WINDOW_DAYS, width), dtype=bool)
    with engine.connect() as connection:
        sums = select(
            DAILY_CATEGORY_SELLERS_TABLE.c.day,
            DAILY_CATEGORY_SELLERS_TABLE.c.sellers,
            DAILY_CATEGORY_SELLERS_TABLE.c.gmv_cents,
        ).where(
            DAILY_CATEGORY_SELLERS_TABLE.c.team_id == team_id,
            DAILY_CATEGORY_SELLERS_TABLE.c.day.between(first, end),
        )
        for day, sellers, cents in connection.execute(sums):
            numbers = np.frombuffer(sellers, "<i4")
            keep = numbers < width
            np.add.at(gmv[(day - first).days], numbers[keep], np.frombuffer(cents, "<i8")[keep])
        bits = select(
            DAILY_CATEGORY_KPI_TABLE.c.day,
            DAILY_CATEGORY_KPI_TABLE.c.live_bits,
            DAILY_CATEGORY_KPI_TABLE.c.affiliate_bits,
        ).where(
            DAILY_CATEGORY_KPI_TABLE.c.team_id == team_id,
            DAILY_CATEGORY_KPI_TABLE.c.day.between(first, end),
        )
        for day, live_bits, affiliate_bits in connection.execute(bits):
            row = (day - first).days
            live[row] |= bit_flags(live_bits, width)
            affiliate[row] |= bit_flags(affiliate_bits, width)
    return RecentFigures(end, gmv, live, affiliate)


def one_sellers_figures(
    engine: Engine, team_id: str, end: date, seller_id: int, number: int
) -> RecentFigures:
    """`recent_figures` for one seller (in its column `number`), from its own seller-days:
    a few dozen index probes rather than every seller's arrays."""
    first = end - timedelta(days=WINDOW_DAYS - 1)
    shape = (WINDOW_DAYS, number + 1)
    gmv, live, affiliate = np.zeros(shape, np.int64), np.zeros(shape, bool), np.zeros(shape, bool)
    for day in seller_days(engine, team_id, seller_id, first, end):
        row = (day.day - first).days
        gmv[row, number] = day.gmv_cents
        live[row, number] = day.live_sessions > 0
        affiliate[row, number] = day.affiliate_gmv_cents > 0
    return RecentFigures(end, gmv, live, affiliate)


def seller_sums(
    engine: Engine,
    team_id: str,
    first: date,
    last: date,
    seller_ids: Sequence[int],
    columns: Sequence[str],
) -> dict[int, tuple[int, ...]]:
    """Per seller id of `seller_ids` with figures first..last: the sums of the seller-day
    `columns` (DailySellerKpi's figures). A few sellers are probed day by day; for many, one
    pass over the window's seller-days costs less (and does not grow with them)."""
    table = DAILY_SELLER_KPI_TABLE
    wanted = sorted(set(seller_ids))
    if not wanted:
        return {}
    # Seller-days are keyed day first (storage.kpis.reads): probe day by day.
    days = [table.c.team_id == team_id, table.c.day.in_(day_list(first, last))]
    chunks = [wanted[start : start + 500] for start in range(0, len(wanted), 500)]
    if len(wanted) > MANY_SELLERS:
        chunks = [[]]
    sums: dict[int, tuple[int, ...]] = {}
    keep = set(wanted)
    with engine.connect() as connection:
        for chunk in chunks:
            statement = (
                sa_select(table.c.seller_id, *(func.sum(table.c[c]) for c in columns))
                .where(*days, *([table.c.seller_id.in_(chunk)] if chunk else []))
                .group_by(table.c.seller_id)
            )
            for seller_id, *values in connection.execute(statement):
                if seller_id in keep:
                    sums[int(seller_id)] = tuple(int(v or 0) for v in values)
    return sums


def review_averages(
    engine: Engine, team_id: str, since: date, seller_id: int | None = None
) -> dict[int, tuple[float, int]]:
    """Per seller id (or only `seller_id`): (the mean score of its streams reviewed since
    `since`, how many)."""
    table = LIVESTREAM_REVIEW_TABLE
    total = sum(
        (table.c[f"score_{item}"] for item in SCORECARD[1:]), table.c[f"score_{SCORECARD[0]}"]
    )
    statement = (
        sa_select(table.c.seller_id, func.sum(total), func.count())
        .where(
            table.c.team_id == team_id,
            table.c.stream_date >= since,
            table.c.seller_id.is_not(None) if seller_id is None else table.c.seller_id == seller_id,
        )
        .group_by(table.c.seller_id)
    )
    with engine.connect() as connection:
        return {
            int(seller_id): (float(scores) / (count * len(SCORECARD)), int(count))
            for seller_id, scores, count in connection.execute(statement).all()
        }


def last_contacts(
    engine: Engine, team_id: str, recent: date, seller_ids: list[int]
) -> dict[int, datetime | None]:
    """Of the sellers `seller_ids`, those with a live note: None for the ones with a note
    since `recent` (all the no-contact rule needs to know of them), else when their newest
    was written. The recent notes are a small part of a year's: reading them first leaves only
    the other sellers' latest dates to look up, seller by seller."""
    notes = SELLER_NOTE_TABLE
    since = datetime.combine(recent, datetime.min.time(), UTC)
    live = [notes.c.team_id == team_id, notes.c.deleted_at.is_(None)]
    latest: dict[int, datetime | None] = {}
    wanted = set(seller_ids)
    with engine.connect() as connection:
        if len(wanted) > FEW_SELLERS:
            # No DISTINCT: it would lead SQLite to the seller-first index, every note of a year.
            fresh = sa_select(notes.c.seller_id).where(*live, notes.c.created_at >= since)
            contacted = connection.execute(fresh).scalars()
            latest.update(dict.fromkeys(s for s in contacted if s in wanted))
        stale = sorted(wanted - set(latest))
        sellers = SELLER_TABLE
        # Each seller's newest note from the end of its part of the index: one entry read.
        newest = (
            sa_select(notes.c.created_at)
            .where(*live, notes.c.seller_id == sellers.c.id)
            .order_by(notes.c.created_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        for start in range(0, len(stale), 500):
            older = sa_select(sellers.c.id, newest).where(
                sellers.c.team_id == team_id, sellers.c.id.in_(stale[start : start + 500])
            )
            for seller, at in connection.execute(older):
                if at is not None:
                    at = _aware(at)
                    latest[int(seller)] = None if at >= since else at
    return latest


def _aware(at: datetime) -> datetime:
    # SQLite hands back max() of a timestamp column as text or a naive value.
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def creator_counts(
    engine: Engine, team_id: str, today: date, seller_id: int | None = None
) -> dict[int, int]:
    """Per seller id (or only `seller_id`): how many creators work with it on `today` (a
    collaboration between its start and end), as the seller card lists them."""
    statement = (
        select(Collaboration.seller_id, func.count())
        .where(Collaboration.team_id == team_id, current_collaboration(today))
        .group_by(col(Collaboration.seller_id))
    )
    if seller_id is not None:
        statement = statement.where(Collaboration.seller_id == seller_id)
    with Session(engine) as session:
        return {int(s): int(n) for s, n in session.exec(statement).all()}
