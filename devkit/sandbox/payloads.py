"""What Slack sends the app, as plain dicts: slash commands, interactivity and Events API callbacks.

One source for both transports: the signed HTTP client form-encodes these, the Socket Mode
server wraps them in envelopes, exactly as Slack does. Response URLs and trigger IDs come from
the sandbox, so what the app does with them lands there.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devkit.sandbox.webapi import SlackSandbox

# Not a secret: Slack still sends this field, and apps must verify signatures instead.
VERIFICATION_TOKEN = "deprecated-verification-token"  # noqa: S105
_CHANNEL_WORD = re.compile(r"(?<![\w&#])#([a-z0-9][a-z0-9._-]{0,79})(?![\w-])")
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)\]'\"]")
# `@name` as a word of its own (a sentence's punctuation may follow): `@maria.makes` and
# `a@b.c` are not mentions.
_MENTION = re.compile(r"(?<![\w@&#/])@([\w.-]*\w)(?=$|\s|[,;:!?.)](?:\s|$))")


@dataclass(frozen=True)
class Surface:
    """Where a person sees blocks the app sent, as Slack describes it when they act there:
    a message posted in a channel (`message`), an ephemeral one (`ephemeral`, which Slack
    does not send back), a `modal`, or the App `home`."""

    kind: str
    channel_id: str = ""
    ts: str = ""
    message: dict[str, Any] | None = None
    view: dict[str, Any] | None = None

    @property
    def in_view(self) -> bool:
        return self.kind in {"modal", "home"}

    @property
    def blocks(self) -> list[dict[str, Any]]:
        holder = self.view if self.in_view else self.message
        return list((holder or {}).get("blocks") or [])

    def container(self) -> dict[str, Any]:
        if self.view is not None and self.in_view:
            return {"type": "view", "view_id": self.view.get("id")}
        return {
            "type": "message",
            "message_ts": self.ts,
            "channel_id": self.channel_id,
            "is_ephemeral": self.kind == "ephemeral",
        }


def slack_escape(typed: str) -> str:
    """Slack's three control characters as the entities Slack sends instead."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackPayloads:
    """Builds Slack's request payloads for one sandboxed workspace.

    `team_id` names another workspace as the sender: an app installed in two workspaces gets
    the requests of both, signed with the same secret."""

    def __init__(self, sandbox: SlackSandbox, *, team_id: str | None = None) -> None:
        self.sandbox = sandbox
        self.team_id = team_id or sandbox.team_id

    def as_typed(self, typed: str, *, message: bool = False) -> str:
        """What Slack sends for text a person typed: `&`, `<` and `>` escaped; a `#channel`
        of this workspace (picked from the composer's list) as `<#C…|name>`, an `@name` of
        one of its people as `<@U…|name>`; and, in messages, where Slack's server detects
        links, each URL as `<url>`."""
        names = {c.name: c.id for c in self.sandbox.channels.values() if not c.is_im}
        text = slack_escape(typed)
        if message:
            text = _URL.sub(lambda m: f"<{m.group(0)}>", text)

        def channel(match: re.Match[str]) -> str:
            channel_id = names.get(match.group(1))
            return f"<#{channel_id}|{match.group(1)}>" if channel_id else match.group(0)

        people = {u.name.casefold(): u for u in self.sandbox.users.values()}

        def mention(match: re.Match[str]) -> str:
            user = people.get(match.group(1).casefold())
            return f"<@{user.id}|{user.name}>" if user else match.group(0)

        return _MENTION.sub(mention, _CHANNEL_WORD.sub(channel, text))

    def person(self, typed: str) -> str | None:
        """The ID of the person `typed` names (`@lena`, `lena`, `Lena Brandt` or the ID), as
        the composer's list of people offers them; None for anyone else."""
        wanted = typed.strip().removeprefix("@").casefold()
        for user in self.sandbox.users.values():
            if wanted in {user.name.casefold(), user.real_name.casefold(), user.id.casefold()}:
                return user.id
        return None

    def channel(self, typed: str) -> str | None:
        """The ID of this workspace's channel `typed` names (`#general`, `general`)."""
        wanted = typed.strip().removeprefix("#").casefold()
        for found in self.sandbox.channels.values():
            if not found.is_im and wanted in {found.name.casefold(), found.id.casefold()}:
                return found.id
        return None

    def _user_name(self, user_id: str) -> str:
        user = self.sandbox.users.get(user_id)
        return user.name if user else user_id

    def _user(self, user_id: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": self._user_name(user_id),
            "team_id": self.team_id,
        }

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        wire: bool = False,
    ) -> dict[str, str]:
        """`/command text` typed by `user_id` in `channel_id`; string values, as in the form.
        `wire=True` sends `text` as given, already in Slack's form (markup such as `<@U…>`)."""
        channel = self.sandbox.channels.get(channel_id)
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "team_domain": "shopbot-sandbox",
            "channel_id": channel_id,
            "channel_name": channel.name if channel else "directmessage",
            "command": command,
            "text": text if wire else self.as_typed(text),
            "api_app_id": self.sandbox.app_id,
            "is_enterprise_install": "false",
            "response_url": self.sandbox.new_response_url(channel_id, user_id),
            "trigger_id": self.sandbox.new_trigger_id(),
        }

    def interactive(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An interactivity payload with the fields Slack adds to every kind (a view in it
        carries its own `team_id` and `app_installed_team_id`, as the sandbox stored it)."""
        base = {
            "team": {"id": self.team_id, "domain": "shopbot-sandbox"},
            "enterprise": None,
            "api_app_id": self.sandbox.app_id,
            "token": VERIFICATION_TOKEN,
            "is_enterprise_install": False,
        }
        return {**base, **payload}

    def block_action(
        self,
        action_id: str,
        value: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        block_id: str = "actions",
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A click on a button with `action_id` and `value`, in a message or a view."""
        where = (
            Surface("modal", view=view)
            if view is not None
            else Surface(
                "message",
                channel_id,
                (message or {}).get("ts", ""),
                message=message or {"ts": "", "text": ""},
            )
        )
        button = {"type": "button", "action_id": action_id, "value": value}
        return self.element_action(where, block_id, button, user_id=user_id)

    def element_action(
        self,
        where: Surface,
        block_id: str,
        element: dict[str, Any],
        chosen: dict[str, Any] | None = None,
        *,
        user_id: str = "U0MARIA",
    ) -> dict[str, Any]:
        """A person acting on `element` of block `block_id` where it is shown: a button pressed,
        or `chosen` ({"selected_option": …}, {"selected_date": …}, …) picked in a menu, an
        overflow or a picker. Shaped as Slack sends it for that surface: a modal or the Home
        names its view (with its state); a message its channel, container and a response
        URL, and, unless it is ephemeral, the message itself."""
        action: dict[str, Any] = {
            "type": element.get("type", "button"),
            "action_id": element.get("action_id", ""),
            "block_id": block_id,
        }
        for key in ("text", "value", "style", "placeholder"):
            if key in element:
                action[key] = element[key]
        action.update(chosen or {})
        action["action_ts"] = f"{time.time():.6f}"
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "container": where.container(),
            "trigger_id": self.sandbox.new_trigger_id(),
            "actions": [action],
        }
        if where.in_view:
            payload["view"] = where.view
        else:
            channel = self.sandbox.channels.get(where.channel_id)
            payload["channel"] = {
                "id": where.channel_id,
                "name": channel.name if channel else "directmessage",
            }
            if where.kind != "ephemeral":
                payload["message"] = where.message or {"ts": where.ts, "text": ""}
            payload["state"] = {"values": {}}
            payload["response_url"] = self.sandbox.new_response_url(
                where.channel_id, user_id, message_ts=where.ts
            )
        return self.interactive(payload)

    def block_suggestion(
        self,
        where: Surface,
        block_id: str,
        action_id: str,
        typed: str,
        *,
        user_id: str = "U0MARIA",
    ) -> dict[str, Any]:
        """A person typing `typed` into an external menu: Slack asks the app for options."""
        payload: dict[str, Any] = {
            "type": "block_suggestion",
            "user": self._user(user_id),
            "container": where.container(),
            "action_id": action_id,
            "block_id": block_id,
            "value": typed,
        }
        if where.in_view:
            payload["view"] = where.view
        else:
            payload["channel"] = {"id": where.channel_id}
            if where.kind != "ephemeral":
                payload["message"] = where.message
        return self.interactive(payload)

    def view_submission(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user_id: str = "U0MARIA"
    ) -> dict[str, Any]:
        """A modal submitted with `values` in Slack's state shape: {block_id: {action_id: {…}}}."""
        return self.interactive(
            {
                "type": "view_submission",
                "user": self._user(user_id),
                "view": {**view, "state": {"values": values}},
                "trigger_id": self.sandbox.new_trigger_id(),
            }
        )

    def view_closed(self, view: dict[str, Any], *, user_id: str = "U0MARIA") -> dict[str, Any]:
        """A modal that asked to hear of it (`notify_on_close`) closed with its Cancel."""
        return self.interactive(
            {"type": "view_closed", "user": self._user(user_id), "view": view, "is_cleared": False}
        )

    def app_home_opened(self, user_id: str) -> dict[str, Any]:
        """The event Slack sends when `user_id` opens the app's Home tab: with the view last
        published for them, when there is one."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.sandbox.dm_channel(user_id),
            "tab": "home",
        }
        if user_id in self.sandbox.home_views:
            event["view"] = self.sandbox.home_views[user_id]
        return event

    def message_shortcut(
        self,
        callback_id: str,
        message: dict[str, Any],
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
    ) -> dict[str, Any]:
        return self.interactive(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "user": self._user(user_id),
                "channel": {"id": channel_id},
                "message": {
                    **message,
                    "text": self.as_typed(message.get("text", ""), message=True),
                },
                "message_ts": message.get("ts"),
                "trigger_id": self.sandbox.new_trigger_id(),
                "response_url": self.sandbox.new_response_url(channel_id, user_id),
            }
        )

    def event_callback(
        self, event: dict[str, Any], *, event_id: str | None = None
    ) -> dict[str, Any]:
        """An Events API callback wrapping `event`; pass `event_id` again for a redelivery."""
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "api_app_id": self.sandbox.app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{self.sandbox.new_trigger_id()[:12].replace('.', '')}",
            "event_time": int(time.time()),
            "authorizations": [  # the installation the event is delivered for
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.sandbox.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
