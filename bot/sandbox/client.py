"""Sends Slack's own request shapes to the app, signed exactly as Slack signs them.

Slash commands are form-encoded; interactivity is `payload=<json>`, form-encoded; Events API
callbacks are JSON. Response URLs and trigger IDs come from the sandbox, so what the app does
with them lands there.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.signing import signed_headers
from bot.sandbox.webapi import SlackSandbox


@dataclass(frozen=True)
class AppResponse:
    """The app's HTTP answer to one request from 'Slack'."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackRequestClient:
    """Plays Slack's side of the conversation with the app's request URL."""

    def __init__(
        self, app_url: str, signing_secret: str, sandbox: SlackSandbox, *, timeout: float = 10.0
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.sandbox = sandbox
        self.timeout = timeout

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signing_secret: str | None = None,
        signed: bool = True,
        extra_headers: dict[str, str] | None = None,
    ) -> AppResponse:
        """POST `body`, signed with the app's secret unless told otherwise."""
        headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if signed:
            ts = int(time.time()) if timestamp is None else timestamp
            headers.update(signed_headers(signing_secret or self.signing_secret, ts, body))
        headers.update(extra_headers or {})
        request = urllib.request.Request(  # noqa: S310 (the app's own http URL)
            self.app_url, data=body.encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return AppResponse(
                    response.status, response.read().decode(), dict(response.headers.items())
                )
        except urllib.error.HTTPError as error:
            return AppResponse(error.code, error.read().decode(), dict(error.headers.items()))

    def _base(self, user_id: str) -> dict[str, Any]:
        user = self.sandbox.users.get(user_id)
        return {
            "team_id": self.sandbox.team_id,
            "user_id": user_id,
            "user_name": user.name if user else user_id,
        }

    def slash_command_body(
        self, command: str, text: str = "", *, user_id: str = "U0MARIA", channel_id: str = "C0KPI"
    ) -> str:
        channel = self.sandbox.channels.get(channel_id)
        form = {
            "token": "deprecated-verification-token",
            **self._base(user_id),
            "team_domain": "shopbot-sandbox",
            "channel_id": channel_id,
            "channel_name": channel.name if channel else "directmessage",
            "command": command,
            "text": text,
            "api_app_id": "A0SHOPBOT",
            "is_enterprise_install": "false",
            "response_url": self.sandbox.new_response_url(channel_id, user_id),
            "trigger_id": self.sandbox.new_trigger_id(),
        }
        return urlencode(form)

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        **post_options: Any,
    ) -> AppResponse:
        """Send `/command text` as typed by `user_id` in `channel_id`."""
        body = self.slash_command_body(command, text, user_id=user_id, channel_id=channel_id)
        return self.post(body, "application/x-www-form-urlencoded", **post_options)

    def interaction(self, payload: dict[str, Any], **post_options: Any) -> AppResponse:
        """Send an interactivity payload (block_actions, view_submission, shortcut, …)."""
        base = {
            "team": {"id": self.sandbox.team_id, "domain": "shopbot-sandbox"},
            "api_app_id": "A0SHOPBOT",
            "token": "deprecated-verification-token",
            "is_enterprise_install": False,
        }
        body = urlencode({"payload": json.dumps({**base, **payload})})
        return self.post(body, "application/x-www-form-urlencoded", **post_options)

    def _user(self, user_id: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": self._base(user_id)["user_name"],
            "team_id": self.sandbox.team_id,
        }

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
    ) -> AppResponse:
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
        return self.interaction(payload)

    def view_submission(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user_id: str = "U0MARIA"
    ) -> AppResponse:
        """Submit a modal with `values` in Slack's state shape: {block_id: {action_id: {…}}}."""
        submitted = {**view, "state": {"values": values}}
        return self.interaction(
            {
                "type": "view_submission",
                "user": self._user(user_id),
                "view": submitted,
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
    ) -> AppResponse:
        return self.interaction(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "user": self._user(user_id),
                "channel": {"id": channel_id},
                "message": message,
                "message_ts": message.get("ts"),
                "trigger_id": self.sandbox.new_trigger_id(),
                "response_url": self.sandbox.new_response_url(channel_id, user_id),
            }
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **post_options: Any,
    ) -> AppResponse:
        """An Events API callback; `retry_num` marks Slack's redelivery of the same event."""
        envelope = {
            "token": "deprecated-verification-token",
            "team_id": self.sandbox.team_id,
            "api_app_id": "A0SHOPBOT",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{self.sandbox.new_trigger_id()[:12].replace('.', '')}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": self.sandbox.team_id,
                    "user_id": self.sandbox.bot_user_id,
                    "is_bot": True,
                }
            ],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(
            json.dumps(envelope), "application/json", extra_headers=headers, **post_options
        )
