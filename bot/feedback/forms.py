"""What the note and creator forms share: reading Slack's submitted state, field errors, and the
small state a modal carries in its private_metadata."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.feedback.parsing import UserError
from bot.slack_text import without_controls

Values = dict[str, dict[str, dict[str, Any]]]  # view.state.values: block_id → action_id → value


class FormErrors(ValueError):
    """Field problems, by block_id, for `response_action: errors` (shown under each field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class FormState:
    """What a modal carries between opening and submission (private_metadata, JSON)."""

    id: int | None = None  # the note or creator being edited; None for a new one
    response_url: str = ""  # where the confirmation goes when the modal is submitted
    replace: bool = False  # the confirmation replaces the message it was opened from
    source_url: str | None = None  # the message a shortcut saved from
    handle: str | None = None  # the creator a new note is for, when the form knows it

    def dump(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "", False)})

    @classmethod
    def load(cls, metadata: str) -> FormState:
        data = json.loads(metadata or "{}")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def plain(message: str) -> str:
    """An UserError's mrkdwn as the plain text a field error shows."""
    return html.unescape(message).replace("`", "")


def element_state(values: Values, block_id: str) -> dict[str, Any]:
    return next(iter(values.get(block_id, {}).values()), {})


def text_value(values: Values, block_id: str) -> str:
    """A text input's value, without control characters no one types (a forged submission's)."""
    return without_controls(str(element_state(values, block_id).get("value") or ""))


def selected(values: Values, block_id: str) -> str | None:
    option = element_state(values, block_id).get("selected_option") or {}
    return option.get("value")


def selected_date(values: Values, block_id: str) -> date | None:
    day = element_state(values, block_id).get("selected_date")
    return date.fromisoformat(day) if day else None


def selected_user(values: Values, block_id: str) -> str | None:
    return element_state(values, block_id).get("selected_user") or None


def option(label: str, value: str) -> Option:
    return Option(text=label[:75], value=value[:150])


def choice_input(
    block_id: str, label: str, options: list[Option], initial: str, *, radio: bool = False
) -> InputBlock:
    """A required choice among `options` (a menu, or radio buttons), `initial` chosen."""
    element = RadioButtonsElement if radio else StaticSelectElement
    chosen = next(o for o in options if o.value == initial)
    return InputBlock(
        block_id=block_id,
        label=label,
        element=element(action_id=block_id, options=options, initial_option=chosen),
    )


class Collector:
    """Runs each field's check, keeping the first problem of each field as its error."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, block_id: str, problem: str | None) -> None:
        if problem and block_id not in self.errors:
            self.errors[block_id] = problem

    def run(self, block_id: str, check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except UserError as error:
            self.check(block_id, plain(error.message))
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)
