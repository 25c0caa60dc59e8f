"""What tests read out of Slack payloads when the rendered text is not enough: the markup as
Slack received it (escaping, mentions, bold), and the interactive elements (action ids, values).

For what a person sees, use `bot.say(...)` (bot/offline.py), which renders as the shell does.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devkit.offline import OfflineBot


def markup(message: dict[str, Any]) -> str:
    """Every piece of text in a message or view as Slack received it (mrkdwn unrendered), in
    order: the fallback text, then the blocks' texts, titles, fields, elements and labels."""
    parts = [str(message.get("text", ""))] if isinstance(message.get("text"), str) else []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"mrkdwn", "plain_text"} and isinstance(node.get("text"), str):
                parts.append(node["text"])
                return
            for key in ("text", "title", "fields", "elements", "accessory", "label", "element"):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(parts)


def _interactive(node: Any) -> Iterator[dict[str, Any]]:
    """Every element with an action_id, depth first."""
    if isinstance(node, dict):
        if "action_id" in node:
            yield node
        for value in node.values():
            yield from _interactive(value)
    elif isinstance(node, list):
        for item in node:
            yield from _interactive(item)


def action_ids(message: dict[str, Any]) -> list[str]:
    return [element["action_id"] for element in _interactive(message.get("blocks", []))]


def button_value(message: dict[str, Any], action_id: str) -> str:
    """The value of the first element with `action_id` (buttons) in the message."""
    for element in _interactive(message.get("blocks", [])):
        if element["action_id"] == action_id:
            return str(element.get("value", ""))
    raise AssertionError(f"no {action_id} in the message")


def press(
    bot: OfflineBot,
    message: dict[str, Any],
    action_id: str,
    *,
    value: str | None = None,
    user_id: str = "U0MARIA",
    channel_id: str = "C0KPI",
) -> dict[str, Any]:
    """Click the button `action_id` of `message` as Slack sends the click (its value, or
    `value` when given: a forged one), and return the one answer the app posted to the
    click's response URL, once it settled."""
    before = len(bot.sandbox.calls("response_url"))
    response = bot.client.block_action(
        action_id,
        button_value(message, action_id) if value is None else value,
        user_id=user_id,
        channel_id=channel_id,
        message=message,
    )
    assert response.status == 200, response.body
    bot.settle()
    posted = [call.params for call in bot.sandbox.calls("response_url")[before:]]
    assert len(posted) == 1, f"expected one answer, got {len(posted)}: {posted}"
    return posted[0]


def unmarked(filename: str) -> str:
    """An uploaded file's name without the request's mark (bot.shared.effects.request_mark):
    `feedback-2026-12-06-3f9a1c.png` is `feedback-2026-12-06.png`."""
    return re.sub(r"-[0-9a-f]{6}(\.[^.]+)?$", r"\1", filename)


def share_at_once(bot: OfflineBot, files: list[tuple[str, bytes]], event_prefix: str) -> None:
    """Each file shared by U0MARIA in her DM with the bot at the same moment (a thread each,
    its event id `event_prefix` and its position); returns once every event is acknowledged."""
    events = [
        bot.client.file_share_event("U0MARIA", [bot.sandbox.user_upload("U0MARIA", name, body)])
        for name, body in files
    ]
    sent = [
        threading.Thread(
            target=bot.client.event, args=(event,), kwargs={"event_id": f"{event_prefix}{n}"}
        )
        for n, event in enumerate(events)
    ]
    for thread in sent:
        thread.start()
    for thread in sent:
        thread.join()


READS_OF_WHO_ASKS = frozenset({"users.info"})
"""What the app asks Slack about the person it answers (their Slack language, for what only they
see: bot.shared.speakers): reads, not answers."""


def answers_sent(calls: list[Any]) -> list[str]:
    """The methods of `calls` that answer or act, without the reads of who asks."""
    return [call.method for call in calls if call.method not in READS_OF_WHO_ASKS]
