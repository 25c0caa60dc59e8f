"""The digest's scheduler job: a tick every minute, and one at start to catch up."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler

from bot.digest.manage import build_runner
from bot.services import Services

TICK_SECONDS = 60


def add_digest_jobs(scheduler: BaseScheduler, services: Services) -> None:
    """APScheduler only triggers: which digest is due, and who posts it, the database decides
    (see bot.digest.runner). The first tick runs at start, so a slot missed while the bot was
    down is caught up at once (within SHOPBOT_DIGEST_GRACE_HOURS)."""
    runner = build_runner(services)
    scheduler.add_job(
        runner.tick,
        "interval",
        seconds=TICK_SECONDS,
        id="digest-tick",
        next_run_time=services.clock(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=TICK_SECONDS,
    )
