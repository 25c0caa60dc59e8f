"""What an import that wrote days sets off, however the file came (DM, form, command line):
each feature's after-import hook, in the features' order (bot.features: the alerts check their
rules, the Home refreshes the Homes that show the figures), then what the hooks left for last
(the alerts' charts, once every quick part is out)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.services import Services
from storage.importers import ImportSummary

log = logging.getLogger(__name__)


def after_import(
    services: Services, team_id: str, summary: ImportSummary, client: WebClient | None = None
) -> None:
    """Run the features' after-import hooks; a dry run, or a file without days (a seller
    registry, creator data), sets off nothing. Called once the import is answered; failures
    here are logged (the import itself succeeded). `client` refreshes what people see (the
    request's own, when a person imported in Slack)."""
    if summary.dry_run or summary.first_day is None:
        return
    client = client or services.slack()
    last: list[Callable[[], None]] = []
    for hook in services.features.after_import:
        try:
            later = hook(services, client, team_id)
        except Exception:
            log.exception("%s after an import in %s failed", _name(hook), team_id)
        else:
            if later is not None:
                last.append(later)
    for later in last:
        later()


def _name(hook: Callable[..., object]) -> str:
    return getattr(hook, "__qualname__", repr(hook))
