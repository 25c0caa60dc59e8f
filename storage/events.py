"""Slack events handled once, and handled: Slack redelivers an event it thinks was missed.

An event is claimed when it arrives and marked finished when its work is done. A redelivery
of a finished event is skipped, and so is one of an event still being worked on; but a claim
whose worker is gone (its process ended, on this host) or whose lease has run out (a worker
elsewhere that went quiet) is taken over, so an event cut off mid-work is done after all.
A worker keeps its lease while it works (`kept`), so work longer than a lease (a big import)
is not taken over from a worker that is still at it.

Slack delivers an event again only when the app did not acknowledge it, and a slash command
never; the app acknowledges first and works after. So a claim keeps its request until the work
is done, and work cut off (its worker gone, or its lease run out) is handed to a worker that
does it again (`take_cut_off`), as its next try: a request whose work was started the last
try allowed and cut off again is dropped instead (one that kills its worker every time would
otherwise be resumed, and kill it, at every start).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, event, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from storage.columns import utc_now
from storage.db import transaction
from storage.errors import N_, UserError
from storage.models import PROCESSED_SLACK_EVENT_TABLE, ProcessedSlackEvent, SideEffect

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
CLAIM_ATTEMPTS = 3
MAX_TRIES = 3  # starts of a request's work before it is dropped (SHOPBOT_RESUME_TRIES)
_STARTED = secrets.token_hex(4)  # tells this process from an earlier one with the same pid


@dataclass(frozen=True)
class EventClaim:
    """A worker's hold on an event while its work runs: its `tries`-th. The same worker can
    hold a later try of the same event (this process's resume taking over its own lapsed
    lease), so a try is told from another by `tries`, not by the worker alone."""

    team_id: str
    event_id: str
    worker: str
    tries: int = 1


def this_worker() -> str:
    """This process, as a claim names it: host, process id, and a mark of this start."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{_STARTED}"


def worker_gone(worker: str) -> bool:
    """Whether the process that holds a claim has certainly ended: it ran on this host and no
    process has its id any more, or this process has its id now. A worker on another host
    cannot be asked; its claim is taken over when its lease runs out."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid, started = parts[0], int(parts[1]), parts[2]
    if host != socket.gethostname()[:100]:
        return False
    if pid == os.getpid():
        return started != _STARTED
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists, under another user
    return False


def claim_event(
    engine: Engine,
    team_id: str,
    event_id: str,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    request: dict[str, Any] | None = None,
) -> EventClaim | None:
    """Claim the event for `worker` (this process by default); None when it is finished, or
    is being worked on within its lease by a worker that is still there: a redelivery to
    skip. `request` (JSON-able) is kept until the work is finished, to resume it."""
    worker, now = worker or this_worker(), now or utc_now()
    claim = EventClaim(team_id, event_id, worker)
    kept_request = None if request is None else json.dumps(request)
    for _ in range(CLAIM_ATTEMPTS):
        try:
            with transaction(engine) as session:
                session.add(
                    ProcessedSlackEvent(
                        team_id=team_id,
                        event_id=event_id,
                        worker=worker,
                        claimed_at=now,
                        request=kept_request,
                    )
                )
            return claim
        except IntegrityError:
            pass
        with engine.connect() as connection:
            held = connection.execute(
                select(
                    PROCESSED_SLACK_EVENT_TABLE.c.worker,
                    PROCESSED_SLACK_EVENT_TABLE.c.claimed_at,
                    PROCESSED_SLACK_EVENT_TABLE.c.finished_at,
                    PROCESSED_SLACK_EVENT_TABLE.c.tries,
                ).where(
                    PROCESSED_SLACK_EVENT_TABLE.c.team_id == team_id,
                    PROCESSED_SLACK_EVENT_TABLE.c.event_id == event_id,
                )
            ).first()
        if held is None:
            continue  # given up in the meantime: claim it afresh
        if held.finished_at is not None:
            return None
        if held.claimed_at > now - lease and not worker_gone(held.worker):
            return None
        # Take it over, unless another redelivery just did: only one update finds it as read.
        with transaction(engine) as session:
            taken = session.execute(
                update(PROCESSED_SLACK_EVENT_TABLE)
                .where(
                    PROCESSED_SLACK_EVENT_TABLE.c.team_id == team_id,
                    PROCESSED_SLACK_EVENT_TABLE.c.event_id == event_id,
                    PROCESSED_SLACK_EVENT_TABLE.c.worker == held.worker,
                    PROCESSED_SLACK_EVENT_TABLE.c.claimed_at == held.claimed_at,
                    PROCESSED_SLACK_EVENT_TABLE.c.finished_at.is_(None),
                )
                .values(worker=worker, claimed_at=now, request=kept_request, tries=held.tries + 1)
            )
        taken_over = EventClaim(team_id, event_id, worker, held.tries + 1)
        return taken_over if getattr(taken, "rowcount", 0) == 1 else None
    return None


@dataclass(frozen=True)
class CutOff:
    """Work whose worker stopped before it was done, with the request to do it again.

    `claim`: the work is handed over, claimed for the caller (its `tries`-th start), to do
    it under that claim. None: it was started `tries` times, the last try allowed, and is
    dropped (finished without being done), for the caller to tell the person."""

    team_id: str
    event_id: str
    request: dict[str, Any]
    tries: int
    claim: EventClaim | None


def take_cut_off(
    engine: Engine,
    team_id: str,
    *,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    worker: str | None = None,
    max_tries: int = MAX_TRIES,
) -> list[CutOff]:
    """The workspace's work cut off (unfinished, its worker gone or its lease run out): each
    claimed for `worker` (this process by default) as its next try, or, once it was started
    `max_tries` times, dropped. Each is handed to one caller only, however many replicas ask
    at once."""
    now, worker = now or utc_now(), worker or this_worker()
    with engine.connect() as connection:
        unfinished = connection.execute(
            select(
                PROCESSED_SLACK_EVENT_TABLE.c.team_id,
                PROCESSED_SLACK_EVENT_TABLE.c.event_id,
                PROCESSED_SLACK_EVENT_TABLE.c.worker,
                PROCESSED_SLACK_EVENT_TABLE.c.claimed_at,
                PROCESSED_SLACK_EVENT_TABLE.c.request,
                PROCESSED_SLACK_EVENT_TABLE.c.tries,
            ).where(
                PROCESSED_SLACK_EVENT_TABLE.c.team_id == team_id,
                PROCESSED_SLACK_EVENT_TABLE.c.finished_at.is_(None),
                PROCESSED_SLACK_EVENT_TABLE.c.request.is_not(None),
            )
        ).all()
    handed: list[CutOff] = []
    for row in unfinished:
        if row.claimed_at > now - lease and not worker_gone(row.worker):
            continue  # still at work
        dropped = row.tries >= max_tries
        change = (
            {"finished_at": now, "request": None}
            if dropped
            else {"worker": worker, "claimed_at": now, "tries": row.tries + 1}
        )
        with transaction(engine) as session:
            taken = session.execute(
                update(PROCESSED_SLACK_EVENT_TABLE)
                .where(
                    PROCESSED_SLACK_EVENT_TABLE.c.team_id == row.team_id,
                    PROCESSED_SLACK_EVENT_TABLE.c.event_id == row.event_id,
                    PROCESSED_SLACK_EVENT_TABLE.c.worker == row.worker,
                    PROCESSED_SLACK_EVENT_TABLE.c.claimed_at == row.claimed_at,
                    PROCESSED_SLACK_EVENT_TABLE.c.finished_at.is_(None),
                )
                .values(**change)
            )
        if getattr(taken, "rowcount", 0) == 1:
            tries = row.tries if dropped else row.tries + 1
            claim = None if dropped else EventClaim(row.team_id, row.event_id, worker, tries)
            request = json.loads(row.request)
            handed.append(CutOff(row.team_id, row.event_id, request, tries, claim))
    return handed


def _held(claim: EventClaim, *, unfinished: bool = True) -> Any:
    """The condition that the event is held by this very try (and still unfinished)."""
    this_try = and_(
        PROCESSED_SLACK_EVENT_TABLE.c.team_id == claim.team_id,
        PROCESSED_SLACK_EVENT_TABLE.c.event_id == claim.event_id,
        PROCESSED_SLACK_EVENT_TABLE.c.worker == claim.worker,
        PROCESSED_SLACK_EVENT_TABLE.c.tries == claim.tries,
    )
    return (
        and_(this_try, PROCESSED_SLACK_EVENT_TABLE.c.finished_at.is_(None))
        if unfinished
        else this_try
    )


def renew_event(engine: Engine, claim: EventClaim, now: datetime | None = None) -> bool:
    """Start the claim's lease again; False when the claim is no longer this try's."""
    with transaction(engine) as session:
        renewed = session.execute(
            update(PROCESSED_SLACK_EVENT_TABLE)
            .where(_held(claim))
            .values(claimed_at=now or utc_now())
        )
    return getattr(renewed, "rowcount", 0) == 1


@contextmanager
def kept(engine: Engine, claim: EventClaim | None, every: timedelta = LEASE / 3) -> Iterator[None]:
    """While the block runs, renew the claim's lease `every` so often (in a thread); with no
    claim, just run the block."""
    if claim is None:
        yield
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(every.total_seconds()):
            try:
                if not renew_event(engine, claim):
                    return
            except Exception:  # retried at the next beat
                log.warning("could not renew the lease of %s", claim.event_id, exc_info=True)

    beat = threading.Thread(target=renew, name=f"lease {claim.event_id}", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()


def finish_event(engine: Engine, claim: EventClaim, now: datetime | None = None) -> None:
    """The event's work is done: a redelivery is skipped from now on. A try taken over by
    another since leaves the claim to that one."""
    with transaction(engine) as session:
        session.execute(
            update(PROCESSED_SLACK_EVENT_TABLE)
            .where(_held(claim))
            .values(finished_at=now or utc_now(), request=None)
        )


class ClaimLost(UserError):
    """The request's claim went to another try (its lease ran out) while this one worked."""

    def __init__(self) -> None:
        super().__init__(N_("This request was taken over by another try, which answers it."))


_FINISHING = threading.local()  # the claim this thread's writes finish (finished_with_work)
_WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def finished_with_work(engine: Engine, claim: EventClaim) -> Iterator[None]:
    """In the block, every statement of this thread that writes to `engine` finishes the
    claim in its own transaction: the work and the mark that it is done commit together (or
    roll back together), so a stop after the commit leaves nothing to do again, and one
    before it leaves the claim to be resumed. A write after another try took the claim over
    raises ClaimLost (and its transaction rolls back)."""
    if not event.contains(engine, "before_cursor_execute", _finish_with_write):
        event.listen(engine, "before_cursor_execute", _finish_with_write)
    _FINISHING.claim = claim
    try:
        yield
    finally:
        _FINISHING.claim = None


def _finish_with_write(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    claim = getattr(_FINISHING, "claim", None)
    if claim is None or statement.lstrip()[:6].upper() not in _WRITES:
        return
    _FINISHING.claim = None  # its own update below is not finished again
    try:
        # Not "unfinished": the try's own earlier write finished it, and its next one goes on.
        # No later try can have it: a try is taken over only unfinished, with `tries` raised.
        finished = connection.execute(
            update(PROCESSED_SLACK_EVENT_TABLE)
            .where(_held(claim, unfinished=False))
            .values(finished_at=utc_now(), request=None)
        )
    finally:
        _FINISHING.claim = claim
    if getattr(finished, "rowcount", 0) != 1:
        raise ClaimLost


def give_up_event(engine: Engine, claim: EventClaim) -> None:
    """The event's work stopped before it was done: a redelivery does it (unless another
    worker has taken the event over since)."""
    with transaction(engine) as session:
        session.execute(delete(PROCESSED_SLACK_EVENT_TABLE).where(_held(claim)))


def prune_processed_events(engine: Engine, team_id: str, before: datetime) -> int:
    """Delete the records of the workspace's events received before `before`, and the side
    effects their requests made (storage.effects); how many events."""
    with transaction(engine) as session:
        statement = delete(ProcessedSlackEvent).where(
            ProcessedSlackEvent.team_id == team_id,  # type: ignore[arg-type]
            ProcessedSlackEvent.received_at < before,  # type: ignore[arg-type]
        )
        result = session.execute(statement)
        session.execute(
            delete(SideEffect).where(
                SideEffect.team_id == team_id,  # type: ignore[arg-type]
                SideEffect.started_at < before,  # type: ignore[arg-type]
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
