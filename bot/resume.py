"""Work a restart cut off, done again.

The app acknowledges a request first and works after (lazy listeners), and Slack delivers
again neither an acknowledged event nor any slash command: work cut off by a restart, a crash
of the process or a replica that went quiet would be lost. So each event and each slow slash
command is claimed with its request (storage.events); on start, and every minute, the work
cut off is taken over and its request dispatched to the app again, signed as Slack signs it.
Only one replica takes each; the work's own claims keep it from being done twice, and a slash
command's answer still reaches its response URL (valid for 30 minutes).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.services import Services
from storage.events import EventClaim, finish_event, take_cut_off, this_worker

log = logging.getLogger(__name__)
FORM, JSON_BODY = "form", "json"


def kept_request(body: dict[str, Any], form: bool) -> dict[str, Any]:
    """What a claim keeps of a request to dispatch it again: its fields as Slack sent them,
    without the legacy verification token."""
    fields = {key: value for key, value in body.items() if key != "token"}
    return {FORM if form else JSON_BODY: fields}


def resume_cut_off_work(app: App, services: Services, signing_secret: str) -> int:
    """Dispatch again every request whose work was cut off; how many."""
    resumed = 0
    for cut_off in take_cut_off(services.engine, services.workspace()):
        raw, content_type = _encoded(cut_off.request)
        if raw is None:
            continue
        timestamp = str(int(time.time()))
        signature = SignatureVerifier(signing_secret).generate_signature(
            timestamp=timestamp, body=raw
        )
        headers: dict[str, str | Sequence[str]] = {
            "content-type": content_type,
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": signature or "",
        }
        log.info("resuming %s of %s, cut off before it was done", cut_off.event_id, cut_off.team_id)
        response = app.dispatch(BoltRequest(body=raw, headers=headers))
        if response.status == 404:
            # No listener handles it (nor did the first time): nothing to do, so it is done,
            # rather than resumed again at every round.
            claim = EventClaim(cut_off.team_id, cut_off.event_id, this_worker())
            finish_event(services.engine, claim)
        elif response.status != 200:
            log.warning("resuming %s: the app answered %s", cut_off.event_id, response.status)
        resumed += 1
    return resumed


def _encoded(request: dict[str, Any]) -> tuple[str | None, str]:
    if FORM in request:
        return urlencode(request[FORM]), "application/x-www-form-urlencoded"
    if JSON_BODY in request:
        return json.dumps(request[JSON_BODY]), "application/json"
    return None, ""
