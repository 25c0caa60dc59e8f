"""What Slack's client holds for a modal while a person fills it in, and the values it sends.

A modal's input blocks are its fields, numbered in order. Each field's value is kept in the
shape Slack sends in `view.state.values` ({block_id: {action_id: {"type": …, …}}}): a text
input's `value`, a menu's `selected_option`, a date picker's `selected_date`, a user menu's
`selected_user`, checkboxes' `selected_options`, … Fields start from the initial values the
app gave them; an empty field is sent as Slack sends it (`None`, or an empty list).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

# The key under which Slack sends each element's value, and the initial field it starts from.
VALUE_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "file_input": ("files", "initial_files"),
    "overflow": ("selected_option", "initial_option"),  # in messages only, never a field
}
_MANY = re.compile(r"\s*,\s*")
REQUIRED = "Please complete this required field."


class NotChosen(ValueError):
    """What the person typed does not name a value of the element; the message says why."""


@dataclass(frozen=True)
class Field:
    """One input block of a modal: `number` as shown, its block and element."""

    number: int
    block: dict[str, Any]

    @property
    def block_id(self) -> str:
        return str(self.block.get("block_id", ""))

    @property
    def element(self) -> dict[str, Any]:
        element: dict[str, Any] = self.block.get("element") or {}
        return element

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))

    @property
    def label(self) -> str:
        return str((self.block.get("label") or {}).get("text", ""))


def input_fields(view: dict[str, Any]) -> list[Field]:
    """The view's input blocks, numbered from 1."""
    inputs = [b for b in view.get("blocks") or [] if b.get("type") == "input"]
    return [Field(number, block) for number, block in enumerate(inputs, start=1)]


def initial_values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The state Slack starts a modal with: every field, at its initial value or empty."""
    values: dict[str, dict[str, Any]] = {}
    for found in input_fields(view):
        kind = str(found.element.get("type", ""))
        key, initial = VALUE_KEYS.get(kind, ("value", "initial_value"))
        empty: Any = [] if _many(key) else None
        entry = {"type": kind, key: found.element.get(initial, empty)}
        values.setdefault(found.block_id, {})[found.action_id] = entry
    return values


def _many(key: str) -> bool:
    """The keys of elements that hold several values are plural (`selected_options`, `files`)."""
    return key.endswith("s")


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """A menu's options, also those in option groups, in order."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def option_text(option: dict[str, Any]) -> str:
    return str((option.get("text") or {}).get("text", ""))


def pick_option(options: list[dict[str, Any]], choice: str) -> dict[str, Any]:
    """The option `choice` names: its number (from 1), its text or value (case-blind), or the
    only one whose text contains it."""
    wanted = choice.strip().casefold()
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    for option in options:
        if wanted in {option_text(option).casefold(), str(option.get("value", "")).casefold()}:
            return option
    near = [o for o in options if wanted and wanted in option_text(o).casefold()]
    if len(near) == 1:
        return near[0]
    listed = ", ".join(f"{n} {option_text(o)}" for n, o in enumerate(options, start=1))
    raise NotChosen(f"No single option matches “{choice}”. The options: {listed or 'none'}.")


@dataclass(frozen=True)
class Directory:
    """The workspace's people and channels, to read `@tom` and `#general` typed into a menu."""

    people: Callable[[str], str | None]
    channels: Callable[[str], str | None]


def chosen_value(
    element: dict[str, Any],
    typed: str,
    directory: Directory,
    options: Callable[[str], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """What Slack sends once `typed` is chosen in `element`: {key: value}, keyed as in
    VALUE_KEYS. `options(typed)` asks the app for an external menu's options."""
    kind = str(element.get("type", ""))
    key, _ = VALUE_KEYS.get(kind, ("value", ""))
    typed = typed.strip()
    many = _many(key)
    words = [w for w in _MANY.split(typed) if w] if many else [typed]
    if key == "value":
        if kind == "number_input" and typed and not _is_number(typed):
            raise NotChosen(f"“{typed}” is not a number.")
        return {key: typed or None}
    if key in {"selected_option", "selected_options"}:
        if "external" in kind:
            found = [_external(options, word) for word in words]
        else:
            found = [pick_option(options_of(element), word) for word in words]
        return {key: found if many else (found[0] if typed else None)}
    if key in {"selected_user", "selected_users"}:
        ids = [_named(directory.people, w, "person") for w in words]
        return {key: ids if many else (ids[0] if typed else None)}
    if "conversation" in key or "channel" in key:
        ids = [_named(directory.channels, w, "channel") for w in words]
        return {key: ids if many else (ids[0] if typed else None)}
    if key == "selected_date":
        return {key: _date(typed) if typed else None}
    if key == "selected_time":
        return {key: _time(typed) if typed else None}
    raise NotChosen(f"The shell cannot fill a {kind} field.")


def _external(options: Callable[[str], list[dict[str, Any]]] | None, typed: str) -> dict[str, Any]:
    """The option Slack's menu highlights for `typed` among the app's suggestions: the one
    it names, else the first (Enter picks the top one)."""
    suggested = options(typed) if options is not None else []
    if not suggested:
        raise NotChosen(f"The app suggests nothing for “{typed}”.")
    try:
        return pick_option(suggested, typed)
    except NotChosen:
        return suggested[0]


def _named(find: Callable[[str], str | None], typed: str, what: str) -> str:
    found = find(typed)
    if found is None:
        raise NotChosen(f"No {what} of this workspace is called “{typed}”.")
    return found


def _is_number(typed: str) -> bool:
    try:
        float(typed)
    except ValueError:
        return False
    return True


def _date(typed: str) -> str:
    try:
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        raise NotChosen(f"Type the date as YYYY-MM-DD, not “{typed}”.") from None


def _time(typed: str) -> str:
    try:
        return time.fromisoformat(typed).strftime("%H:%M")
    except ValueError:
        raise NotChosen(f"Type the time as HH:MM, not “{typed}”.") from None


def shown_value(entry: dict[str, Any]) -> str | None:
    """A field's value as the modal shows it, or None while it is empty."""
    for key, value in entry.items():
        if key == "type" or value in (None, [], ""):
            continue
        if isinstance(value, dict):
            return option_text(value)
        if isinstance(value, list):
            return ", ".join(_item(v) for v in value)
        return str(value)
    return None


def _item(value: Any) -> str:
    """One of several values: an option's text, a file's name, an ID."""
    if isinstance(value, dict):
        return option_text(value) or str(value.get("name", ""))
    return str(value)


@dataclass
class OpenModal:
    """A modal on screen: the view Slack stored, what has been filled in, and the errors the
    app returned for its fields (`response_action: errors`)."""

    view: dict[str, Any]
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = {**initial_values(self.view), **self.values}

    @property
    def title(self) -> str:
        return str((self.view.get("title") or {}).get("text", ""))

    @property
    def fields(self) -> list[Field]:
        return input_fields(self.view)

    def field(self, named: str) -> Field:
        """The field `named` by its number or its label (case-blind, or the only label that
        starts with it)."""
        fields = self.fields
        wanted = named.strip().casefold()
        if wanted.isdigit() and 1 <= int(wanted) <= len(fields):
            return fields[int(wanted) - 1]
        exact = [f for f in fields if f.label.casefold() == wanted]
        starting = [f for f in fields if f.label.casefold().startswith(wanted)]
        for found in (exact, starting):
            if len(found) == 1:
                return found[0]
        listed = ", ".join(f"{f.number} {f.label}" for f in fields)
        raise NotChosen(f"The form has no field “{named}”. Its fields: {listed}.")

    def entry(self, found: Field) -> dict[str, Any]:
        return self.values.get(found.block_id, {}).get(found.action_id, {})

    def set(self, found: Field, chosen: dict[str, Any]) -> None:
        entry = {"type": found.element.get("type"), **chosen}
        self.values.setdefault(found.block_id, {})[found.action_id] = entry
        self.errors.pop(found.block_id, None)

    def missing(self) -> dict[str, str]:
        """The required fields left empty, with what Slack's client says under each (it
        sends no submission while there are any)."""
        return {
            found.block_id: REQUIRED
            for found in self.fields
            if not found.block.get("optional") and shown_value(self.entry(found)) is None
        }

    def with_state(self) -> dict[str, Any]:
        """The view as Slack sends it back: with `state.values` as filled in."""
        return {**self.view, "state": {"values": self.values}}

    def shown_fields(self) -> Iterator[tuple[Field, str | None, str | None]]:
        """Each field with its value as shown (None while empty) and its error, if any."""
        for found in self.fields:
            yield found, shown_value(self.entry(found)), self.errors.get(found.block_id)
