"""What an import that wrote days sets off, however the file came (DM, form, command line):
the workspace's alert rules are checked (they judge only complete days, so an import that
completes a day is what makes them speak), and the App Homes that show its figures are
refreshed (each at most once a minute)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.alerts.check import AlertChecker
from bot.digest.slack import digest_client
from bot.services import Services
from storage.importers import ImportSummary

log = logging.getLogger(__name__)


def after_import(
    services: Services, team_id: str, summary: ImportSummary, client: WebClient | None = None
) -> None:
    """Check alerts and refresh Homes after an import; a dry run, or a file without days
    (a seller registry, creator data), sets off nothing. Failures here are logged: the
    import itself succeeded and is answered as such."""
    if summary.dry_run or summary.first_day is None:
        return
    client = client or digest_client(services.settings)
    try:
        AlertChecker(services, client).check(team_id)
    except Exception:
        log.exception("the alert check after an import in %s failed", team_id)
    for name, hook in services.import_hooks.items():
        try:
            hook(team_id, client)
        except Exception:
            log.exception("the %s refresh after an import in %s failed", name, team_id)
