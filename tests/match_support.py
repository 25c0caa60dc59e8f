"""Data built for the matchmaking tests: sellers with weekly figures, creators with dated
performance snapshots, notes and collaborations, so the right order is known."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from storage.creators.models import Creator, CreatorStage
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from storage.kpis.models import DailySellerKpi, WeeklySellerKpi
from storage.matchmaking.models import Collaboration, CreatorPerformance
from storage.names import match_key
from storage.sellers.models import Seller
from tests.feedback_support import NOW, TODAY


def add_seller(engine: Engine, team_id: str, name: str, category: str, *, aov: int = 2_600) -> int:
    """A seller with twelve weeks of figures at `aov` cents per order, 60% of GMV from LIVE."""
    with transaction(engine) as session:
        seller = Seller(
            team_id=team_id,
            seller_key=f"S{abs(hash(name)) % 10**8}",
            name=name,
            name_key=match_key(name),
            category=category,
            categories=[category],
        )
        session.add(seller)
        session.flush()
        assert seller.id is not None
        for week in range(1, 13):
            monday = TODAY - timedelta(days=TODAY.weekday() + 7 * week)
            session.add(
                WeeklySellerKpi(
                    team_id=team_id,
                    week=monday,
                    category=category,
                    seller_id=seller.id,
                    gmv_cents=aov * 100,
                    orders=100,
                )
            )
        session.add(
            DailySellerKpi(
                team_id=team_id,
                day=TODAY - timedelta(days=3),
                seller_id=seller.id,
                category=category,
                gmv_cents=10_000,
                live_gmv_cents=6_000,
                orders=4,
            )
        )
        return seller.id


def add_creator(
    engine: Engine,
    team_id: str,
    handle: str,
    *,
    categories: tuple[str, ...] = ("Kitchenware",),
    level: int | None = 4,
    overall: dict[str, Any] | None = None,
    by_category: dict[str, dict[str, Any]] | None = None,
    notes: tuple[str, ...] = (),
    stage: str = CreatorStage.PROSPECT,  # as the registry adds a creator
    display_name: str | None = None,
) -> int:
    """A creator with an overall snapshot (this month, and an older one that is not latest)
    and snapshots per category; `notes` are sentiments of recent notes."""
    figures = {
        "gmv_cents": 250_000,
        "orders": 100,
        "live_gpm_cents": 2_000,
        "engagement_rate": 0.04,
        "samples_shipped": 10,
        "posts_after_samples": 8,
        "content_types": "live",
    } | (overall or {})
    with transaction(engine) as session:
        creator = Creator(
            team_id=team_id,
            handle=handle,
            display_name=handle.title() if display_name is None else display_name,
            name_key=match_key(handle),
            level=level,
            stage=stage,
            categories=list(categories),
        )
        session.add(creator)
        session.flush()
        assert creator.id is not None
        old = {**figures, "live_gpm_cents": 1, "engagement_rate": 0.0}
        for as_of, values, latest in (
            (date(2026, 10, 1), old, False),
            (date(2026, 11, 1), figures, True),
        ):
            session.add(
                CreatorPerformance(
                    team_id=team_id, creator_id=creator.id, as_of=as_of, latest=latest, **values
                )
            )
        for category, values in (by_category or {}).items():
            session.add(
                CreatorPerformance(
                    team_id=team_id,
                    creator_id=creator.id,
                    as_of=date(2026, 11, 1),
                    category=category,
                    category_key=match_key(category),
                    **values,
                )
            )
        for i, sentiment in enumerate(notes):
            session.add(
                FeedbackNote(
                    team_id=team_id,
                    creator_id=creator.id,
                    author_user_id="U0TOM",
                    text=f"note {i}",
                    sentiment=sentiment,
                    created_at=NOW - timedelta(days=i + 1),
                )
            )
        return creator.id


def add_collaboration(
    engine: Engine,
    team_id: str,
    creator_id: int,
    seller_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
) -> None:
    with transaction(engine) as session:
        session.add(
            Collaboration(
                team_id=team_id,
                creator_id=creator_id,
                seller_id=seller_id,
                since=since,
                until=until,
            )
        )
