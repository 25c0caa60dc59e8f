"""Monthly review report subscriptions and their posts, claimed so each month posts once.

A post is claimed by inserting its (subscription, month) row under a unique constraint before
anything is sent: two replicas, or a restart, never post the same month twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.db import transaction
from storage.models import (
    ReviewReportPost,
    ReviewReportSubscription,
    RunStatus,
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


def claim_month(
    engine: Engine, subscription: ReviewReportSubscription, month: date, now: datetime
) -> int | None:
    """The new post's id, or None when this month was claimed already (by anyone)."""
    assert subscription.id is not None
    try:
        with transaction(engine) as session:
            post = ReviewReportPost(
                team_id=subscription.team_id,
                subscription_id=subscription.id,
                month=month,
                claimed_at=now,
            )
            session.add(post)
            session.flush()
            return post.id
    except IntegrityError:
        return None


def finish_post(
    engine: Engine, post_id: int, now: datetime, *, ts: str | None = None, error: str | None = None
) -> None:
    """Record the post as posted (its message ts) or failed (the error, also shown on the
    subscription)."""
    with transaction(engine) as session:
        post = session.get(ReviewReportPost, post_id)
        assert post is not None
        post.status = RunStatus.FAILED if error else RunStatus.POSTED
        post.posted_at, post.message_ts, post.error = (None if error else now), ts, error
        session.add(post)
        subscription = session.get(ReviewReportSubscription, post.subscription_id)
        if subscription is not None:
            subscription.last_error = error
            session.add(subscription)


def posts_of(engine: Engine, subscription_id: int) -> list[ReviewReportPost]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(ReviewReportPost)
                .where(ReviewReportPost.subscription_id == subscription_id)
                .order_by(col(ReviewReportPost.month))
            ).all()
        )
