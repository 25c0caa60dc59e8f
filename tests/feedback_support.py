"""Helpers for the feedback and creator tests: notes typed, the forms, clicks, answers, rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from devkit.offline import OfflineBot
from devkit.sandbox import AppResponse
from devkit.sandbox.payloads import Surface

# Thursday 3 December 2026, 09:30 in Berlin (UTC+1): a working morning.
NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
TODAY = date(2026, 12, 3)


def set_clock(bot: OfflineBot, moment: datetime) -> None:
    bot.services.clock = lambda: moment


def note(bot: OfflineBot, text: str, *, user: str = "U0MARIA") -> dict[str, Any]:
    """`/feedback <text>` typed by `user`: the one reply they see."""
    return bot.say(f"/feedback {text}", user_id=user).reply


def command(bot: OfflineBot, name: str, text: str, *, user: str = "U0MARIA") -> dict[str, Any]:
    """`name text` typed by `user`: the one reply they see ({} when a modal was the answer)."""
    seen = bot.say(f"{name} {text}", user_id=user)
    return seen.reply if seen.replies else {}


def last_view(bot: OfflineBot, opened: int = 1) -> dict[str, Any]:
    """The latest modal opened, once the app settled; at least `opened` must have been."""
    bot.settle()
    calls = bot.sandbox.calls("views.open")
    assert len(calls) >= opened, f"{len(calls)} modals opened, expected {opened}"
    assert calls[-1].ok, calls[-1].response
    return calls[-1].response["view"]


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
    """Pick `value` in an overflow menu of a message in #lifestyle-kpi."""
    where = Surface("message", "C0KPI", message={"ts": "", "text": ""})
    overflow = {"type": "overflow", "action_id": action_id}
    chosen = {"selected_option": {"value": value}}
    response = bot.client.element_action(where, "actions", overflow, chosen, user_id=user)
    assert response.status == 200, response.body
    return response


def answers(bot: OfflineBot, count: int) -> list[dict[str, Any]]:
    """The posts to response URLs so far, once the app settled, as their payloads; there must
    be at least `count`."""
    bot.settle()
    posted = [call.params for call in bot.sandbox.calls("response_url")]
    assert len(posted) >= count, f"{len(posted)} answers, expected {count}: {posted}"
    return posted


def rows(engine: Engine, model: type[SQLModel]) -> list[Any]:
    with Session(engine) as session:
        return list(session.exec(select(model).order_by(model.id)).all())  # type: ignore[attr-defined]
