"""Digest subscriptions and runs: the database side of "exactly once".

A run is one scheduled post (one row per subscription and period); it is claimed, posted,
retried and taken over like every scheduled post, by storage.deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage import deliveries
from storage.db import transaction
from storage.models import (
    DigestRun,
    DigestSubscription,
    SubscriptionStatus,
)

LIVE_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.FAILING)


# ---- subscriptions -------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionDraft:
    """What `/digest subscribe` asks for, validated."""

    team_id: str
    channel_id: str
    channel_name: str
    weekdays: str
    post_time: str
    timezone: str
    category: str | None
    user_id: str


def get_subscription(engine: Engine, team_id: str, channel_id: str) -> DigestSubscription | None:
    """The channel's subscription, stopped ones included (they keep their history)."""
    with Session(engine) as session:
        return session.exec(
            select(DigestSubscription).where(
                DigestSubscription.team_id == team_id,
                DigestSubscription.channel_id == channel_id,
            )
        ).first()


def subscription_by_id(engine: Engine, subscription_id: int) -> DigestSubscription | None:
    with Session(engine) as session:
        return session.get(DigestSubscription, subscription_id)


def save_subscription(
    engine: Engine, draft: SubscriptionDraft, now: datetime
) -> tuple[DigestSubscription, bool]:
    """Create the channel's subscription or change it; (subscription, created).

    A stopped subscription that is renewed starts afresh: its creator is the person renewing
    it, and no slot before now is caught up.
    """
    with transaction(engine) as session:
        found = session.exec(
            select(DigestSubscription)
            .where(
                DigestSubscription.team_id == draft.team_id,
                DigestSubscription.channel_id == draft.channel_id,
            )
            .with_for_update()
        ).first()
        renewed = found is None or found.status == SubscriptionStatus.STOPPED
        subscription = found or DigestSubscription(
            team_id=draft.team_id, channel_id=draft.channel_id, created_by=draft.user_id
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


def stop_subscription(engine: Engine, subscription_id: int) -> None:
    with transaction(engine) as session:
        session.execute(
            update(DigestSubscription)
            .where(col(DigestSubscription.id) == subscription_id)
            .values(status=SubscriptionStatus.STOPPED)
        )


def team_subscriptions(engine: Engine, team_id: str) -> list[DigestSubscription]:
    """The workspace's subscriptions that are not stopped, by channel name."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(DigestSubscription)
                .where(
                    DigestSubscription.team_id == team_id,
                    col(DigestSubscription.status).in_(LIVE_STATUSES),
                )
                .order_by(col(DigestSubscription.channel_name), col(DigestSubscription.id))
            ).all()
        )


def live_subscriptions(engine: Engine, team_id: str) -> list[DigestSubscription]:
    """The workspace's subscriptions the scheduler serves: active ones, and failing ones (a
    channel fixed since, say by inviting the bot, works again at its next slot)."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(DigestSubscription)
                .where(
                    DigestSubscription.team_id == team_id,
                    col(DigestSubscription.status).in_(LIVE_STATUSES),
                )
                .order_by(col(DigestSubscription.id))
            ).all()
        )


def mark_failing(engine: Engine, subscription_id: int, error: str) -> bool:
    """Record that Slack refused the subscription's channel; True when this is news (it was
    healthy, or failed otherwise before), so the creator is told once per problem."""
    with transaction(engine) as session:
        subscription = session.get(DigestSubscription, subscription_id, with_for_update=True)
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
            update(DigestSubscription)
            .where(
                col(DigestSubscription.id) == subscription_id,
                col(DigestSubscription.status) == SubscriptionStatus.FAILING,
            )
            .values(status=SubscriptionStatus.ACTIVE, last_error=None)
        )


# ---- runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewRun:
    team_id: str
    subscription_id: int
    period: str
    slot_at: datetime
    week_start: date
    requested_by: str | None = None


def run_values(new: NewRun) -> dict[str, Any]:
    """The new run's row, for the delivery's claim (storage.deliveries.claim)."""
    return {
        "team_id": new.team_id,
        "subscription_id": new.subscription_id,
        "period": new.period,
        "slot_at": new.slot_at,
        "week_start": new.week_start,
        "requested_by": new.requested_by,
        "file_ids": [],
    }


def claim_run(engine: Engine, new: NewRun, runner: str, now: datetime) -> DigestRun | None:
    """Insert the run's row; None when it exists (another runner, or an earlier tick, has it)."""
    return deliveries.claim(
        engine, DigestRun, ("subscription_id", "period"), run_values(new), runner, now
    )


def run_by_id(engine: Engine, run_id: int) -> DigestRun | None:
    with Session(engine) as session:
        return session.get(DigestRun, run_id)


def run_history(engine: Engine, subscription_id: int, limit: int = 10) -> list[DigestRun]:
    """The subscription's latest runs, newest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(DigestRun)
                .where(DigestRun.subscription_id == subscription_id)
                .order_by(col(DigestRun.claimed_at).desc(), col(DigestRun.id).desc())
                .limit(limit)
            ).all()
        )


def runs_of(engine: Engine, subscription_id: int) -> list[DigestRun]:
    """Every run of a subscription, oldest first (for tests and the command line)."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(DigestRun)
                .where(DigestRun.subscription_id == subscription_id)
                .order_by(col(DigestRun.id))
            ).all()
        )


def subscription_for_channel(
    engine: Engine, team_id: str, channel: str
) -> DigestSubscription | None:
    """The live subscription of a channel given by ID or by name (`#name` or `name`)."""
    name = channel.removeprefix("#").lower()
    return next(
        (
            s
            for s in team_subscriptions(engine, team_id)
            if s.channel_id == channel or s.channel_name.lower() == name
        ),
        None,
    )
