"""Monthly review report subscriptions and their posts: one row per subscription and month,
claimed, posted, retried and taken over like every scheduled post (storage.deliveries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.db import transaction
from storage.models import (
    ReviewReportSubscription,
    SubscriptionStatus,
)


@dataclass(frozen=True)
class MonthlyDraft:
    team_id: str
    channel_id: str
    channel_name: str
    post_time: str
    timezone: str
    category: str | None
    user_id: str


def subscription_of(
    engine: Engine, team_id: str, channel_id: str
) -> ReviewReportSubscription | None:
    """The channel's subscription, stopped or not."""
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(
            select(ReviewReportSubscription).where(
                ReviewReportSubscription.team_id == team_id,
                ReviewReportSubscription.channel_id == channel_id,
            )
        ).first()


def save_monthly(engine: Engine, draft: MonthlyDraft, now: datetime) -> ReviewReportSubscription:
    """Subscribe the channel, or change its subscription; a stopped one starts again from now
    (months before are not caught up)."""
    with transaction(engine) as session:
        found = session.exec(
            select(ReviewReportSubscription).where(
                ReviewReportSubscription.team_id == draft.team_id,
                ReviewReportSubscription.channel_id == draft.channel_id,
            )
        ).first()
        if found is None or found.status == SubscriptionStatus.STOPPED:
            found = found or ReviewReportSubscription(
                team_id=draft.team_id, channel_id=draft.channel_id, created_by=draft.user_id
            )
            found.created_by, found.active_since = draft.user_id, now
        found.channel_name, found.post_time = draft.channel_name, draft.post_time
        found.timezone, found.category = draft.timezone, draft.category
        found.status, found.last_error = SubscriptionStatus.ACTIVE, None
        session.add(found)
        session.flush()
        return found


def stop_monthly(engine: Engine, subscription_id: int) -> None:
    with transaction(engine) as session:
        found = session.get(ReviewReportSubscription, subscription_id)
        if found is not None:
            found.status = SubscriptionStatus.STOPPED
            session.add(found)


def live_monthly(engine: Engine, team_id: str) -> list[ReviewReportSubscription]:
    """The workspace's subscriptions that still post."""
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.exec(
                select(ReviewReportSubscription)
                .where(
                    ReviewReportSubscription.team_id == team_id,
                    ReviewReportSubscription.status != SubscriptionStatus.STOPPED,
                )
                .order_by(col(ReviewReportSubscription.id))
            ).all()
        )


def subscription_by_id(engine: Engine, subscription_id: int) -> ReviewReportSubscription | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(ReviewReportSubscription, subscription_id)


def set_last_error(engine: Engine, subscription_id: int, error: str | None) -> None:
    """What Slack refused the subscription's last post for (None: it posted)."""
    with transaction(engine) as session:
        subscription = session.get(ReviewReportSubscription, subscription_id)
        if subscription is not None:
            subscription.last_error = error
            session.add(subscription)
