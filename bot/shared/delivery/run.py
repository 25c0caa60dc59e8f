"""The one delivery run: a single scheduler job for every kind of scheduled post (the weekly
digest and the monthly review report, by subscription; alerts, by rule). Each kind is a
`ScheduledPosts` its feature declares (`Feature.scheduled_posts`, collected by bot.scheduler);
at each tick, every kind whose check is due finds what is due and delivers each
post through the life cycle (bot.shared.delivery): claimed once, posted, retried, taken over.

APScheduler only triggers: what is due, and who posts it, the database decides. The first tick
runs at start, so a slot missed while the bot was down is caught up at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from bot.services import Services

log = logging.getLogger(__name__)
TICK_SECONDS = 60
SLACK = timedelta(seconds=TICK_SECONDS / 2)  # a tick may come a little early


@dataclass(frozen=True)
class ScheduledPosts:
    """One kind of scheduled post: `start` builds, once per process, what delivers the kind's
    due posts (claiming the due ones, taking over the stale ones and posting them); the run
    calls it every `every`."""

    name: str
    start: Callable[[Services], Callable[[], object]]
    every: timedelta = timedelta(seconds=TICK_SECONDS)


class DeliveryRun:
    """What the one job calls: each kind whose check is due delivers; one kind's failure is
    logged and leaves the others to post."""

    def __init__(self, services: Services, kinds: Sequence[ScheduledPosts]) -> None:
        self.services = services
        self.kinds = [(kind, kind.start(services)) for kind in kinds]
        self.checked: dict[str, datetime] = {}

    def __call__(self) -> None:
        now = self.services.clock()
        for kind, deliver in self.kinds:
            last = self.checked.get(kind.name)
            if last is not None and now - last < kind.every - SLACK:
                continue
            self.checked[kind.name] = now
            try:
                deliver()
            except Exception:  # ours (a bug, the database away): the next check tries again
                log.exception("delivering %s posts failed", kind.name)


def add_delivery_job(
    scheduler: BaseScheduler, services: Services, kinds: Sequence[ScheduledPosts]
) -> None:
    """Register the one delivery run over `kinds`, every minute and once at start. It keeps the
    id the digest's job had when it was the only one."""
    scheduler.add_job(
        DeliveryRun(services, kinds),
        "interval",
        seconds=TICK_SECONDS,
        id="digest-tick",
        next_run_time=services.clock(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=TICK_SECONDS,
    )
