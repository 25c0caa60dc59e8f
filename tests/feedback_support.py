"""Helpers for the feedback and creator tests: what a person reads, the forms, clicks, rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from bot.offline import OfflineBot
from bot.sandbox import AppResponse

# Thursday 3 December 2026, 09:30 in Berlin (UTC+1): a working morning.
NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
TODAY = date(2026, 12, 3)


def set_clock(bot: OfflineBot, moment: datetime) -> None:
    bot.services.clock = lambda: moment


def texts(message: dict[str, Any]) -> str:
    """Every piece of text a person would read in a message or view, in order."""
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


def action_ids(message: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "action_id" in node:
                found.append(node["action_id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return found


def button_value(message: dict[str, Any], action_id: str) -> str:
    """The value of the first element with `action_id` (buttons) in the message."""

    def walk(node: Any) -> str | None:
        if isinstance(node, dict):
            if node.get("action_id") == action_id:
                return str(node.get("value", ""))
            for value in node.values():
                found = walk(value)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for item in node:
                found = walk(item)
                if found is not None:
                    return found
        return None

    value = walk(message.get("blocks", []))
    assert value is not None, f"no {action_id} in the message"
    return value


def note(bot: OfflineBot, text: str, *, user: str = "U0MARIA") -> dict[str, Any]:
    """`/feedback <text>` typed by `user`: the acknowledgement's reply."""
    response = bot.client.slash_command("/feedback", text, user_id=user)
    assert response.status == 200, response.body
    return response.json()


def command(bot: OfflineBot, name: str, text: str, *, user: str = "U0MARIA") -> dict[str, Any]:
    response = bot.client.slash_command(name, text, user_id=user)
    assert response.status == 200, response.body
    return response.json() if response.body else {}


def last_view(bot: OfflineBot, opened: int = 1) -> dict[str, Any]:
    """The latest modal opened, once at least `opened` have been (listeners may still run)."""
    call = bot.sandbox.wait_for("views.open", opened)[-1]
    assert call.ok, call.response
    return call.response["view"]


def note_values(
    *,
    handle: str | None = "maria.makes",
    text: str = "Loves the lamp",
    topic: str = "general",
    sentiment: str = "neutral",
    tags: str = "",
    follow_up: date | None = None,
) -> dict[str, dict[str, Any]]:
    """The feedback form's state as Slack submits it."""
    values: dict[str, dict[str, Any]] = {
        "topic": {"topic": {"type": "static_select", "selected_option": {"value": topic}}},
        "sentiment": {
            "sentiment": {"type": "radio_buttons", "selected_option": {"value": sentiment}}
        },
        "note": {"note": {"type": "plain_text_input", "value": text}},
        "tags": {"tags": {"type": "plain_text_input", "value": tags or None}},
        "follow_up": {
            "follow_up": {
                "type": "datepicker",
                "selected_date": follow_up.isoformat() if follow_up else None,
            }
        },
    }
    if handle is not None:
        option = {"value": handle, "text": {"type": "plain_text", "text": f"@{handle}"}}
        values["creator"] = {
            "feedback_creator": {"type": "external_select", "selected_option": option}
        }
    return values


def submit(
    bot: OfflineBot, view: dict[str, Any], values: dict[str, Any], *, user: str = "U0MARIA"
) -> AppResponse:
    response = bot.client.view_submission(view, values, user_id=user)
    assert response.status == 200, response.body
    return response


def click(
    bot: OfflineBot,
    action_id: str,
    value: str,
    *,
    user: str = "U0MARIA",
    channel: str = "C0KPI",
    message: dict[str, Any] | None = None,
) -> AppResponse:
    response = bot.client.block_action(
        action_id, value, user_id=user, channel_id=channel, message=message
    )
    assert response.status == 200, response.body
    return response


def choose(bot: OfflineBot, action_id: str, value: str, *, user: str = "U0MARIA") -> AppResponse:
    """Pick `value` in an overflow menu."""
    payload = bot.client.payloads.block_action(action_id, user_id=user)
    payload["actions"][0].update(type="overflow", selected_option={"value": value})
    response = bot.client.interaction(payload)
    assert response.status == 200, response.body
    return response


def answers(bot: OfflineBot, count: int) -> list[dict[str, Any]]:
    """The first `count` posts to response URLs (waiting for them), as their payloads."""
    return [call.params for call in bot.sandbox.wait_for("response_url", count)]


def rows(engine: Engine, model: type[SQLModel]) -> list[Any]:
    with Session(engine) as session:
        return list(session.exec(select(model).order_by(model.id)).all())  # type: ignore[attr-defined]
