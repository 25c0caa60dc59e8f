"""The scheduled alert check: every half hour, for data that came in late or outside an
import the bot saw (a day completes when its last file arrives). The database decides what
is posted (bot.alerts.check), so every replica may run it. Daily, the purge of rules removed
over 30 days ago, as for notes and reviews."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler

from bot.alerts.check import AlertChecker
from bot.services import Services
from storage.alerts import purge_removed_rules

CHECK_MINUTES = 30


def add_alert_jobs(scheduler: BaseScheduler, services: Services) -> None:
    checker = AlertChecker(services)
    scheduler.add_job(
        checker.check,
        "interval",
        minutes=CHECK_MINUTES,
        id="alert-check",
        next_run_time=services.clock(),
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        lambda: purge_removed_rules(services.engine, services.workspace(), services.clock()),
        "interval",
        hours=24,
        id="alert-purge-removed",
        next_run_time=services.clock(),
    )
