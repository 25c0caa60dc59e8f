"""One delivery life cycle for every scheduled post: the weekly digest, alerts, the monthly
review report, follow-up reminders. A kind of post says what makes one post (its table and key)
and how to send it (an `Outbound`); the `Deliverer` does the rest, the same for all of them:

1. claim: insert the post's row under its unique key (storage.delivery.posts.claim), so of several
   replicas, or a restart and an earlier tick, exactly one worker has it;
2. post: `posting` is recorded before the visible Slack call, and the lease is renewed before
   every call; 429s are waited out (Retry-After) and 5xx, timeouts and dropped connections
   retried after looking in the channel (conversations.history) for the post's marker;
   `posted` is recorded with what Slack returned;
3. retry: a failure that may pass leaves the post `retrying` with a doubling delay, until the
   policy's last attempt or its deadline; a refusal a person must fix (`not_in_channel`…) fails
   it and says so;
4. take over: a post claimed or posting for longer than the lease (its worker died or hung) is
   taken by one compare-and-set that ends the old worker's lease; if it was `posting`, the
   channel is searched for its marker first, so a post cut off after Slack made it is recorded,
   not repeated;
5. history: every attempt's end is a line in the run history (`shopbot deliveries`).

What "exactly once" rests on: only the holder of the post's current lease moves it to
`posting` and calls Slack, and it renews the lease before every call, so it stops (LostClaim)
as soon as another worker took the post over. A takeover needs the whole lease (ten minutes)
without a renewal, far longer than one call may take (the client gives up after thirty seconds)
or one wait lasts (a Retry-After over two minutes is left for a later check); and whoever takes
it over looks for the post before posting.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.shared.delivery.slack import (
    DeliverySlack,
    LostClaim,
    Posted,
    RateLimited,
    Rejected,
    SlackRefused,
    Transient,
)
from storage.delivery import posts as store
from storage.delivery.models import RunStatus
from storage.delivery.posts import Lease, lease_of

log = logging.getLogger(__name__)
LOST = "lost"  # taken over meanwhile: the new holder carries on
Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class DeliveryPolicy:
    lease: timedelta = timedelta(minutes=10)
    retry_later: timedelta = timedelta(minutes=5)  # doubled per failed attempt
    max_attempts: int = 6
    deadline: timedelta | None = None  # no retry later than this after the post was due


@dataclass(frozen=True)
class Outbound:
    """One post's Slack side, as its kind makes it.

    `send` makes the post with plain Slack calls (the Deliverer retries and looks); the post
    carries `marker` (`bot.shared.delivery.slack.marked`, or file names) so `find_posted` finds it
    in `channel`. `refused` is told when a person must act (the code); `posted` returns what else
    to record with the post."""

    channel: str
    marker: str
    send: Callable[[], Posted]
    due_at: datetime | None = None
    refused: Callable[[str], None] | None = None
    posted: Callable[[Posted], dict[str, Any]] | None = None


def worker_name() -> str:
    """This process's name in claims and the run history: host, pid, and a random tail."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Deliverer(Generic[Row]):
    """Claims, posts, retries and takes over the posts of one kind (one table)."""

    def __init__(
        self,
        engine: Engine,
        model: type[Row],
        slack: DeliverySlack,
        worker: str,
        clock: Callable[[], datetime],
        policy: DeliveryPolicy | None = None,
    ) -> None:
        self.engine, self.model, self.slack = engine, model, slack
        self.worker, self.clock = worker, clock
        self.policy = policy or DeliveryPolicy()
        self.what = store.kind_of(model)

    def claim(self, key: tuple[str, ...], values: dict[str, Any]) -> Row | None:
        """The post claimed by this worker; None when it exists already (anyone's)."""
        return store.claim(self.engine, self.model, key, values, self.worker, self.clock())

    def take_over(self, team_id: str) -> list[Row]:
        """The workspace's posts whose worker vanished, and retries that are due, now ours."""
        now, taken = self.clock(), []
        for stale in store.recoverable(self.engine, self.model, team_id, now, self.policy.lease):
            row: Any = store.take_over_post(self.engine, stale, self.worker, now)
            if row is None:
                continue  # another worker was quicker
            seen: Any = stale
            if seen.status != RunStatus.RETRYING:
                log.warning(
                    "%s %s was %s by %s since %s: taking it over",
                    self.what,
                    row.id,
                    seen.status,
                    seen.claimed_by,
                    seen.claimed_at,
                )
            taken.append(row)
        return taken

    # ---- one attempt ---------------------------------------------------------------------

    def deliver(self, row: Row, outbound: Outbound) -> str:
        """One attempt at the post this worker holds; the status it ends in (or LOST)."""
        lease, post = _lease(row), outbound
        try:
            posted = self._look(row, lease, post)
            if isinstance(posted, str):
                return posted
            if posted is None:
                posting_at = self.clock()
                if not store.mark_posting(self.engine, self.model, lease, posting_at):
                    return LOST
                posted = self.slack.deliver(
                    post.channel,
                    post.marker,
                    posting_at,
                    post.send,
                    still_ours=lambda: store.renew(self.engine, self.model, lease, self.clock()),
                )
        except LostClaim:
            log.warning("%s %s was taken over while posting", self.what, lease.id)
            return LOST
        except SlackRefused as refusal:
            self.fail(lease, refusal.code)
            if post.refused is not None:
                post.refused(refusal.code)
            return RunStatus.FAILED
        except Rejected as rejection:
            self.fail(lease, f"Slack rejected the post: {rejection.reason}")
            return RunStatus.FAILED
        except Transient as failure:
            return self.retry_later(row, failure, post.due_at)
        except Exception as error:  # ours (a bug, the database away): logged, retried later
            log.exception("%s %s failed", self.what, lease.id)
            return self.retry_later(row, Transient(f"internal error: {error!r}"), post.due_at)
        extra = post.posted(posted) if post.posted is not None else {}
        store.mark_posted(self.engine, self.model, lease, self.clock(), posted.message_ts, **extra)
        return RunStatus.POSTED

    def _look(self, row: Row, lease: Lease, post: Outbound) -> Posted | str | None:
        """An earlier attempt's post, if it may exist and does; a status when the post must
        stop here (the channel could not be searched: posting blind could repeat it)."""
        posting_at: datetime | None = getattr(row, "posting_at", None)
        if posting_at is None:
            return None
        try:
            return self.slack.find_posted(post.channel, post.marker, posting_at)
        except Rejected as rejection:  # say, no history scope
            reason = f"could not check the channel for an earlier post ({rejection.reason})"
            log.error("%s %s: %s; not posting again", self.what, lease.id, reason)
            self.fail(lease, reason)
            return RunStatus.FAILED

    def fail(self, lease: Lease, error: str) -> None:
        store.mark_failed(self.engine, self.model, lease, error, self.clock())

    def drop(self, row: Row, reason: str) -> None:
        """Give up a post this worker holds, without an attempt (it is no longer wanted)."""
        self.fail(_lease(row), reason)

    def retry_later(self, row: Row, failure: Transient, due_at: datetime | None = None) -> str:
        """Leave the post for a later check, or fail it after the last attempt or its
        deadline."""
        now, lease = self.clock(), _lease(row)
        attempts: int = getattr(row, "attempts", 1)
        when = now + self.policy.retry_later * 2 ** (attempts - 1)
        if isinstance(failure, RateLimited):  # no sooner than Slack asked
            when = max(when, now + timedelta(seconds=failure.retry_after))
        deadline = self.policy.deadline
        too_late = due_at is not None and deadline is not None and when > due_at + deadline
        if attempts >= self.policy.max_attempts or too_late:
            reason = f"gave up after {attempts} attempts: {failure.reason}"
            self.fail(lease, reason)
            log.error("%s %s: %s", self.what, lease.id, reason)
            return RunStatus.FAILED
        store.mark_retrying(self.engine, self.model, lease, when, failure.reason, now)
        log.warning("%s %s: %s; retrying at %s", self.what, lease.id, failure.reason, when)
        return RunStatus.RETRYING


def _lease(row: SQLModel) -> Lease:
    """The lease a worker holds on a post's row (every delivery table has its columns)."""
    held: Any = row
    return lease_of(held)
