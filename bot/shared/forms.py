"""What every form shares (notes, creators, sellers, reviews): reading Slack's submitted state,
field errors, the common inputs, and the small state a modal carries in its private_metadata."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.shared.carried import carried_object
from bot.shared.language import _, speech, translated
from bot.shared.slack_text import without_controls
from storage.authored import MAX_NOTE
from storage.errors import UserError

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
        """The state the app wrote; what it never writes (not JSON, a field of another type) is
        left out, and an id of another type names no row (0), so an edit of it is refused."""
        data = carried_object(metadata)
        kept: dict[str, Any] = {}
        for found in fields(cls):
            value = data.get(found.name)
            if found.name == "id" and value is not None:
                kept["id"] = value if type(value) is int else 0
            elif type(value) is (bool if found.name == "replace" else str):
                kept[found.name] = value
        return cls(**kept)


def beyond_declared_limits(view: dict[str, Any]) -> dict[str, str]:
    """Field errors, by block_id, for submitted text the form's own elements do not allow:
    longer than its `max_length` (or shorter than its `min_length`). Slack stops a person from
    sending these; a forged submission is refused the same way before any form reads it (each
    form judges its choices itself; `text_value` drops control characters no one types)."""
    values: Values = (view.get("state") or {}).get("values") or {}
    errors: dict[str, str] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        state = values.get(str(block.get("block_id")), {}).get(str(element.get("action_id")))
        problem = _beyond(element, state) if isinstance(state, dict) else None
        if problem:
            errors[str(block["block_id"])] = problem
    return errors


def _beyond(element: dict[str, Any], state: dict[str, Any]) -> str | None:
    value = state.get("value")
    if not isinstance(value, str):
        return None
    most, least = element.get("max_length"), element.get("min_length")
    if isinstance(most, int) and len(value) > most:
        at_most = _("At most {most} characters, please: this has {count}.")
        return at_most.format(most=_count(most), count=_count(len(value)))
    if isinstance(least, int) and value and len(value) < least:
        at_least = _("At least {least} characters, please: this has {count}.")
        return at_least.format(least=_count(least), count=_count(len(value)))
    return None


def _count(number: int) -> str:
    """A count of characters in the answer's language (`1,204` · `1.204`)."""
    return format_decimal(number, locale=speech().locale)


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


def note_input(block_id: str, label: str, text: str, placeholder: str | None = None) -> list[Block]:
    """A note's text field, taking what a note may hold (MAX_NOTE), prefilled with `text`; a
    longer text (a note from before the limit, a long message) is cut to fit with a notice
    above the field, so saving never drops what the person did not see go."""
    blocks: list[Block] = []
    if len(text) > MAX_NOTE:
        notice = ":warning: " + _(
            "This text has {count} characters and a note holds {most}: the field below has its "
            "first {most}, and saving keeps only those."
        ).format(count=_count(len(text)), most=_count(MAX_NOTE))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=notice)]))
    element = PlainTextInputElement(
        action_id=block_id,
        multiline=True,
        max_length=MAX_NOTE,
        initial_value=text[:MAX_NOTE] or None,
        placeholder=placeholder,
    )
    return [*blocks, InputBlock(block_id=block_id, label=label, element=element)]


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
            self.check(block_id, plain(translated(error)))
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


def text_input(
    block_id: str, label: str, initial: str, max_length: int, hint: str | None = None
) -> InputBlock:
    """An optional one-line text field, prefilled with `initial`."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        hint=hint,
        element=PlainTextInputElement(
            action_id=block_id, initial_value=initial or None, max_length=max_length
        ),
    )
