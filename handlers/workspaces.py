"""One workspace identity: a request is served only when everything in it names the installed
workspace; otherwise it is refused, before any listener.

An app installed in two workspaces signs both workspaces' requests with one signing secret, so
a request with a valid signature can come from a workspace this deployment does not serve, and
a payload can name several teams (Slack's `authorizations`, `team`, `view.team_id`,
`view.app_installed_team_id`, a modal's metadata), not all of them the same in a shared channel
or a forged request. Acting on it with this workspace's token would, for example, delete
another workspace's review or subscribe a channel of this workspace to its digest. So: the
installed workspace is pinned at start (`auth.test`, see bot.services.pin_workspace); the
request's workspace is Bolt's reading of the authorization Slack sent (`context.team_id`, the
one every listener uses, through `handlers.answers.workspace`); and a request is let through
only when that and every other team field in the payload are the installed workspace.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk.models.views import View

from bot.shared.carried import carried_object
from bot.shared.language import _
from handlers.answers import Answer, failure_reply, send, services_of
from storage.errors import UserError

log = logging.getLogger(__name__)


class NotInstalledHere(UserError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This app is not installed in this workspace: it serves another one. Ask "
                "whoever runs shopbot to set it up for this workspace."
            )
        )


def teams_named(body: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (field, team) a request names: the top-level `team_id`, `team`, the person's
    `user.team_id`, `authorizations[*].team_id`, and a view's `team_id`,
    `app_installed_team_id` and any team its private_metadata carries. (An event's own fields,
    such as a message's `team`, say whose message it is, not who asks.)"""
    found: list[tuple[str, str]] = []

    def note(field: str, value: Any) -> None:
        if value is not None and value != "":
            found.append((field, str(value)))

    note("team_id", body.get("team_id"))
    team = body.get("team")
    note("team.id", team.get("id") if isinstance(team, dict) else team)
    user = body.get("user")
    if isinstance(user, dict):
        note("user.team_id", user.get("team_id"))
    for number, authorization in enumerate(body.get("authorizations") or []):
        if isinstance(authorization, dict):
            note(f"authorizations[{number}].team_id", authorization.get("team_id"))
    view = body.get("view")
    if isinstance(view, dict):
        note("view.team_id", view.get("team_id"))
        note("view.app_installed_team_id", view.get("app_installed_team_id"))
        metadata = carried_object(view.get("private_metadata"))
        for key in ("team_id", "team"):
            note(f"view.private_metadata.{key}", metadata.get(key))
    return found


def refuse_other_workspaces(
    context: BoltContext, body: dict[str, Any], next: Any
) -> BoltResponse | None:
    """Let a request through only when Bolt's reading of its workspace and every team field in
    it name the installed workspace; otherwise answer where the request allows it (a command,
    a button, a modal) and stay silent to events, which nobody reads."""
    ours = services_of(context).workspace()
    theirs = context.team_id
    others = [(field, team) for field, team in teams_named(body) if team != ours]
    if theirs == ours and not others:
        next()
        return None
    kind = str(body.get("command") or body.get("type") or "request")
    if body.get("type") == "event_callback":
        kind = f"{(body.get('event') or {}).get('type')} event"
    log.warning(
        "refused a %s from workspace %s (user %s; %s): the bot token belongs to %s",
        kind,
        theirs,
        context.user_id,
        ", ".join(f"{field} {team}" for field, team in others) or "no other team named",
        ours,
    )
    reply = failure_reply(NotInstalledHere(), kind, str(theirs or ""), str(context.user_id or ""))
    if body.get("command"):
        return BoltResponse(status=200, body=reply.payload())
    if body.get("type") == "view_submission":
        notice = View(type="modal", title="shopbot", close=_("Close"), blocks=reply.blocks)
        update = {"response_action": "update", "view": notice.to_dict()}
        return BoltResponse(status=200, body=update)
    if body.get("type") == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    send(str(body.get("response_url") or ""), Answer(reply))
    return BoltResponse(status=200, body="")
