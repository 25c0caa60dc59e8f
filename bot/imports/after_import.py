"""What an import that wrote days sets off, however the file came (DM, form, command line):
the workspace's alert rules are checked (they judge only complete days, so an import that
completes a day is what makes them speak), and the App Homes that show its figures are
refreshed (each at most once a minute)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.alerts.check import AlertChecker
from bot.home.tab import refresh_homes
from bot.services import Services
from storage.importers import ImportSummary

log = logging.getLogger(__name__)


def after_import(
    services: Services, team_id: str, summary: ImportSummary, client: WebClient | None = None
) -> None:
    """Check alerts and refresh Homes after an import, then attach the alerts' charts; a dry
    run, or a file without days (a seller registry, creator data), sets off nothing. Called
    once the import is answered; failures here are logged (the import itself succeeded).
    `client` refreshes the Homes (the request's own, when a person imported in Slack)."""
    if summary.dry_run or summary.first_day is None:
        return
    checker = AlertChecker(services)
    report = None
    try:
        report = checker.check(team_id, charts=False)
    except Exception:
        log.exception("the alert check after an import in %s failed", team_id)
    try:
        refresh_homes(services, client or services.slack(), team_id)
    except Exception:
        log.exception("the App Home refresh after an import in %s failed", team_id)
    if report is not None:  # the charts last: the alerts and the Homes are out already
        checker.attach_charts(report)
