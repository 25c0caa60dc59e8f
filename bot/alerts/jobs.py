"""When alerts are checked: after an import that wrote days (an import that completes a day is
what makes the rules speak, as they judge only complete days), and as a kind of scheduled post
of the one delivery run (bot.shared.delivery.run), every half hour, for data that came in late
or outside an import the bot saw (a day completes when its last file arrives). The database
decides what is posted (bot.alerts.check), so every replica may run it. Daily, the purge of
rules removed over 30 days ago, as for notes and reviews."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient

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


def check_after_import(
    services: Services, client: WebClient, team_id: str
) -> Callable[[], None] | None:
    """Check the workspace's rules once an import wrote days, without charts; the charts are
    attached by what this returns, once the Homes are refreshed too."""
    checker = AlertChecker(services)
    report = checker.check(team_id, charts=False)
    return lambda: checker.attach_charts(report)
