"""What a person sees after one request to the app, rendered as terminal text.

The shell prints it and the tests read it: the app's acknowledgement, its response-URL posts,
messages and ephemeral messages, modals, the Home, uploaded files, and any call Slack refused,
in the order Slack received them. What can be acted on is numbered as it is drawn (`[2 Edit]`);
each number is a `Control` that remembers where it is shown, so that `click 2` is sent as
Slack would send it from there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devkit.sandbox import AppResponse, SlackCall, SlackSandbox
from devkit.sandbox.payloads import Surface
from devkit.sandbox.state import OpenModal
from devkit.sandbox.webapi import UploadedFile
from devkit.terminal import Numbering, phone_screens, render_blocks

ONLY_YOU = "only you can see this"
_MESSAGE_METHODS = frozenset({"response_url", "chat.postMessage", "chat.postEphemeral"})
_VIEW_METHODS = frozenset({"views.open", "views.push", "views.update"})


@dataclass(frozen=True)
class Control:
    """A numbered element: a button, menu, overflow or picker, and where it is shown."""

    number: int
    where: Surface
    block_id: str
    element: dict[str, Any]

    @property
    def label(self) -> str:
        return str((self.element.get("text") or {}).get("text", ""))


@dataclass
class Rendering:
    """An exchange being drawn: its lines, the numbers given so far, and the modal on screen."""

    lines: list[str] = field(default_factory=list)
    numbering: Numbering = field(default_factory=Numbering)
    controls: list[Control] = field(default_factory=list)
    modal: OpenModal | None = None

    def draw(
        self,
        where: Surface,
        heading: str,
        fallback: str = "",
        shown: list[dict[str, Any]] | None = None,
    ) -> None:
        """`where`'s blocks (or `shown`, the same with names given to mentions) under
        `heading`, their elements numbered after those before."""
        before = len(self.numbering.controls)
        blocks = where.blocks if shown is None else shown
        self.lines += [heading, render_blocks(blocks, fallback, self.numbering), ""]
        for number, (block_id, element) in enumerate(
            self.numbering.controls[before:], start=before + 1
        ):
            self.controls.append(Control(number, where, block_id, element))

    def draw_modal(self, modal: OpenModal) -> None:
        self.numbering.modal = modal
        self.modal = modal
        self.draw(Surface("modal", view=modal.with_state()), f"── modal: {modal.title} ──")
        self.numbering.modal = None

    def draw_home(self, view: dict[str, Any]) -> None:
        self.draw(Surface("home", view=view), "── Home ──")


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
    controls: list[Control] = field(default_factory=list)
    """What can be acted on, numbered as shown (`controls[0]` is `[1 …]`)."""
    modal: OpenModal | None = None
    """The modal on screen after this request, if one is."""

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
        """How many phone screens the replies fill, one after another (see devkit.terminal)."""
        return round(
            sum(phone_screens(r.get("blocks") or [], str(r.get("text", ""))) for r in self.replies),
            2,
        )

    @property
    def views(self) -> list[dict[str, Any]]:
        return [c.response["view"] for c in self.calls if c.method in _VIEW_METHODS and c.ok]

    def control(self, named: int | str) -> Control:
        """The element numbered `named`, or the only one whose label is `named`."""
        if isinstance(named, int) or named.strip().isdigit():
            number = int(named)
            if 1 <= number <= len(self.controls):
                return self.controls[number - 1]
            raise LookupError(f"Nothing is numbered {number} here ({self._choices()}).")
        found = [c for c in self.controls if c.label.casefold() == named.strip().casefold()]
        if len(found) != 1:
            raise LookupError(f"No single element is labelled “{named}” ({self._choices()}).")
        return found[0]

    def _choices(self) -> str:
        if not self.controls:
            return "the last answer has nothing to press"
        return f"numbers 1–{len(self.controls)}"


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
    acknowledged_ts: str = "",
    modal: OpenModal | None = None,
    home_of: str = "",
    redraw_modal: bool = False,
) -> Rendering:
    """The acknowledgement, then each call in order, as the shell shows them.

    `file_label` names an uploaded file after its title (the shell saves it and gives the path);
    `acknowledged_ts` is where Slack shows the acknowledgement's message; `modal` is the one
    on screen before the request (kept, unless the app changes it); `home_of`: the person
    whose Home is on screen, shown again when the app publishes it; `redraw_modal`: the
    modal is drawn first (the app answered its submission with errors, or a new view).
    """
    drawn = Rendering(modal=modal)
    if redraw_modal and modal is not None:
        drawn.draw_modal(modal)
    if response.status != 200:
        drawn.lines.append(f"[the app answered HTTP {response.status}: {response.body[:200]}]")
        return drawn
    answer = acknowledgement(response)
    if answer is not None:
        _reply(drawn, sandbox, answer, channel_id, acknowledged_ts)
    elif response.body.strip() and not response.body.strip().startswith("{"):
        drawn.lines.append(response.body)
    for call in calls:
        if call.method == "views.publish" and call.ok:
            if call.params.get("user_id") == home_of:
                drawn.draw_home(call.response.get("view") or {})
            continue
        _call(drawn, sandbox, call, channel_id, file_label)
    return drawn


def _reply(
    drawn: Rendering,
    sandbox: SlackSandbox,
    payload: dict[str, Any],
    channel_id: str,
    ts: str,
    message: dict[str, Any] | None = None,
) -> None:
    audience, kind = ONLY_YOU, "ephemeral"
    if payload.get("response_type") == "in_channel":
        channel = sandbox.channels.get(channel_id)
        audience, kind = f"posted in #{channel.name if channel else channel_id}", "message"
        if channel is not None and channel.is_im:
            audience = "in your DM with shopbot"
    named = _with_names(sandbox, payload)
    stored = message or {
        "ts": ts,
        "text": payload.get("text", ""),
        "blocks": payload.get("blocks") or [],
    }
    where = Surface(kind, channel_id, ts, message=stored)
    drawn.draw(where, f"── {audience} ──", str(named.get("text", "")), named.get("blocks") or [])


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
    drawn: Rendering,
    sandbox: SlackSandbox,
    call: SlackCall,
    channel_id: str,
    file_label: Callable[[UploadedFile], str],
) -> None:
    if not call.ok and call.method != "response_url":
        errors = json.dumps(call.response.get("errors", ""))
        drawn.lines.append(f"[Slack refused {call.method}: {call.error} {errors}]")
        return
    params, answer = call.params, call.response
    if call.method == "response_url":
        channel = str(answer.get("channel") or channel_id)
        _reply(drawn, sandbox, params, channel, str(answer.get("message_ts", "")))
    elif call.method == "chat.postEphemeral":
        channel = str(params.get("channel") or channel_id)
        _reply(drawn, sandbox, params, channel, str(answer.get("message_ts", "")))
    elif call.method == "chat.postMessage":
        message, channel = answer.get("message"), str(answer.get("channel") or channel_id)
        posted = {**params, "response_type": "in_channel"}
        _reply(drawn, sandbox, posted, channel, str(answer.get("ts", "")), message)
    elif call.method in _VIEW_METHODS:
        view = answer.get("view") or {}
        kept = drawn.modal
        same = kept is not None and kept.view.get("id") == view.get("id")
        drawn.draw_modal(OpenModal(view, kept.values if same and kept else {}))
    elif call.method == "files.completeUploadExternal":
        for entry in answer.get("files", []):
            upload = sandbox.files.get(entry["id"])
            if upload is not None and upload.content is not None:
                drawn.lines.append(f"── file: {upload.title} → {file_label(upload)}")
