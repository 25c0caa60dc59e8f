"""Work a restart cut off, done again.

The app acknowledges a request first and works after (lazy listeners), and Slack delivers
again neither an acknowledged event nor any slash command: work cut off by a restart, a crash
of the process or a replica that went quiet would be lost. So each event and each slow slash
command is claimed with its request (storage.events); on start, and every minute, the work
cut off is taken over and its request dispatched to the app again, signed as Slack signs it.
Only one replica takes each, and does it under the claim it took (`RESUMED` in Bolt's
context). What the request made before it was cut off is not made again (bot.shared.effects), and a
slash command's answer still reaches its response URL (valid for 30 minutes). Each start of
the work is a try: one cut off at its last try (SHOPBOT_RESUME_TRIES) is dropped, and the
person is told what to do, rather than resumed, and killing its worker, at every start.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.services import Services
from bot.settings import setting, whole
from bot.shared.direct_messages import send_dm
from bot.shared.language import N_, Speech, _, ngettext, speaking, workspace_speech
from bot.shared.replies import Reply, escape, section, shown
from bot.shared.slack_retries import slack_retries
from storage.events import CutOff, EventClaim, finish_event, take_cut_off
from storage.feedback.intake import intake_for

log = logging.getLogger(__name__)
FORM, JSON_BODY = "form", "json"
RESUMED = "shopbot_resumed_claim"  # Bolt context key: the claim a resumed request runs under


@dataclass(frozen=True)
class ResumeSettings:
    """How often work cut off is resumed (`settings.section(ResumeSettings)`)."""

    resume_tries: int = setting(
        "SHOPBOT_RESUME_TRIES",
        "3",
        whole(1, 10),
        invalid="expected a number from 1 to 10",
        describe=(
            "Work cut off by a restart is resumed; a request whose work was started this many "
            "times\n(1-10) and cut off each time is dropped, and the person told, instead of "
            "resumed again."
        ),
        heading="Resumed work",
    )
    """Starts of a request's work before work cut off that often is dropped."""


def kept_request(body: dict[str, Any], form: bool) -> dict[str, Any]:
    """What a claim keeps of a request to dispatch it again: its fields as Slack sent them,
    without the legacy verification token."""
    fields = {key: value for key, value in body.items() if key != "token"}
    return {FORM if form else JSON_BODY: fields}


def resume_cut_off_work(app: App, services: Services, signing_secret: str) -> int:
    """Dispatch again every request whose work was cut off, as its next try, and drop (telling
    the person) those cut off at their last try; how many were dispatched or dropped."""
    resumed = 0
    cut_offs = take_cut_off(
        services.engine,
        services.workspace(),
        max_tries=services.settings.section(ResumeSettings).resume_tries,
    )
    for cut_off in cut_offs:
        if cut_off.claim is None:
            log.error(
                "dropped %s of %s: its work stopped %d times before it was done",
                cut_off.event_id,
                cut_off.team_id,
                cut_off.tries,
            )
            with speaking(workspace_speech(services.settings)):
                tell_dropped(app.client, cut_off)
            resumed += 1
            continue
        log.info(
            "resuming %s of %s (try %d), cut off before it was done",
            cut_off.event_id,
            cut_off.team_id,
            cut_off.tries,
        )
        dispatch_again(app, services, signing_secret, cut_off.claim, cut_off.request)
        resumed += 1
    return resumed


def dispatch_again(
    app: App, services: Services, signing_secret: str, claim: EventClaim, kept: dict[str, Any]
) -> None:
    """Dispatch a kept request (`kept_request`) to the app again, signed as Slack signs it,
    to be done under `claim` (`RESUMED` in Bolt's context)."""
    raw, content_type = _encoded(kept)
    if raw is None:
        finish_event(services.engine, claim)
        return
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=timestamp, body=raw)
    headers: dict[str, str | Sequence[str]] = {
        "content-type": content_type,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature or "",
    }
    response = app.dispatch(BoltRequest(body=raw, headers=headers, context={RESUMED: claim}))
    if response.status == 404:
        # No listener handles it (nor did the first time): nothing to do, so it is done,
        # rather than resumed again at every round.
        finish_event(services.engine, claim)
    elif response.status != 200:
        log.warning("doing %s again: the app answered %s", claim.event_id, response.status)


def replay_kept_requests(app: App, services: Services, signing_secret: str) -> None:
    """Have the intake (storage.feedback.intake) do through the app the requests it kept while
    SQLite was busy: each is dispatched again under the claim the intake took for it; and
    tell the author of a kept note the intake had to set aside."""
    intake = intake_for(services.engine)
    if intake is not None:
        intake.replay_with(
            functools.partial(dispatch_again, app, services, signing_secret),
            tell=functools.partial(
                tell_note_set_aside, app.client, workspace_speech(services.settings)
            ),
        )


NOTE_SET_ASIDE = N_(
    ":warning: A note you sent while the database was busy could not be saved, so I've set it "
    "aside for an admin: please send it again."
)


def tell_note_set_aside(client: WebClient, spoken: Speech, user_id: str) -> None:
    """DM `user_id` that a note they sent was set aside unsaved, and to send it again (in the
    workspace's speech: the intake tells outside any request)."""
    with speaking(spoken):
        told = _(NOTE_SET_ASIDE)
    send_dm(client, user_id, Reply(text=told, blocks=[section(told)]))


def resumed_claim(context: BoltContext, event_id: str) -> EventClaim | None:
    """The claim a resumed request is done under (handed over by `take_cut_off`), when this
    request is the resumed one with that claim; None for a request from Slack."""
    claim = context.get(RESUMED)
    if isinstance(claim, EventClaim) and claim.event_id == event_id:
        return claim
    return None


def tell_dropped(client: WebClient, cut_off: CutOff) -> None:
    """Tell the person who asked that the work was dropped, and what to do: at the slash
    command's response URL (valid for 30 minutes), else by DM."""
    form, body = cut_off.request.get(FORM), cut_off.request.get(JSON_BODY) or {}
    event, submitter = body.get("event"), body.get("user")
    if isinstance(form, dict):
        user_id, response_url = str(form.get("user_id", "")), str(form.get("response_url", ""))
        asked = f"{form.get('command', '')} {form.get('text', '')}".strip()
        text = ":warning: " + ngettext(
            "`{asked}` stopped {count} time before it was done, so I've dropped it: try again "
            "in a few minutes, and tell an admin if it stops again.",
            "`{asked}` stopped {count} times before it was done, so I've dropped it: try again "
            "in a few minutes, and tell an admin if it stops again.",
            cut_off.tries,
        ).format(asked=shown(asked, 60), count=cut_off.tries)
    elif isinstance(event, dict):
        user_id, response_url = str(event.get("user", "")), ""
        names = [str(f.get("name") or _("a file")) for f in event.get("files") or []]
        if names:
            text = ":warning: " + ngettext(
                "Importing {files} stopped the app {count} time, so I've dropped it: split the "
                "file into smaller parts (by date range) and share those.",
                "Importing {files} stopped the app {count} times, so I've dropped it: split the "
                "file into smaller parts (by date range) and share those.",
                cut_off.tries,
            ).format(files=escape(", ".join(names)), count=cut_off.tries)
        else:
            text = ":warning: " + ngettext(
                "What you asked for stopped {count} time before it was done, so I've dropped "
                "it: try again, and tell an admin if it stops again.",
                "What you asked for stopped {count} times before it was done, so I've dropped "
                "it: try again, and tell an admin if it stops again.",
                cut_off.tries,
            ).format(count=cut_off.tries)
    elif body.get("type") == "view_submission" and isinstance(submitter, dict):
        user_id, response_url = str(submitter.get("id", "")), ""
        text = ":warning: " + ngettext(
            "The form you submitted stopped {count} time before it was saved, so I've dropped "
            "it: open it again in a few minutes, and tell an admin if it stops again.",
            "The form you submitted stopped {count} times before it was saved, so I've dropped "
            "it: open it again in a few minutes, and tell an admin if it stops again.",
            cut_off.tries,
        ).format(count=cut_off.tries)
    else:
        return
    reply = Reply(text=text, blocks=[section(text)])
    try:
        if response_url and _answered_at(response_url, reply):
            return
        if user_id:
            send_dm(client, user_id, reply)
    except Exception:
        log.exception("could not tell %s that %s was dropped", user_id, cut_off.event_id)


def _answered_at(response_url: str, reply: Reply) -> bool:
    webhook = WebhookClient(response_url, timeout=10, retry_handlers=slack_retries())
    try:
        return webhook.send_dict(reply.payload()).status_code == 200
    except OSError:
        return False


def _encoded(request: dict[str, Any]) -> tuple[str | None, str]:
    if FORM in request:
        return urlencode(request[FORM]), "application/x-www-form-urlencoded"
    if JSON_BODY in request:
        return json.dumps(request[JSON_BODY]), "application/json"
    return None, ""
