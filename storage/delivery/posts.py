"""Every scheduled post's life cycle in the database: a digest run, an alert, a monthly review
report, a reminder. Each kind keeps its posts in its own table (keyed by what makes it one post:
subscription and period, rule and day…) with the same life-cycle columns: `status`,
`claimed_by`, `claimed_at`, `attempts`, `next_attempt_at`, `posting_at`, `posted_at`,
`message_ts`, `error`. The functions here move any of them:

- `claim`: INSERT … ON CONFLICT DO NOTHING on the post's key, so of two replicas (or a restart
  and an earlier tick) exactly one gets the post;
- `recoverable` and `take_over`: a post claimed or posting for longer than the lease (its worker
  died or hung) and a retry that is due are taken by one compare-and-set, which bumps
  `attempts` and so ends the old worker's lease (storage.delivery.leases);
- `mark_posting` before the visible Slack call (from then on a post may exist, so whoever takes
  over looks for it first), `renew`, `mark_posted`, `mark_retrying`, `mark_failed`: each applies
  only while the lease holds;
- every attempt's end (posted, retrying, failed, abandoned) is written to `DeliveryAttempt` in
  the same transaction: the run history `history()` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, insert, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from storage.columns import table_of
from storage.db import transaction
from storage.delivery.leases import Lease, change_if_held, held, lease_of, take_over
from storage.delivery.models import DELIVERY_ATTEMPT_TABLE, DeliveryAttempt, RunStatus

Row = TypeVar("Row", bound=SQLModel)
UNFINISHED = (RunStatus.CLAIMED, RunStatus.POSTING)
ABANDONED = "abandoned"  # its worker vanished; another took the post over

__all__ = ["Lease", "lease_of", "take_over"]


def kind_of(model: type[SQLModel]) -> str:
    """The name a kind of post has in the run history: its table's."""
    return str(model.__tablename__)


def claim(
    engine: Engine,
    model: type[Row],
    key: tuple[str, ...],
    values: dict[str, Any],
    worker: str,
    now: datetime,
) -> Row | None:
    """Insert the post's row (its `key` columns under a unique constraint) claimed by `worker`;
    None when it exists: another worker, or an earlier check, has it. A lost race is an
    ordinary answer rather than an integrity error, on SQLite and PostgreSQL alike."""
    table = table_of(model)
    claimed = {
        **values,
        "status": RunStatus.CLAIMED,
        "claimed_by": worker,
        "claimed_at": now,
        "attempts": 1,
    }
    with transaction(engine) as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(table)
            .values(**claimed)
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(table.c.id)
        )
        row_id = session.execute(statement).scalar_one_or_none()
        return None if row_id is None else session.get(model, row_id)


def recoverable(
    engine: Engine, model: type[Row], team_id: str, now: datetime, lease: timedelta
) -> list[Row]:
    """The workspace's posts another worker may take over: claimed or posting for longer than
    the lease (the worker died or hung), and retries that are due."""
    table = table_of(model)
    stale = and_(table.c.status.in_(UNFINISHED), table.c.claimed_at < now - lease)
    due = and_(table.c.status == RunStatus.RETRYING, table.c.next_attempt_at <= now)
    with Session(engine) as session:
        return list(
            session.exec(
                select(model)
                .where(table.c.team_id == team_id, or_(stale, due))
                .order_by(table.c.id)
            ).all()
        )


def take_over_post(engine: Engine, row: Row, worker: str, now: datetime) -> Row | None:
    """`take_over` the post as it was seen; a worker that vanished has its attempt written
    down as abandoned. None when someone else took it first."""
    seen: Any = row
    taken = take_over(engine, row, worker, now)
    if taken is not None and seen.status != RunStatus.RETRYING:
        with transaction(engine) as session:
            session.execute(
                insert(DELIVERY_ATTEMPT_TABLE).values(
                    team_id=seen.team_id,
                    kind=kind_of(type(row)),
                    delivery_id=seen.id,
                    attempt=seen.attempts,
                    worker=seen.claimed_by,
                    outcome=ABANDONED,
                    error=f"no word from its worker since {seen.claimed_at:%Y-%m-%d %H:%M} UTC",
                    at=now,
                )
            )
    return taken


def change(engine: Engine, model: type[SQLModel], lease: Lease, **values: Any) -> bool:
    """Update the post if the lease still holds (progress within an attempt); False once it
    was taken over."""
    return change_if_held(engine, model, lease, **values)


def mark_posting(engine: Engine, model: type[SQLModel], lease: Lease, now: datetime) -> bool:
    """Say the visible call starts now: from here on a post may exist, so whoever recovers the
    post looks for it before posting again."""
    return change(engine, model, lease, status=RunStatus.POSTING, posting_at=now, claimed_at=now)


def renew(engine: Engine, model: type[SQLModel], lease: Lease, now: datetime) -> bool:
    """Extend the claim (a worker still at work on the post); False once it was taken over."""
    return change(engine, model, lease, claimed_at=now)


def mark_posted(
    engine: Engine,
    model: type[SQLModel],
    lease: Lease,
    now: datetime,
    message_ts: str | None,
    **more: Any,
) -> bool:
    values = {
        "status": RunStatus.POSTED,
        "posted_at": now,
        "message_ts": message_ts,
        "error": None,
        "next_attempt_at": None,
        **more,
    }
    return _update(engine, model, lease, (RunStatus.POSTED, None, now), values)


def mark_retrying(
    engine: Engine, model: type[SQLModel], lease: Lease, when: datetime, error: str, now: datetime
) -> bool:
    values = {"status": RunStatus.RETRYING, "next_attempt_at": when, "error": error[:500]}
    return _update(engine, model, lease, (RunStatus.RETRYING, error, now), values)


def mark_failed(
    engine: Engine, model: type[SQLModel], lease: Lease, error: str, now: datetime
) -> bool:
    values = {"status": RunStatus.FAILED, "error": error[:500], "next_attempt_at": None}
    return _update(engine, model, lease, (RunStatus.FAILED, error, now), values)


def _update(
    engine: Engine,
    model: type[SQLModel],
    lease: Lease,
    ended: tuple[str, str | None, datetime],
    values: dict[str, Any],
) -> bool:
    """One conditional UPDATE on the lease that ends the attempt, and the attempt's line in the
    run history ((outcome, error, when) `ended`), in the same transaction."""
    table = table_of(model)
    with transaction(engine) as session:
        team_id = session.execute(
            update(table).where(*held(table, lease)).values(**values).returning(table.c.team_id)
        ).scalar_one_or_none()
        if team_id is None:
            return False
        outcome, error, at = ended
        session.execute(
            insert(DELIVERY_ATTEMPT_TABLE).values(
                team_id=team_id,
                kind=kind_of(model),
                delivery_id=lease.id,
                attempt=lease.attempts,
                worker=lease.claimed_by[:64],
                outcome=outcome,
                error=None if error is None else error[:500],
                at=at,
            )
        )
        return True


# ---- the run history -----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One attempt at one post, as the run history shows it."""

    kind: str
    delivery_id: int
    attempt: int
    worker: str
    outcome: str
    error: str | None
    at: datetime


def history(
    engine: Engine,
    team_id: str,
    *,
    kind: str | None = None,
    delivery_id: int | None = None,
    limit: int = 20,
) -> list[HistoryLine]:
    """The workspace's latest attempts (of one kind, or one post), newest first."""
    statement = select(DeliveryAttempt).where(DeliveryAttempt.team_id == team_id)
    if kind is not None:
        statement = statement.where(DeliveryAttempt.kind == kind)
    if delivery_id is not None:
        statement = statement.where(DeliveryAttempt.delivery_id == delivery_id)
    statement = statement.order_by(
        col(DeliveryAttempt.at).desc(), col(DeliveryAttempt.id).desc()
    ).limit(limit)
    with Session(engine) as session:
        return [
            HistoryLine(a.kind, a.delivery_id, a.attempt, a.worker, a.outcome, a.error, a.at)
            for a in session.exec(statement).all()
        ]
