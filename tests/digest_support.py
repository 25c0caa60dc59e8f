"""Helpers for the digest tests: a clock to travel with, subscriptions, runners, and what the
sandbox's channels show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from bot.digest.runner import DigestRunner, RunnerPolicy
from bot.services import Services, slack_client
from bot.shared.delivery.slack import DeliverySlack, RetryPolicy
from devkit.offline import OfflineBot
from devkit.sandbox import SlackSandbox
from storage.delivery import digests as store
from storage.delivery import subscriptions
from storage.delivery.models import DigestRun, Subscription, SubscriptionKind
from storage.delivery.subscriptions import SubscriptionDraft
from storage.importers import ImportOptions, importer_for
from tests import kpi_data

TEAM = "T0SANDBOX"
CREATOR = "U0TOM"


@dataclass
class Clock:
    """The injected clock: set it, move it; every runner and the app read it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> Clock:
        self.now = moment.astimezone(UTC)
        return self

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Sleeps:
    """A sleep that only records (tests of waits and backoff without waiting)."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def import_kpis(engine: Engine, team_id: str = TEAM) -> pd.DataFrame:
    """The generated KPI sheet (1 Sep – 14 Nov 2026) in `team_id`; returns its rows."""
    frame = kpi_data.generate()
    importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(frame), ImportOptions(team_id=team_id, filename="kpi.csv")
    )
    return frame


def subscribe(
    engine: Engine,
    channel_id: str = "C0KPI",
    *,
    weekdays: str = "mon",
    post_time: str = "09:00",
    timezone: str = "Europe/Berlin",
    category: str | None = None,
    since: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    channel_name: str | None = None,
) -> Subscription:
    draft = SubscriptionDraft(
        team_id=TEAM,
        kind=SubscriptionKind.WEEKLY_DIGEST,
        channel_id=channel_id,
        channel_name=channel_name or channel_id.lower(),
        weekdays=weekdays,
        post_time=post_time,
        timezone=timezone,
        category=category,
        user_id=CREATOR,
    )
    subscription, _ = subscriptions.save(engine, draft, since)
    return subscription


def runner(
    services: Services,
    sandbox: SlackSandbox,
    *,
    name: str = "runner-a",
    sleep: Callable[[float], None] | None = None,
    retry: RetryPolicy | None = None,
    policy: RunnerPolicy | None = None,
    timeout: int = 5,
) -> DigestRunner:
    """A runner on `services` talking to the sandbox with its own client."""
    settings = services.settings
    assert settings.slack_api_url == sandbox.api_url
    slack = DeliverySlack(
        slack_client(settings, retries=False, timeout=timeout),
        services.bot_user(),
        retry or RetryPolicy(),
        sleep or Sleeps(),
    )
    return DigestRunner(services, slack, policy=policy or RunnerPolicy(), name=name)


def posts(sandbox: SlackSandbox, channel: str = "C0KPI") -> list[dict[str, Any]]:
    """The bot's digests in a channel: messages with chart files or with digest metadata."""
    return [
        m
        for m in sandbox.messages[channel]
        if m.get("files") or (m.get("metadata") or {}).get("event_type") == "shopbot_digest"
    ]


def runs(engine: Engine, subscription: Subscription) -> list[DigestRun]:
    assert subscription.id is not None
    return store.runs_of(engine, subscription.id)


def travel(bot: OfflineBot, start: datetime) -> Clock:
    clock = Clock(start.astimezone(UTC))
    bot.services.clock = clock
    return clock
