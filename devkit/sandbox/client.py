"""Sends Slack's own request shapes to the app, signed exactly as Slack signs them.

Slash commands are form-encoded; interactivity is `payload=<json>`, form-encoded; Events API
callbacks are JSON. The payloads themselves come from `SlackPayloads`, shared with Socket Mode.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from devkit.sandbox.payloads import SlackPayloads, Surface
from devkit.sandbox.signing import signed_headers
from devkit.sandbox.webapi import SlackSandbox

FORM = "application/x-www-form-urlencoded"


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
        self,
        app_url: str,
        signing_secret: str,
        sandbox: SlackSandbox,
        *,
        timeout: float = 10.0,
        team_id: str | None = None,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.sandbox = sandbox
        self.payloads = SlackPayloads(sandbox, team_id=team_id)
        self.timeout = timeout

    def from_team(self, team_id: str) -> SlackRequestClient:
        """This client, sending as from workspace `team_id` instead of the sandbox's own (an
        app installed in two workspaces gets both workspaces' requests, with one secret)."""
        return SlackRequestClient(
            self.app_url, self.signing_secret, self.sandbox, timeout=self.timeout, team_id=team_id
        )

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

    def slash_command_body(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        wire: bool = False,
    ) -> str:
        return urlencode(
            self.payloads.slash_command(
                command, text, user_id=user_id, channel_id=channel_id, wire=wire
            )
        )

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        wire: bool = False,
        **post_options: Any,
    ) -> AppResponse:
        """Send `/command text` as typed by `user_id` in `channel_id` (escaped as Slack
        escapes it; `wire=True` sends `text` as given, for markup such as `<@U…|name>`)."""
        body = self.slash_command_body(
            command, text, user_id=user_id, channel_id=channel_id, wire=wire
        )
        return self._checked("slash_command", self.post(body, FORM, **post_options))

    def interaction(self, payload: dict[str, Any], **post_options: Any) -> AppResponse:
        """Send an interactivity payload (block_actions, view_submission, shortcut, …)."""
        body = urlencode({"payload": json.dumps(self.payloads.interactive(payload))})
        kind = str(payload.get("type"))
        return self._checked(kind, self.post(body, FORM, **post_options))

    def _checked(self, kind: str, response: AppResponse) -> AppResponse:
        """The app's acknowledgement, held to Slack's limits as Slack would hold it."""
        if response.status == 200 and response.body.startswith("{"):
            self.sandbox.check_acknowledgement(kind, response.json())
        return response

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
        return self.interaction(
            self.payloads.block_action(
                action_id,
                value,
                user_id=user_id,
                channel_id=channel_id,
                block_id=block_id,
                message=message,
                view=view,
            )
        )

    def element_action(
        self,
        where: Surface,
        block_id: str,
        element: dict[str, Any],
        chosen: dict[str, Any] | None = None,
        *,
        user_id: str = "U0MARIA",
    ) -> AppResponse:
        """`user_id` presses `element`, or picks `chosen` in it, where it is shown."""
        return self.interaction(
            self.payloads.element_action(where, block_id, element, chosen, user_id=user_id)
        )

    def block_suggestion(
        self, where: Surface, block_id: str, action_id: str, typed: str, *, user_id: str = "U0MARIA"
    ) -> AppResponse:
        """`user_id` types `typed` into an external menu; the app answers with its options."""
        return self.interaction(
            self.payloads.block_suggestion(where, block_id, action_id, typed, user_id=user_id)
        )

    def view_closed(self, view: dict[str, Any], *, user_id: str = "U0MARIA") -> AppResponse:
        return self.interaction(self.payloads.view_closed(view, user_id=user_id))

    def app_home_opened(self, user_id: str) -> AppResponse:
        """`user_id` opens the app's Home tab."""
        return self.event(self.payloads.app_home_opened(user_id))

    def view_submission(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user_id: str = "U0MARIA"
    ) -> AppResponse:
        """Submit a modal with `values` in Slack's state shape: {block_id: {action_id: {…}}}."""
        return self.interaction(self.payloads.view_submission(view, values, user_id=user_id))

    def message_shortcut(
        self,
        callback_id: str,
        message: dict[str, Any],
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
    ) -> AppResponse:
        return self.interaction(
            self.payloads.message_shortcut(
                callback_id, message, user_id=user_id, channel_id=channel_id
            )
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
        envelope = self.payloads.event_callback(event, event_id=event_id)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(
            json.dumps(envelope), "application/json", extra_headers=headers, **post_options
        )

    def file_share(
        self, user_id: str, filename: str, content: bytes, text: str = ""
    ) -> tuple[AppResponse, dict[str, Any]]:
        """`user_id` uploads a file into their DM with the bot: the upload, then the
        `message.im` event with subtype `file_share` that Slack sends for it."""
        shared = self.sandbox.user_upload(user_id, filename, content)
        return self.event(self.file_share_event(user_id, [shared], text)), shared

    def file_share_event(
        self, user_id: str, files: list[dict[str, Any]], text: str = ""
    ) -> dict[str, Any]:
        """The `message.im` event with subtype `file_share` for `files` shared by `user_id` in
        their DM with the bot (send it with `event`, to choose its event_id or redeliver it)."""
        return {
            "type": "message",
            "subtype": "file_share",
            "channel": self.sandbox.dm_channel(user_id),
            "channel_type": "im",
            "user": user_id,
            "text": self.payloads.as_typed(text, message=True),
            "files": files,
            "ts": f"{time.time():.6f}",
        }
