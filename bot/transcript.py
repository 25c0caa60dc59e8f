"""What a person sees after one request to the app, rendered as terminal text.

The shell prints it and the tests read it: the app's acknowledgement, its response-URL posts,
messages and ephemeral messages, modals, uploaded files, and any call Slack refused, in the
order Slack received them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox import AppResponse, SlackCall, SlackSandbox
from bot.sandbox.webapi import UploadedFile
from bot.terminal import phone_screens, render_blocks

ONLY_YOU = "only you can see this"
_MESSAGE_METHODS = frozenset({"response_url", "chat.postMessage", "chat.postEphemeral"})
_VIEW_METHODS = frozenset({"views.open", "views.push", "views.update"})


@dataclass(frozen=True)
class Transcript:
    """One request's outcome: `text` as the shell prints it, plus the raw traffic.

    `str(t)` and `"…" in t` read `text`. `replies` are the payloads of the acknowledgement
    and of every message the app sent (ephemeral or posted), in order; `views` are the modals
    it opened or updated, as Slack stored them; `calls` is every call Slack received meanwhile.
    """

    response: AppResponse
    calls: list[SlackCall]
    text: str

    def __str__(self) -> str:
        return self.text

    def __contains__(self, fragment: str) -> bool:
        return fragment in self.text

    @property
    def replies(self) -> list[dict[str, Any]]:
        acknowledged = acknowledgement(self.response)
        sent = [c.params for c in self.calls if c.method in _MESSAGE_METHODS and c.ok]
        return ([acknowledged] if acknowledged else []) + sent

    @property
    def reply(self) -> dict[str, Any]:
        """The one reply; fails when there were none or several."""
        replies = self.replies
        assert len(replies) == 1, f"expected one reply, got {len(replies)}:\n{self.text}"
        return replies[0]

    @property
    def phone_screens(self) -> float:
        """How many phone screens the replies fill, one after another (see bot.terminal)."""
        return round(
            sum(phone_screens(r.get("blocks") or [], str(r.get("text", ""))) for r in self.replies),
            2,
        )

    @property
    def views(self) -> list[dict[str, Any]]:
        return [c.response["view"] for c in self.calls if c.method in _VIEW_METHODS and c.ok]


def acknowledgement(response: AppResponse) -> dict[str, Any] | None:
    """The message in the app's HTTP answer, if it answered with one."""
    body = response.body.strip()
    if response.status != 200 or not body.startswith("{"):
        return None
    answer = response.json()
    return answer if isinstance(answer, dict) and ("text" in answer or "blocks" in answer) else None


def render_exchange(
    sandbox: SlackSandbox,
    response: AppResponse,
    calls: list[SlackCall],
    *,
    channel_id: str,
    file_label: Callable[[UploadedFile], str] = lambda upload: upload.filename,
) -> str:
    """The acknowledgement, then each call in order, as the shell shows them.

    `file_label` names an uploaded file after its title (the shell saves it and gives the path).
    """
    lines: list[str] = []
    if response.status != 200:
        lines.append(f"[the app answered HTTP {response.status}: {response.body[:200]}]")
        return "\n".join(lines)
    answer = acknowledgement(response)
    if answer is not None:
        lines += _reply(sandbox, answer, ONLY_YOU, channel_id)
    elif response.body.strip() and not response.body.strip().startswith("{"):
        lines.append(response.body)
    for call in calls:
        lines += _call(sandbox, call, channel_id, file_label)
    return "\n".join(lines)


def _reply(
    sandbox: SlackSandbox, payload: dict[str, Any], audience: str, channel_id: str
) -> list[str]:
    if payload.get("response_type") == "in_channel":
        channel = sandbox.channels.get(channel_id)
        audience = f"posted in #{channel.name if channel else channel_id}"
    named = _with_names(sandbox, payload)
    blocks = named.get("blocks") or []
    return [f"── {audience} ──", render_blocks(blocks, str(named.get("text", ""))), ""]


_BARE_REFERENCE = re.compile(r"<([@#])([UWCG][A-Z0-9]+)>")


def _with_names(sandbox: SlackSandbox, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with `<@U…>` and `<#C…>` given the names Slack would show for them."""

    def named(match: re.Match[str]) -> str:
        kind, target = match.groups()
        found = (sandbox.users if kind == "@" else sandbox.channels).get(target)
        name = json.dumps(found.name, ensure_ascii=False)[1:-1] if found else ""
        return f"<{kind}{target}|{name}>" if found else match.group(0)

    text = json.dumps(payload, ensure_ascii=False)
    named_payload: dict[str, Any] = json.loads(_BARE_REFERENCE.sub(named, text))
    return named_payload


def _call(
    sandbox: SlackSandbox,
    call: SlackCall,
    channel_id: str,
    file_label: Callable[[UploadedFile], str],
) -> list[str]:
    if not call.ok and call.method != "response_url":
        errors = json.dumps(call.response.get("errors", ""))
        return [f"[Slack refused {call.method}: {call.error} {errors}]"]
    params = call.params
    if call.method in {"response_url", "chat.postEphemeral"}:
        return _reply(sandbox, params, ONLY_YOU, channel_id)
    if call.method == "chat.postMessage":
        return _reply(sandbox, {**params, "response_type": "in_channel"}, "", channel_id)
    if call.method in _VIEW_METHODS:
        view = params.get("view") or {}
        title = (view.get("title") or {}).get("text", "")
        return [f"── modal: {title} ──", render_blocks(view.get("blocks") or []), ""]
    if call.method == "files.completeUploadExternal":
        lines = []
        for entry in call.response.get("files", []):
            upload = sandbox.files.get(entry["id"])
            if upload is not None and upload.content is not None:
                lines.append(f"── file: {upload.title} → {file_label(upload)}")
        return lines
    return []
