"""How much data a workspace has: counts and the span of its KPI days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.creators.models import Creator
from storage.delivery.models import Subscription, SubscriptionKind
from storage.feedback.models import FeedbackNote
from storage.kpis.models import DailySellerKpi
from storage.reviews.models import LivestreamReview
from storage.sellers.models import Seller


@dataclass(frozen=True)
class DataOverview:
    sellers: int
    categories: int
    creators: int
    feedback_notes: int
    livestream_reviews: int
    digest_subscriptions: int
    kpi_rows: int
    first_kpi_day: date | None
    last_kpi_day: date | None


def data_overview(engine: Engine, team_id: str) -> DataOverview:
    """The counts for `team_id` only."""

    def count(model: Any, *where: Any) -> int:
        statement = select(func.count()).select_from(model).where(model.team_id == team_id, *where)
        return int(session.exec(statement).one())

    with Session(engine) as session:
        first, last, rows = session.exec(
            select(func.min(DailySellerKpi.day), func.max(DailySellerKpi.day), func.count()).where(
                DailySellerKpi.team_id == team_id
            )
        ).one()
        categories = session.exec(
            select(func.count(func.distinct(Seller.category))).where(Seller.team_id == team_id)
        ).one()
        return DataOverview(
            sellers=count(Seller),
            categories=int(categories),
            creators=count(Creator),
            feedback_notes=count(FeedbackNote, FeedbackNote.deleted_at.is_(None)),  # type: ignore[union-attr]
            livestream_reviews=count(LivestreamReview),
            digest_subscriptions=count(
                Subscription, Subscription.kind == SubscriptionKind.WEEKLY_DIGEST
            ),
            kpi_rows=int(rows),
            first_kpi_day=first,
            last_kpi_day=last,
        )


def people_counts(engine: Engine, team_id: str) -> tuple[int, int, int]:
    """(sellers, their categories, creators) of the workspace: what a glance needs, without
    reading its seller-days."""
    with Session(engine) as session:
        sellers, categories = session.exec(
            select(func.count(), func.count(func.distinct(Seller.category))).where(
                Seller.team_id == team_id
            )
        ).one()
        creators = session.exec(
            select(func.count()).select_from(Creator).where(Creator.team_id == team_id)
        ).one()
    return int(sellers), int(categories), int(creators)
