"""What Slack sends the app, as plain dicts: slash commands, interactivity and Events API callbacks.

One source for both transports: the signed HTTP client form-encodes these, the Socket Mode
server wraps them in envelopes, exactly as Slack does. Response URLs and trigger IDs come from
the sandbox, so what the app does with them lands there.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.webapi import SlackSandbox

# Not a secret: Slack still sends this field, and apps must verify signatures instead.
VERIFICATION_TOKEN = "deprecated-verification-token"  # noqa: S105
_CHANNEL_WORD = re.compile(r"(?<![\w&#])#([a-z0-9][a-z0-9._-]{0,79})(?![\w-])")
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)\]'\"]")


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
        of this workspace (picked from the composer's list) as `<#C…|name>`; and, in messages,
        where Slack's server detects links, each URL as `<url>`."""
        names = {c.name: c.id for c in self.sandbox.channels.values() if not c.is_im}
        text = slack_escape(typed)
        if message:
            text = _URL.sub(lambda m: f"<{m.group(0)}>", text)

        def channel(match: re.Match[str]) -> str:
            channel_id = names.get(match.group(1))
            return f"<#{channel_id}|{match.group(1)}>" if channel_id else match.group(0)

        return _CHANNEL_WORD.sub(channel, text)

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

    def block_suggestion(
        self,
        action_id: str,
        value: str,
        view: dict[str, Any],
        *,
        block_id: str | None = None,
        user_id: str = "U0MARIA",
    ) -> dict[str, Any]:
        """What a person typed into an external select of `view`, asking for its options."""
        return self.interactive(
            {
                "type": "block_suggestion",
                "user": self._user(user_id),
                "container": {"type": "view", "view_id": view.get("id")},
                "action_id": action_id,
                "block_id": block_id or action_id,
                "value": value,
                "view": view,
            }
        )

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
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "trigger_id": self.sandbox.new_trigger_id(),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        else:
            payload["channel"] = {"id": channel_id}
            payload["container"] = {
                "type": "message",
                "channel_id": channel_id,
                "message_ts": (message or {}).get("ts", ""),
            }
            payload["message"] = message or {"ts": "", "text": ""}
            payload["response_url"] = self.sandbox.new_response_url(
                channel_id, user_id, message_ts=(message or {}).get("ts")
            )
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
