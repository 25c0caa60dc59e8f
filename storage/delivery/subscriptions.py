"""Subscriptions to scheduled posts, of every kind (the weekly digest, the monthly review report):
one per channel and kind, created or changed, listed, stopped and marked failing alike. What is
due when is the kind's to say (bot.digest.runner, bot.review.monthly); each kind's posts keep
the subscription's id (`DigestRun` in storage.delivery.digests, `ReviewReportPost`).

A stopped subscription is kept, so its posts' history stays readable; subscribing the channel
again renews it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.db import transaction
from storage.delivery.models import Subscription, SubscriptionKind, SubscriptionStatus

LIVE_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.FAILING)


@dataclass(frozen=True)
class SubscriptionDraft:
    """What `/digest subscribe` or `/review subscribe` asks for, validated."""

    team_id: str
    kind: SubscriptionKind
    channel_id: str
    channel_name: str
    post_time: str
    timezone: str
    category: str | None
    user_id: str
    weekdays: str = ""  # the weekly digest's


def of_channel(
    engine: Engine, team_id: str, kind: SubscriptionKind, channel_id: str
) -> Subscription | None:
    """The channel's subscription of the kind, stopped ones included (they keep their history)."""
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(
            select(Subscription).where(
                Subscription.team_id == team_id,
                Subscription.kind == kind,
                Subscription.channel_id == channel_id,
            )
        ).first()


def by_id(engine: Engine, subscription_id: int) -> Subscription | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Subscription, subscription_id)


def save(engine: Engine, draft: SubscriptionDraft, now: datetime) -> tuple[Subscription, bool]:
    """Create the channel's subscription of the kind or change it; (subscription, created).

    A stopped subscription that is renewed starts afresh: its creator is the person renewing
    it, and no slot before now is caught up.
    """
    with transaction(engine) as session:
        found = session.exec(
            select(Subscription)
            .where(
                Subscription.team_id == draft.team_id,
                Subscription.kind == draft.kind,
                Subscription.channel_id == draft.channel_id,
            )
            .with_for_update()
        ).first()
        renewed = found is None or found.status == SubscriptionStatus.STOPPED
        subscription = found or Subscription(
            team_id=draft.team_id,
            kind=draft.kind,
            channel_id=draft.channel_id,
            created_by=draft.user_id,
        )
        subscription.channel_name = draft.channel_name
        subscription.weekdays = draft.weekdays
        subscription.post_time = draft.post_time
        subscription.timezone = draft.timezone
        subscription.category = draft.category
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.last_error = None
        if renewed:
            subscription.created_by = draft.user_id
            subscription.active_since = now
        session.add(subscription)
        session.flush()
        return subscription, found is None


def stop(engine: Engine, subscription_id: int) -> None:
    with transaction(engine) as session:
        session.execute(
            update(Subscription)
            .where(col(Subscription.id) == subscription_id)
            .values(status=SubscriptionStatus.STOPPED)
        )


def listed(engine: Engine, team_id: str, kind: SubscriptionKind) -> list[Subscription]:
    """The workspace's subscriptions of the kind that are not stopped, by channel name."""
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.exec(
                select(Subscription)
                .where(
                    Subscription.team_id == team_id,
                    Subscription.kind == kind,
                    col(Subscription.status).in_(LIVE_STATUSES),
                )
                .order_by(col(Subscription.channel_name), col(Subscription.id))
            ).all()
        )


def live(engine: Engine, team_id: str, kind: SubscriptionKind) -> list[Subscription]:
    """The workspace's subscriptions of the kind the scheduler serves: active ones, and failing
    ones (a channel fixed since, say by inviting the bot, works again at its next slot)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.exec(
                select(Subscription)
                .where(
                    Subscription.team_id == team_id,
                    Subscription.kind == kind,
                    col(Subscription.status).in_(LIVE_STATUSES),
                )
                .order_by(col(Subscription.id))
            ).all()
        )


def for_channel(
    engine: Engine, team_id: str, kind: SubscriptionKind, channel: str
) -> Subscription | None:
    """The live subscription of the kind of a channel given by ID or by name (`#name` or
    `name`)."""
    name = channel.removeprefix("#").lower()
    return next(
        (
            s
            for s in listed(engine, team_id, kind)
            if s.channel_id == channel or s.channel_name.lower() == name
        ),
        None,
    )


def mark_failing(engine: Engine, subscription_id: int, error: str) -> bool:
    """Record that Slack refused the subscription's channel; True when this is news (it was
    healthy, or failed otherwise before), so the creator is told once per problem."""
    with transaction(engine) as session:
        subscription = session.get(Subscription, subscription_id, with_for_update=True)
        if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
            return False
        news = subscription.status != SubscriptionStatus.FAILING or (
            subscription.last_error != error
        )
        subscription.status = SubscriptionStatus.FAILING
        subscription.last_error = error
        session.add(subscription)
        return news


def mark_healthy(engine: Engine, subscription_id: int) -> None:
    with transaction(engine) as session:
        session.execute(
            update(Subscription)
            .where(
                col(Subscription.id) == subscription_id,
                col(Subscription.status) == SubscriptionStatus.FAILING,
            )
            .values(status=SubscriptionStatus.ACTIVE, last_error=None)
        )


def set_last_error(engine: Engine, subscription_id: int, error: str | None) -> None:
    """What Slack refused the subscription's last post for (None: it posted), its status
    unchanged (the monthly review report's way)."""
    with transaction(engine) as session:
        session.execute(
            update(Subscription)
            .where(col(Subscription.id) == subscription_id)
            .values(last_error=error)
        )
