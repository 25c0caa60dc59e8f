"""The digest runner: APScheduler calls `tick()` every minute; the database decides what runs.

One tick:
1. claims the due slot of every live subscription by inserting its (subscription, period) run
   (`storage.digests.claim_run`); a replica that loses the insert simply moves on;
2. takes over runs whose runner vanished (claimed or posting for longer than the lease) and
   retries that are due, each with a compare-and-set on the run's lease;
3. renders each distinct digest once (the spec is the cache key), then posts it to each
   channel: `posting` is recorded before the visible Slack call, `posted` with what Slack
   returned after it.

A run found in `posting` (its runner died mid-call, or a transient failure left it unsure)
is never posted blindly: the channel is first searched for the run's marker.

What "exactly once" rests on: only the holder of a run's current lease moves it to `posting`
and calls Slack, and it renews the lease before every call, so it stops (LostClaim) as soon as
another runner has taken the run over. A takeover needs ten minutes without a renewal, far
longer than one call may take (the client times out after thirty seconds) or one wait lasts
(a Retry-After over two minutes is left for a later tick), so a runner that is merely slow has
finished its call before anyone takes the run; and whoever takes it over looks for the post
before posting.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.digest.content import Digest, DigestSpec, Section, compose_digest
from bot.digest.replies import creator_advice
from bot.digest.schedule import Schedule, ScheduleError, due_slot, last_full_week
from bot.digest.sections import SECTIONS
from bot.digest.slack import (
    DigestSlack,
    LostClaim,
    Posted,
    Rejected,
    SlackRefused,
    Transient,
)
from bot.kpi.periods import Period
from bot.services import Services
from bot.settings import Settings
from storage import digests as store
from storage.digests import NewRun
from storage.leases import Lease, lease_of, take_over
from storage.models import DigestRun, DigestSubscription, RunStatus, SubscriptionStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerPolicy:
    grace: timedelta = timedelta(hours=48)
    lease: timedelta = timedelta(minutes=10)
    retry_later: timedelta = timedelta(minutes=5)  # doubled per failed attempt
    max_attempts: int = 6


@dataclass
class TickReport:
    """What one tick did, for logs, tests and the benchmark."""

    claimed: int = 0
    taken_over: int = 0
    renders: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1

    def describe(self) -> str:
        done = ", ".join(f"{n} {status}" for status, n in sorted(self.outcomes.items()))
        return f"{self.claimed} claimed, {self.taken_over} taken over, {self.renders} rendered" + (
            f": {done}" if done else ""
        )


def runner_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def run_marker(run: DigestRun) -> str:
    """The run's mark in Slack (file names, message metadata): unique per run, stable."""
    period = run.period.replace(" ", "-").replace(":", "")
    return f"shopbot-digest-{run.subscription_id}-{period}"


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def spec_for(settings: Settings, subscription: DigestSubscription, week_start: date) -> DigestSpec:
    """The content a subscription gets for the week starting `week_start`."""
    return DigestSpec(
        team_id=subscription.team_id,
        week=Period(week_start, week_start + timedelta(days=6), "last week"),
        category=subscription.category,
        timezone=subscription.timezone,
        sections=tuple(subscription.sections),
        currency=settings.currency,
        locale=settings.locale,
        program=settings.adoption_program,
        gap_thresholds=settings.seller_gaps,
    )


class DigestRunner:
    """Claims, renders and posts digests; one per process (or thread, in tests)."""

    def __init__(
        self,
        services: Services,
        slack: DigestSlack,
        *,
        policy: RunnerPolicy | None = None,
        name: str | None = None,
        sections: Sequence[Section] = SECTIONS,
    ) -> None:
        self.services = services
        self.slack = slack
        self.policy = policy or RunnerPolicy(
            grace=timedelta(hours=services.settings.digest_grace_hours)
        )
        self.name = name or runner_name()
        self.sections = tuple(sections)

    @property
    def engine(self) -> Engine:
        return self.services.engine

    def now(self) -> datetime:
        return self.services.clock()

    # ---- the tick ------------------------------------------------------------------------

    def tick(self) -> TickReport:
        report = TickReport()
        now = self.now()
        runs = list(self._claim_due(now, report))
        runs += self._take_over(now, report)
        self._process(runs, report)
        if report.claimed or report.taken_over:
            log.info("digest tick: %s", report.describe())
        return report

    def _claim_due(self, now: datetime, report: TickReport) -> Iterable[DigestRun]:
        for subscription in store.live_subscriptions(self.engine, self.services.workspace()):
            try:
                schedule = Schedule.of(
                    subscription.weekdays, subscription.post_time, subscription.timezone
                )
            except ScheduleError as error:  # edited by hand in the database: skip, say so
                log.error("digest subscription %s is unusable: %s", subscription.id, error)
                continue
            slot = due_slot(schedule, now, subscription.active_since, self.policy.grace)
            if slot is None:
                continue
            assert subscription.id is not None
            new = NewRun(
                team_id=subscription.team_id,
                subscription_id=subscription.id,
                period=slot.key,
                slot_at=slot.at,
                week_start=last_full_week(slot.day).start,
            )
            run = store.claim_run(self.engine, new, self.name, now)
            if run is not None:
                report.claimed += 1
                yield run

    def _take_over(self, now: datetime, report: TickReport) -> list[DigestRun]:
        taken = []
        team_id = self.services.workspace()
        for stale in store.recoverable_runs(self.engine, team_id, now, self.policy.lease):
            run = take_over(self.engine, stale, self.name, now)
            if run is None:
                continue  # another runner was quicker
            if stale.status != RunStatus.RETRYING:
                log.warning(
                    "digest run %s was %s by %s since %s: taking it over",
                    run.id,
                    stale.status,
                    stale.claimed_by,
                    stale.claimed_at,
                )
            report.taken_over += 1
            taken.append(run)
        return taken

    # ---- sending now (commands) ------------------------------------------------------------

    def send_now(
        self, subscriptions: Sequence[DigestSubscription], user_id: str | None
    ) -> list[tuple[DigestSubscription, DigestRun | None]]:
        """Post to each subscription now, outside its schedule (`/digest send`, the command
        line). Runs are keyed by the minute, so a repeated request in the same minute posts
        once. Returns each subscription with its finished run (None: already sent)."""
        now = self.now()
        claimed: list[tuple[DigestSubscription, DigestRun | None]] = []
        for subscription in subscriptions:
            assert subscription.id is not None
            local = now.astimezone(ZoneInfo(subscription.timezone))
            new = NewRun(
                team_id=subscription.team_id,
                subscription_id=subscription.id,
                period=f"send {local:%Y-%m-%dT%H:%M}",
                slot_at=now,
                week_start=last_full_week(local.date()).start,
                requested_by=user_id,
            )
            claimed.append((subscription, store.claim_run(self.engine, new, self.name, now)))
        self._process([run for _, run in claimed if run is not None], TickReport())
        return [
            (subscription, self._reload(run) if run is not None else None)
            for subscription, run in claimed
        ]

    def _reload(self, run: DigestRun) -> DigestRun:
        assert run.id is not None
        found = store.run_by_id(self.engine, run.id)
        assert found is not None, "runs are never deleted while their subscription exists"
        return found

    # ---- rendering and posting -------------------------------------------------------------

    def render(self, spec: DigestSpec) -> Digest:
        return compose_digest(self.engine, spec, self.sections)

    def _process(self, runs: Sequence[DigestRun], report: TickReport) -> None:
        rendered: dict[DigestSpec, Digest] = {}  # one render per content, for this tick
        for run in runs:
            subscription = store.subscription_by_id(self.engine, run.subscription_id)
            lease = lease_of(run)
            if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
                store.mark_failed(self.engine, lease, "unsubscribed before it was posted")
                report.count(RunStatus.FAILED)
                continue
            week_start = (
                run.week_start
                or last_full_week(
                    local_day(run.slot_at or run.claimed_at, subscription.timezone)
                ).start
            )
            spec = spec_for(self.services.settings, subscription, week_start)
            try:
                if spec not in rendered:
                    rendered[spec] = self.render(spec)
                    report.renders += 1
                status = self._post(run, lease, subscription, rendered[spec])
            except Exception as error:
                # Ours (a bug, the database away): logged; the tick goes on; retried later.
                log.exception("digest run %s failed", run.id)
                status = self._retry_later(run, lease, Transient(f"internal error: {error!r}"))
            report.count(status)

    def _post(
        self, run: DigestRun, lease: Lease, subscription: DigestSubscription, digest: Digest
    ) -> str:
        marker, channel = run_marker(run), subscription.channel_id
        try:
            if run.posting_at is not None:  # an earlier attempt may have posted
                found = self._look_for(run, lease, channel, marker)
                if isinstance(found, Posted):
                    return self._posted(lease, subscription, found)
                if found is not None:
                    return found
            posting_at = self.now()
            if not store.mark_posting(self.engine, lease, posting_at):
                return "lost"  # taken over meanwhile: the new holder carries on
            posted = self.slack.deliver(
                channel,
                digest,
                marker,
                posting_at,
                still_ours=lambda: store.renew(self.engine, lease, self.now()),
            )
        except LostClaim:
            log.warning("digest run %s was taken over while posting", run.id)
            return "lost"
        except SlackRefused as refusal:
            return self._refused(lease, subscription, refusal)
        except Rejected as rejection:
            log.error("digest run %s: Slack rejected the post: %s", run.id, rejection.reason)
            store.mark_failed(self.engine, lease, f"Slack rejected the post: {rejection.reason}")
            return RunStatus.FAILED
        except Transient as failure:
            return self._retry_later(run, lease, failure)
        return self._posted(lease, subscription, posted)

    def _look_for(
        self, run: DigestRun, lease: Lease, channel: str, marker: str
    ) -> Posted | str | None:
        """The earlier attempt's post if it exists; a status when the run must stop here."""
        assert run.posting_at is not None
        try:
            return self.slack.find_posted(channel, marker, run.posting_at)
        except Rejected as rejection:  # say, no history scope: posting blind could repeat it
            reason = f"could not check the channel for an earlier post ({rejection.reason})"
            log.error("digest run %s: %s; not posting again", run.id, reason)
            store.mark_failed(self.engine, lease, reason)
            return RunStatus.FAILED

    def _posted(self, lease: Lease, subscription: DigestSubscription, posted: Posted) -> str:
        store.mark_posted(
            self.engine,
            lease,
            self.now(),
            message_ts=posted.message_ts,
            file_ids=posted.file_ids,
        )
        if subscription.status == SubscriptionStatus.FAILING:
            assert subscription.id is not None
            store.mark_healthy(self.engine, subscription.id)
        return RunStatus.POSTED

    def _refused(
        self, lease: Lease, subscription: DigestSubscription, refusal: SlackRefused
    ) -> str:
        assert subscription.id is not None
        store.mark_failed(self.engine, lease, refusal.code)
        if store.mark_failing(self.engine, subscription.id, refusal.code):
            advice = creator_advice(refusal.code, subscription)
            try:
                self.slack.tell(subscription.created_by, advice)
            except (Transient, SlackRefused, Rejected) as failure:
                # With a revoked token the DM fails too: the log is what is left.
                log.error(
                    "could not tell %s that the digest in %s fails (%s): %s",
                    subscription.created_by,
                    subscription.channel_id,
                    refusal.code,
                    failure.reason,
                )
        log.warning("digest for %s refused by Slack: %s", subscription.channel_id, refusal.code)
        return RunStatus.FAILED

    def _retry_later(self, run: DigestRun, lease: Lease, failure: Transient) -> str:
        now = self.now()
        delay = self.policy.retry_later * 2 ** (run.attempts - 1)
        when = now + delay
        too_late = run.slot_at is not None and when > run.slot_at + self.policy.grace
        if run.attempts >= self.policy.max_attempts or too_late:
            reason = f"gave up after {run.attempts} attempts: {failure.reason}"
            store.mark_failed(self.engine, lease, reason)
            log.error("digest run %s: %s", run.id, reason)
            return RunStatus.FAILED
        store.mark_retrying(self.engine, lease, when, failure.reason)
        log.warning("digest run %s: %s; retrying at %s", run.id, failure.reason, when)
        return RunStatus.RETRYING


def preview_digest(
    services: Services, subscription: DigestSubscription, week_start: date | None = None
) -> Digest:
    """The digest the subscription would get if it were posted now (or for another week)."""
    if week_start is None:
        week_start = last_full_week(local_day(services.clock(), subscription.timezone)).start
    spec = spec_for(services.settings, subscription, week_start)
    return compose_digest(services.engine, spec, SECTIONS)


def default_subscription(services: Services, team_id: str, channel_id: str) -> DigestSubscription:
    """What a channel without a subscription would get by default (for previews)."""
    return DigestSubscription(
        team_id=team_id,
        channel_id=channel_id,
        timezone=services.settings.timezone,
        created_by="",
    )
