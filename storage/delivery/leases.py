"""Work that one process at a time may do: a scheduled post (storage.delivery.posts).

The work's row says who claimed it (`claimed_by`, `claimed_at`) and how many times it has been
tried (`attempts`). A worker holds a Lease on it: every change it makes applies only while the
row still shows its claim and count, so a worker that paused past its lease and was taken over
changes nothing. Taking over work whose worker vanished (or whose retry is due) bumps the count,
which ends the old lease. One conditional UPDATE each: of two concurrent takers the database
lets exactly one match, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from storage.columns import table_of
from storage.db import transaction
from storage.delivery.models import RunStatus


class Claimable(Protocol):
    id: int | None
    claimed_by: str
    attempts: int


Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class Lease:
    """A worker's hold on a row: valid while the row still shows this claimer and count."""

    id: int
    claimed_by: str
    attempts: int


def lease_of(row: Claimable) -> Lease:
    assert row.id is not None
    return Lease(row.id, row.claimed_by, row.attempts)


def change_if_held(engine: Engine, model: type[SQLModel], lease: Lease, **values: Any) -> bool:
    """Update the row if the lease still holds; False when it was taken over."""
    table = table_of(model)
    with transaction(engine) as session:
        result = session.execute(update(table).where(*held(table, lease)).values(**values))
        return getattr(result, "rowcount", 0) == 1


def held(table: Any, lease: Lease) -> tuple[Any, ...]:
    """The conditions under which `lease` still holds on its row of `table`."""
    return (
        table.c.id == lease.id,
        table.c.claimed_by == lease.claimed_by,
        table.c.attempts == lease.attempts,
    )


def take_over(engine: Engine, row: Row, claimer: str, now: datetime) -> Row | None:
    """Claim `row` as it was seen (its attempts and status unchanged since); None when
    someone else took it first. A retry taken is no longer due; the other columns (a digest
    run's posting_at, which tells whoever takes over to look for a post first) stay."""
    model = type(row)
    table = table_of(model)
    seen: Any = row
    with transaction(engine) as session:
        result = session.execute(
            update(table)
            .where(
                table.c.id == seen.id,
                table.c.attempts == seen.attempts,
                table.c.status == seen.status,
            )
            .values(
                claimed_by=claimer,
                claimed_at=now,
                attempts=seen.attempts + 1,
                status=RunStatus.CLAIMED,
                next_attempt_at=None,
            )
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        return session.get(model, seen.id, populate_existing=True)
