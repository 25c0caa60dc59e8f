"""Requests from a workspace the bot token does not belong to are refused, before any listener.

An app installed in two workspaces signs both workspaces' requests with one signing secret, so
a request with a valid signature can come from a workspace this deployment does not serve.
Acting on it with this workspace's token would, for example, subscribe a channel of this
workspace to a digest at the request of a stranger. The token's workspace is what `auth.test`
says (asked once, when the app starts, and cached by Bolt); the request's is what Bolt reads
from it (a command's `team_id`, an interaction's `team.id`, an event's `authorizations`).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk.models.views import View

from handlers.answers import Answer, failure_reply, send
from storage.errors import UserError

log = logging.getLogger(__name__)


class NotInstalledHere(UserError):
    def __init__(self) -> None:
        super().__init__(
            "This app is not installed in this workspace: it serves another one. Ask whoever "
            "runs shopbot to set it up for this workspace."
        )


def refuse_other_workspaces(
    context: BoltContext, body: dict[str, Any], next: Any
) -> BoltResponse | None:
    """Let a request through only when it comes from the bot token's workspace; otherwise
    answer where the request allows it (a command, a button, a modal) and stay silent to
    events, which nobody reads."""
    ours = context.authorize_result.team_id if context.authorize_result else None
    theirs = context.team_id
    if ours is not None and theirs == ours:
        next()
        return None
    kind = str(body.get("command") or body.get("type") or "request")
    if body.get("type") == "event_callback":
        kind = f"{(body.get('event') or {}).get('type')} event"
    log.warning(
        "refused a %s from workspace %s (user %s): the bot token belongs to %s",
        kind,
        theirs,
        context.user_id,
        ours,
    )
    reply = failure_reply(NotInstalledHere(), kind, str(theirs or ""), str(context.user_id or ""))
    if body.get("command"):
        return BoltResponse(status=200, body=reply.payload())
    if body.get("type") == "view_submission":
        notice = View(type="modal", title="shopbot", close="Close", blocks=reply.blocks)
        update = {"response_action": "update", "view": notice.to_dict()}
        return BoltResponse(status=200, body=update)
    if body.get("type") == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    send(str(body.get("response_url") or ""), Answer(reply))
    return BoltResponse(status=200, body="")
