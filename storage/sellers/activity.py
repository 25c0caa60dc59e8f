"""What a seller's card reads besides the profile: its days of figures, its livestream reviews,
the creators working with it, and its latest contact and next follow-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.creators.models import Creator
from storage.kpis.models import DAILY_SELLER_KPI_TABLE, DailySellerKpi
from storage.kpis.reads import day_list
from storage.matchmaking.models import Collaboration
from storage.matchmaking.reads import current_collaboration
from storage.reviews.models import LIVESTREAM_REVIEW_TABLE
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import SellerNote

DAY_FIGURES = (
    "gmv_cents",
    "orders",
    "live_sessions",
    "live_minutes",
    "live_views",
    "live_likes",
    "live_comments",
    "live_shares",
    "live_gmv_cents",
    "video_gmv_cents",
    "affiliate_gmv_cents",
)


@dataclass(frozen=True)
class SellerDay:
    """One day of a seller's figures (money in cents)."""

    day: date
    gmv_cents: int
    orders: int
    live_sessions: int
    live_minutes: int
    live_views: int
    live_likes: int
    live_comments: int
    live_shares: int
    live_gmv_cents: int
    video_gmv_cents: int
    affiliate_gmv_cents: int


@dataclass(frozen=True)
class ReviewScore:
    stream_date: date
    host_name: str
    average: Decimal  # the mean of the ten scorecard scores


@dataclass(frozen=True)
class LastContact:
    at: datetime
    author_user_id: str
    text: str


def seller_days(
    engine: Engine, team_id: str, seller_id: int, first: date, last: date
) -> list[SellerDay]:
    """The seller's days with figures first..last, oldest first."""
    table = DAILY_SELLER_KPI_TABLE
    statement = (
        select(table.c.day, *(table.c[f] for f in DAY_FIGURES))
        .where(
            table.c.team_id == team_id,
            # One index probe per day: seller-days are keyed day first (storage.kpis.reads).
            table.c.day.in_(day_list(first, last)),
            table.c.seller_id == seller_id,
        )
        .order_by(table.c.day)
    )
    with engine.connect() as connection:
        return [SellerDay(**row) for row in connection.execute(statement).mappings()]


def last_live_day(
    engine: Engine, team_id: str, seller_id: int, first: date, last: date
) -> date | None:
    """The newest day first..last the seller held a LIVE."""
    statement = select(func.max(DailySellerKpi.day)).where(
        DailySellerKpi.team_id == team_id,
        col(DailySellerKpi.day).in_(day_list(first, last)),
        DailySellerKpi.seller_id == seller_id,
        col(DailySellerKpi.live_sessions) > 0,
    )
    with Session(engine) as session:
        return session.exec(statement).one()


def first_live_day(engine: Engine, team_id: str) -> date | None:
    """The oldest day any seller of the workspace held a LIVE: where its LIVE data starts."""
    statement = select(func.min(DailySellerKpi.day)).where(
        DailySellerKpi.team_id == team_id, col(DailySellerKpi.live_sessions) > 0
    )
    with Session(engine) as session:
        return session.exec(statement).one()


def latest_reviews(
    engine: Engine, team_id: str, seller_id: int, limit: int = 3
) -> tuple[list[ReviewScore], int]:
    """The seller's newest reviews (each with its mean score), and how many it has in all."""
    table = LIVESTREAM_REVIEW_TABLE
    statement = (
        sa_select(
            table.c.stream_date, table.c.host_name, *(table.c[f"score_{i}"] for i in SCORECARD)
        )
        .where(table.c.team_id == team_id, table.c.seller_id == seller_id)
        .order_by(table.c.stream_date.desc(), table.c.id.desc())
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    reviews = [ReviewScore(row[0], row[1], Decimal(sum(row[2:])) / len(SCORECARD)) for row in rows]
    return reviews[:limit], len(reviews)


def working_creators(
    engine: Engine, team_id: str, seller_id: int, today: date, limit: int = 8
) -> list[str]:
    """Handles of the creators working with the seller on `today` (a collaboration between its
    start and end), longest-standing first."""
    statement = (
        select(Creator.handle)
        .join(Collaboration, col(Collaboration.creator_id) == col(Creator.id))
        .where(
            Collaboration.team_id == team_id,
            Collaboration.seller_id == seller_id,
            current_collaboration(today),
        )
        .order_by(col(Collaboration.since), col(Creator.handle))
        .limit(limit)
    )
    with Session(engine) as session:
        return list(session.exec(statement).all())


def last_contact(engine: Engine, team_id: str, seller_id: int) -> LastContact | None:
    """The seller's newest live note: the last time someone recorded talking to it."""
    statement = (
        select(SellerNote.created_at, SellerNote.author_user_id, SellerNote.text)
        .where(
            SellerNote.team_id == team_id,
            SellerNote.seller_id == seller_id,
            col(SellerNote.deleted_at).is_(None),
        )
        .order_by(col(SellerNote.created_at).desc(), col(SellerNote.id).desc())
        .limit(1)
    )
    with Session(engine) as session:
        row = session.exec(statement).first()
    return LastContact(*row) if row else None


def next_follow_up(engine: Engine, team_id: str, seller_id: int) -> tuple[date, str] | None:
    """(day, who) of the seller's earliest open follow-up."""
    statement = (
        select(col(SellerNote.follow_up_on), SellerNote.author_user_id)
        .where(
            SellerNote.team_id == team_id,
            SellerNote.seller_id == seller_id,
            col(SellerNote.deleted_at).is_(None),
            col(SellerNote.follow_up_on).is_not(None),
            col(SellerNote.follow_up_done_at).is_(None),
        )
        .order_by(col(SellerNote.follow_up_on))
        .limit(1)
    )
    with Session(engine) as session:
        row = session.exec(statement).first()
    return (row[0], row[1]) if row and row[0] else None
