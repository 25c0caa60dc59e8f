"""The digest runner: APScheduler calls `tick()` every minute; the database decides what runs.

One tick:
1. claims the due slot of every live subscription by inserting its (subscription, period) run;
   a replica that loses the insert simply moves on;
2. takes over runs whose runner vanished (claimed or posting for longer than the lease) and
   retries that are due;
3. renders each distinct digest once (the spec is the cache key), then posts it to each
   channel.

Claims, posts, retries and takeovers follow the one delivery life cycle of every scheduled post
(bot.shared.delivery), which says what "exactly once" rests on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.digest.content import Digest, compose_digest
from bot.digest.post import post_digest
from bot.digest.replies import creator_advice
from bot.sellers.thresholds import GapThresholds
from bot.services import Services
from bot.settings import setting, whole
from bot.shared.delivery import Deliverer, DeliveryPolicy, Outbound, worker_name
from bot.shared.delivery.slack import DeliverySlack, Posted, Rejected, SlackRefused, Transient
from bot.shared.digest_section import DigestSpec
from bot.shared.language import Deferred, _, speaking
from bot.shared.periods import Period
from bot.shared.schedule import Schedule, ScheduleError, due_slot, last_full_week
from bot.shared.speakers import channel_speech, person_speech
from storage.delivery import digests as store
from storage.delivery import subscriptions
from storage.delivery.digests import NewRun
from storage.delivery.models import (
    DigestRun,
    RunStatus,
    Subscription,
    SubscriptionKind,
    SubscriptionStatus,
)

log = logging.getLogger(__name__)
WEEKLY = SubscriptionKind.WEEKLY_DIGEST


@dataclass(frozen=True)
class DigestSettings:
    """How late a digest may still be posted (`settings.section(DigestSettings)`)."""

    digest_grace_hours: int = setting(
        "SHOPBOT_DIGEST_GRACE_HOURS",
        "48",
        whole(0, 168),
        invalid="expected hours from 0 to 168 (a week)",
        describe=(
            "How late a scheduled digest may still be posted when shopbot was down at its time "
            "(hours,\n0-168). A slot missed by more is skipped; the next one brings the newer week."
        ),
        heading="Digests",
    )


@dataclass(frozen=True)
class RunnerPolicy:
    grace: timedelta = timedelta(hours=48)
    lease: timedelta = timedelta(minutes=10)
    retry_later: timedelta = timedelta(minutes=5)  # doubled per failed attempt
    max_attempts: int = 6

    def delivery(self) -> DeliveryPolicy:
        return DeliveryPolicy(self.lease, self.retry_later, self.max_attempts, self.grace)


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


def run_marker(run: DigestRun) -> str:
    """The run's mark in Slack (file names, message metadata): unique per run, stable."""
    period = run.period.replace(" ", "-").replace(":", "")
    return f"shopbot-digest-{run.subscription_id}-{period}"


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def spec_for(services: Services, subscription: Subscription, week_start: date) -> DigestSpec:
    """The content a subscription gets for the week starting `week_start`, in its channel's
    language (bot.shared.speakers)."""
    settings = services.settings
    spoken = channel_speech(services, subscription.team_id, subscription.channel_id)
    with speaking(spoken):
        week = Period(week_start, week_start + timedelta(days=6), _("last week"))
    return DigestSpec(
        team_id=subscription.team_id,
        week=week,
        category=subscription.category,
        timezone=subscription.timezone,
        sections=tuple(subscription.sections),
        currency=settings.currency,
        locale=spoken.locale,
        language=spoken.language,
        program=settings.adoption_program,
        section_settings=(settings.section(GapThresholds),),
    )


class DigestRunner:
    """Claims, renders and posts digests; one per process (or thread, in tests)."""

    def __init__(
        self,
        services: Services,
        slack: DeliverySlack,
        *,
        policy: RunnerPolicy | None = None,
        name: str | None = None,
    ) -> None:
        self.services = services
        self.slack = slack
        self.policy = policy or RunnerPolicy(
            grace=timedelta(hours=services.settings.section(DigestSettings).digest_grace_hours)
        )
        self.name = name or worker_name()
        self.sections = services.features.digest_sections
        self.delivery = Deliverer(
            services.engine, DigestRun, slack, self.name, services.clock, self.policy.delivery()
        )

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
        for subscription in subscriptions.live(self.engine, self.services.workspace(), WEEKLY):
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
            run = self._claim(new)
            if run is not None:
                report.claimed += 1
                yield run

    def _claim(self, new: NewRun) -> DigestRun | None:
        return self.delivery.claim(("subscription_id", "period"), store.run_values(new))

    def _take_over(self, now: datetime, report: TickReport) -> list[DigestRun]:
        taken = self.delivery.take_over(self.services.workspace())
        report.taken_over += len(taken)
        return taken

    # ---- sending now (commands) ------------------------------------------------------------

    def send_now(
        self, subscriptions: Sequence[Subscription], user_id: str | None
    ) -> list[tuple[Subscription, DigestRun | None]]:
        """Post to each subscription now, outside its schedule (`/digest send`, the command
        line). Runs are keyed by the minute, so a repeated request in the same minute posts
        once. Returns each subscription with its finished run (None: already sent)."""
        now = self.now()
        claimed: list[tuple[Subscription, DigestRun | None]] = []
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
            claimed.append((subscription, self._claim(new)))
        self._process([run for _sub, run in claimed if run is not None], TickReport())
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
            subscription = subscriptions.by_id(self.engine, run.subscription_id)
            if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
                self.delivery.drop(run, "unsubscribed before it was posted")
                report.count(RunStatus.FAILED)
                continue
            week_start = (
                run.week_start
                or last_full_week(
                    local_day(run.slot_at or run.claimed_at, subscription.timezone)
                ).start
            )
            spec = spec_for(self.services, subscription, week_start)
            try:
                if spec not in rendered:
                    rendered[spec] = self.render(spec)
                    report.renders += 1
            except Exception as error:
                # Ours (a bug, the database away): logged; the tick goes on; retried later.
                log.exception("digest run %s failed", run.id)
                failure = Transient(f"internal error: {error!r}")
                report.count(self.delivery.retry_later(run, failure, run.slot_at))
                continue
            report.count(
                self.delivery.deliver(run, self._outbound(run, subscription, rendered[spec]))
            )

    def _outbound(self, run: DigestRun, subscription: Subscription, digest: Digest) -> Outbound:
        marker, channel = run_marker(run), subscription.channel_id

        def posted(post: Posted) -> dict[str, Any]:
            if subscription.status == SubscriptionStatus.FAILING:
                assert subscription.id is not None
                subscriptions.mark_healthy(self.engine, subscription.id)
            return {"file_ids": list(post.file_ids)}

        return Outbound(
            channel,
            marker,
            partial(post_digest, self.slack.client, channel, digest, marker),
            due_at=run.slot_at,
            refused=partial(self._refused, subscription),
            posted=posted,
        )

    def _refused(self, subscription: Subscription, code: str) -> None:
        """Slack refused the channel: the subscription fails, and its creator is told once."""
        assert subscription.id is not None
        if subscriptions.mark_failing(self.engine, subscription.id, code):
            services, client = self.services, self.slack.client
            team, creator = subscription.team_id, subscription.created_by
            with speaking(Deferred(lambda: person_speech(services, client, team, creator))):
                advice = creator_advice(code, subscription)  # in the creator's language
            try:
                self.slack.tell(subscription.created_by, advice)
            except (Transient, SlackRefused, Rejected) as failure:
                # With a revoked token the DM fails too: the log is what is left.
                log.error(
                    "could not tell %s that the digest in %s fails (%s): %s",
                    subscription.created_by,
                    subscription.channel_id,
                    code,
                    failure.reason,
                )
        log.warning("digest for %s refused by Slack: %s", subscription.channel_id, code)


def preview_digest(
    services: Services, subscription: Subscription, week_start: date | None = None
) -> Digest:
    """The digest the subscription would get if it were posted now (or for another week)."""
    if week_start is None:
        week_start = last_full_week(local_day(services.clock(), subscription.timezone)).start
    spec = spec_for(services, subscription, week_start)
    return compose_digest(services.engine, spec, services.features.digest_sections)


def default_subscription(services: Services, team_id: str, channel_id: str) -> Subscription:
    """What a channel without a subscription would get by default (for previews)."""
    return Subscription(
        team_id=team_id,
        kind=WEEKLY,
        channel_id=channel_id,
        timezone=services.settings.timezone,
        created_by="",
    )
