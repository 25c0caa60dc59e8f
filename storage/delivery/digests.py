"""Digest runs: the database side of "exactly once" for the weekly digest.

A run is one scheduled post (one row per subscription and period; the subscriptions are
storage.delivery.subscriptions'); it is claimed, posted, retried and taken over like every scheduled
post, by storage.delivery.posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.delivery import posts as deliveries
from storage.delivery.models import DigestRun


@dataclass(frozen=True)
class NewRun:
    team_id: str
    subscription_id: int
    period: str
    slot_at: datetime
    week_start: date
    requested_by: str | None = None


def run_values(new: NewRun) -> dict[str, Any]:
    """The new run's row, for the delivery's claim (storage.delivery.posts.claim)."""
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
