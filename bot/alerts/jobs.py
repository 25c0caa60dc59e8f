"""The alert check as a kind of scheduled post of the one delivery run
(bot.shared.delivery.run): every half hour, for data that came in late or outside an import
the bot saw (a day completes when its last file arrives). The database decides what is posted
(bot.alerts.check), so every replica may run it. Daily, the purge of rules removed over 30 days
ago, as for notes and reviews."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.base import BaseScheduler

from bot.alerts.check import AlertChecker
from bot.services import Services
from bot.shared.delivery.run import ScheduledPosts
from storage.alerts.rules import purge_removed_rules

CHECK_MINUTES = 30


def _alert_checker(services: Services) -> Callable[[], object]:
    return AlertChecker(services).check


ALERTS = ScheduledPosts("alert", _alert_checker, timedelta(minutes=CHECK_MINUTES))


def add_alert_purge_job(scheduler: BaseScheduler, services: Services) -> None:
    scheduler.add_job(
        lambda: purge_removed_rules(services.engine, services.workspace(), services.clock()),
        "interval",
        hours=24,
        id="alert-purge-removed",
        next_run_time=services.clock(),
    )
