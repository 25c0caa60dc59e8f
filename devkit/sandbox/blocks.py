"""Block Kit validation with Slack's own limits, as the sandbox applies them.

Two passes over what the app sends. The first walks the JSON against LIMITS, a table of Slack's
documented limits, each row citing the reference page that states it; it also checks what no
length expresses (required fields, which elements a block takes, an initial option that is one of
the options, unique ids, a date's format, well-formed mrkdwn). The second parses every block with
`slack_sdk`'s own Block Kit models and runs each model's `validate_json()`, so whatever the SDK
knows is checked too; its complaint counts where the first pass found nothing at the same place.

Each problem is reported the way Slack words it in `invalid_blocks` responses:
`must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. Lengths count
characters, not bytes, as Slack does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

_BLOCKS = "https://api.slack.com/reference/block-kit/blocks"
_ELEMENTS = "https://api.slack.com/reference/block-kit/block-elements"
_OBJECTS = "https://api.slack.com/reference/block-kit/composition-objects"
_VIEWS = "https://api.slack.com/reference/surfaces/views"


@dataclass(frozen=True)
class Limit:
    """One documented limit: at most `most` characters (or items), as `page` states it."""

    most: int
    page: str


LIMITS: dict[str, Limit] = {
    "blocks.message": Limit(50, _BLOCKS),
    "blocks.modal": Limit(100, _BLOCKS),
    "blocks.home": Limit(100, _BLOCKS),
    "block_id": Limit(255, f"{_BLOCKS}#section"),
    "action_id": Limit(255, f"{_ELEMENTS}#button"),
    "text.text": Limit(3000, f"{_OBJECTS}#text"),
    "section.text": Limit(3000, f"{_BLOCKS}#section"),
    "section.fields": Limit(10, f"{_BLOCKS}#section"),
    "section.field": Limit(2000, f"{_BLOCKS}#section"),
    "header.text": Limit(150, f"{_BLOCKS}#header"),
    "context.elements": Limit(10, f"{_BLOCKS}#context"),
    "actions.elements": Limit(25, f"{_BLOCKS}#actions"),
    "input.label": Limit(2000, f"{_BLOCKS}#input"),
    "input.hint": Limit(2000, f"{_BLOCKS}#input"),
    "image.title": Limit(2000, f"{_BLOCKS}#image"),
    "image.image_url": Limit(3000, f"{_BLOCKS}#image"),
    "image.alt_text": Limit(2000, f"{_BLOCKS}#image"),
    "markdown.text": Limit(12000, f"{_BLOCKS}#markdown"),
    "button.text": Limit(75, f"{_ELEMENTS}#button"),
    "button.value": Limit(2000, f"{_ELEMENTS}#button"),
    "button.url": Limit(3000, f"{_ELEMENTS}#button"),
    "button.accessibility_label": Limit(75, f"{_ELEMENTS}#button"),
    "placeholder": Limit(150, f"{_ELEMENTS}#static_select"),
    "plain_text_input.placeholder": Limit(150, f"{_ELEMENTS}#input"),
    "plain_text_input.min_length": Limit(3000, f"{_ELEMENTS}#input"),
    "plain_text_input.max_length": Limit(3000, f"{_ELEMENTS}#input"),
    "select.options": Limit(100, f"{_ELEMENTS}#static_select"),
    "select.option_groups": Limit(100, f"{_ELEMENTS}#static_select"),
    "overflow.options": Limit(5, f"{_ELEMENTS}#overflow"),
    "checkboxes.options": Limit(10, f"{_ELEMENTS}#checkboxes"),
    "radio_buttons.options": Limit(10, f"{_ELEMENTS}#radio"),
    "option.text": Limit(75, f"{_OBJECTS}#option"),
    "option.value": Limit(150, f"{_OBJECTS}#option"),
    "option.description": Limit(75, f"{_OBJECTS}#option"),
    "option.url": Limit(3000, f"{_OBJECTS}#option"),
    "option_group.label": Limit(75, f"{_OBJECTS}#option_group"),
    "option_group.options": Limit(100, f"{_OBJECTS}#option_group"),
    "confirm.title": Limit(100, f"{_OBJECTS}#confirm"),
    "confirm.text": Limit(300, f"{_OBJECTS}#confirm"),
    "confirm.confirm": Limit(30, f"{_OBJECTS}#confirm"),
    "confirm.deny": Limit(30, f"{_OBJECTS}#confirm"),
    "view.title": Limit(24, _VIEWS),
    "view.submit": Limit(24, _VIEWS),
    "view.close": Limit(24, _VIEWS),
    "view.private_metadata": Limit(3000, _VIEWS),
    "view.callback_id": Limit(255, _VIEWS),
    "view.external_id": Limit(255, _VIEWS),
    "message.text": Limit(40000, "https://api.slack.com/methods/chat.postMessage#truncating"),
}
MAX_BLOCKS = {surface: LIMITS[f"blocks.{surface}"].most for surface in ("message", "modal", "home")}

_TEXT_TYPES = {"plain_text", "mrkdwn"}
_SELECTS = {"static_select", "multi_static_select"}
_MENUS = {
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
}
_PICKERS = {"datepicker", "timepicker", "datetimepicker"}
_TEXT_INPUTS = {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
# Which elements each place takes (Slack's "works with block types" on each element's page).
_ACCESSORY = {"button", "checkboxes", "image", "overflow", "radio_buttons", *_SELECTS, *_MENUS}
_ACCESSORY |= {"datepicker", "timepicker"}
_ACTIONS = {"button", "checkboxes", "overflow", "radio_buttons", *_SELECTS, *_MENUS, *_PICKERS}
_ACTIONS |= {"rich_text_input"}
_INPUT = {"checkboxes", "radio_buttons", *_SELECTS, *_MENUS, *_PICKERS, *_TEXT_INPUTS}
_INPUT |= {"file_input", "rich_text_input"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")

# What may follow `<` in mrkdwn: Slack's control sequences (mentions, channels, special
# mentions, dates, links), each up to its closing `>`.
_CONTROL_SEQUENCE = re.compile(
    r"<(?:"
    r"@[UW][A-Z0-9]+"
    r"|#[CG][A-Z0-9]+"
    r"|!(?:here|channel|everyone)"
    r"|!subteam\^[A-Z0-9]+"
    r"|!date\^\d+\^[^|<>]+(?:\^[^|<>]+)?\|[^|<>]+"
    r"|(?:https?://|mailto:|tel:|slack://)[^|<>\s]+"
    r")(?:\|[^<>]*)?>"
)
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def mrkdwn_problems(text: str) -> list[str]:
    """What in `text` Slack would not render as written: an `<` that opens no control sequence,
    a `>` that neither closes one nor starts a quote line, an `&` that starts no entity (a link's
    or a mention's label included)."""
    problems = []
    closing = -1  # where the control sequence being read ends
    at = 0
    while at < len(text):
        char = text[at]
        if char == "<":
            sequence = _CONTROL_SEQUENCE.match(text, at)
            if sequence is None:
                problems.append(_unescaped(text, at, "&lt;"))
            else:
                closing = sequence.end() - 1
                label = text.find("|", at, closing)
                at = closing if label < 0 else label  # read the label on, its `&` too
                continue
        elif char == ">" and at != closing and at > 0 and text[at - 1] != "\n":
            problems.append(_unescaped(text, at, "&gt;"))
        elif char == "&" and not _ENTITY.match(text, at):
            problems.append(_unescaped(text, at, "&amp;"))
        at += 1
    return problems


def _unescaped(text: str, at: int, entity: str) -> str:
    around = text[max(0, at - 10) : at + 10].replace("\n", " ")
    return f"unescaped `{text[at]}` in mrkdwn at character {at} (…{around}…): write {entity}"


class _Checker:
    def __init__(self, surface: str) -> None:
        self.surface = surface
        self.errors: list[str] = []
        self.block_ids: set[str] = set()
        self.action_ids: set[str] = set()

    def fail(self, message: str, pointer: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: str, pointer: str) -> None:
        most = LIMITS[limit].most
        if isinstance(value, str) and len(value) > most:
            self.fail(f"must be less than {most + 1} characters", pointer)

    def required(self, obj: dict[str, Any], name: str, pointer: str) -> bool:
        if obj.get(name) in (None, ""):
            # Slack words a missing field this way and points at the object, not at the field.
            self.fail(f"missing required field: {name}", pointer)
            return False
        return True

    def mrkdwn(self, text: str, pointer: str) -> None:
        for problem in mrkdwn_problems(text):
            self.fail(problem, pointer)

    def text(
        self, obj: Any, pointer: str, limit: str = "text.text", *, plain_only: bool = False
    ) -> None:
        if not isinstance(obj, dict):
            self.fail("must provide an object", pointer)
            return
        kind = obj.get("type")
        allowed = {"plain_text"} if plain_only else _TEXT_TYPES
        if kind not in allowed:
            self.fail(f"must be one of {sorted(allowed)}", f"{pointer}/type")
            return
        value = obj.get("text")
        if not isinstance(value, str):
            self.fail("must provide a string", f"{pointer}/text")
        elif not value:
            self.fail("must be more than 0 characters", f"{pointer}/text")
        else:
            self.max_len(value, limit, f"{pointer}/text")
            if kind == "mrkdwn":
                self.mrkdwn(value, f"{pointer}/text")

    def items(self, value: Any, pointer: str, limit: str) -> list[Any]:
        """A non-empty array of at most `limit` items; what there is of it, to check further."""
        if not isinstance(value, list) or not value:
            self.fail("must provide at least 1 item", pointer)
            return []
        most = LIMITS[limit].most
        if len(value) > most:
            self.fail(f"no more than {most} items allowed", pointer)
        return value

    def element(self, element: Any, pointer: str, allowed: set[str]) -> None:
        if not isinstance(element, dict):
            self.fail("must provide an object", pointer)
            return
        kind = element.get("type")
        if kind not in allowed:
            self.fail("unsupported type", f"{pointer}/type")
            return
        action_id = element.get("action_id")
        if action_id is not None:
            self.max_len(action_id, "action_id", f"{pointer}/action_id")
            if action_id in self.action_ids:
                self.fail(f"action_id {action_id!r} already exists", f"{pointer}/action_id")
            self.action_ids.add(action_id)
        if "confirm" in element:
            self.confirm(element["confirm"], f"{pointer}/confirm")
        if "placeholder" in element:
            limit = f"{kind}.placeholder" if f"{kind}.placeholder" in LIMITS else "placeholder"
            self.text(element["placeholder"], f"{pointer}/placeholder", limit, plain_only=True)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", "button.text", plain_only=True)
            for name in ("value", "url", "accessibility_label"):
                self.max_len(element.get(name), f"button.{name}", f"{pointer}/{name}")
            if element.get("style") not in (None, "primary", "danger"):
                self.fail("must be one of ['danger', 'primary']", f"{pointer}/style")
        elif kind == "image":
            self._image(element, pointer)
        elif kind == "plain_text_input":
            self._text_input(element, pointer)
        elif kind in _SELECTS or kind in {"overflow", "radio_buttons", "checkboxes"}:
            self._choices(element, pointer)
        elif kind == "datepicker" and "initial_date" in element:
            self._initial_date(element["initial_date"], f"{pointer}/initial_date")
        elif kind == "timepicker" and not _TIME.fullmatch(
            str(element.get("initial_time", "00:00"))
        ):
            self.fail("must be in the format HH:mm", f"{pointer}/initial_time")

    def _initial_date(self, value: Any, pointer: str) -> None:
        try:
            valid = bool(_DATE.fullmatch(str(value))) and bool(date.fromisoformat(str(value)))
        except ValueError:
            valid = False
        if not valid:
            self.fail("must be a valid date in the format YYYY-MM-DD", pointer)

    def _text_input(self, element: dict[str, Any], pointer: str) -> None:
        bounds: dict[str, int] = {}
        for name, least in (("min_length", 0), ("max_length", 1)):
            if name not in element:
                continue
            value = element[name]
            most = LIMITS[f"plain_text_input.{name}"].most
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail("must provide an integer", f"{pointer}/{name}")
            elif not least <= value <= most:
                self.fail(f"must be between {least} and {most}", f"{pointer}/{name}")
            else:
                bounds[name] = value
        if bounds.get("min_length", 0) > bounds.get("max_length", 3000):
            self.fail("must be less than or equal to max_length", f"{pointer}/min_length")
        initial = element.get("initial_value")
        if isinstance(initial, str) and len(initial) > bounds.get("max_length", 3000):
            self.fail("must be no longer than max_length", f"{pointer}/initial_value")

    def option(self, option: Any, pointer: str, *, url: bool = False) -> None:
        if not isinstance(option, dict):
            self.fail("must provide an object", pointer)
            return
        self.text(option.get("text"), f"{pointer}/text", "option.text")
        if "description" in option:
            self.text(option["description"], f"{pointer}/description", "option.description")
        if self.required(option, "value", pointer):
            self.max_len(option["value"], "option.value", f"{pointer}/value")
        if "url" in option:
            if url:
                self.max_len(option["url"], "option.url", f"{pointer}/url")
            else:
                self.fail("url is only allowed in overflow menus", f"{pointer}/url")

    def _choices(self, element: dict[str, Any], pointer: str) -> None:
        kind = str(element["type"])
        limit = "select.options" if kind in _SELECTS else f"{kind}.options"
        options: list[Any] = []
        if kind in _SELECTS and "option_groups" in element:
            if "options" in element:
                self.fail("must provide either options or option_groups", pointer)
            groups = self.items(
                element["option_groups"], f"{pointer}/option_groups", "select.option_groups"
            )
            for g, group in enumerate(groups):
                where = f"{pointer}/option_groups/{g}"
                if not isinstance(group, dict):
                    self.fail("must provide an object", where)
                    continue
                label = "option_group.label"
                self.text(group.get("label"), f"{where}/label", label, plain_only=True)
                found = self.items(group.get("options"), f"{where}/options", "option_group.options")
                for i, option in enumerate(found):
                    self.option(option, f"{where}/options/{i}")
                options += found
        else:
            options = self.items(element.get("options"), f"{pointer}/options", limit)
            for i, option in enumerate(options):
                self.option(option, f"{pointer}/options/{i}", url=kind == "overflow")
        chosen = [element["initial_option"]] if "initial_option" in element else []
        chosen += element.get("initial_options") or []
        name = "initial_option" if "initial_option" in element else "initial_options"
        for one in chosen:
            if one not in options:
                self.fail("must match one of the options", f"{pointer}/{name}")
                break

    def confirm(self, confirm: Any, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.fail("must provide an object", pointer)
            return
        for name in ("title", "text", "confirm", "deny"):
            plain = name != "text"
            self.text(confirm.get(name), f"{pointer}/{name}", f"confirm.{name}", plain_only=plain)
        if confirm.get("style") not in (None, "primary", "danger"):
            self.fail("must be one of ['danger', 'primary']", f"{pointer}/style")

    def _image(self, image: dict[str, Any], pointer: str) -> None:
        if not image.get("image_url") and not image.get("slack_file"):
            self.fail("missing required field: image_url", pointer)
        self.max_len(image.get("image_url"), "image.image_url", f"{pointer}/image_url")
        alt = image.get("alt_text")
        if alt is None:
            self.fail("missing required field: alt_text", pointer)
        elif not isinstance(alt, str):
            self.fail("must provide a string", f"{pointer}/alt_text")
        elif not alt:
            self.fail("must be more than 0 characters", f"{pointer}/alt_text")
        else:
            self.max_len(alt, "image.alt_text", f"{pointer}/alt_text")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail("must provide an object", pointer)
            return
        before = len(self.errors)
        block_id = block.get("block_id")
        if block_id is not None:
            self.max_len(block_id, "block_id", f"{pointer}/block_id")
            if block_id in self.block_ids:
                self.fail(f"block_id {block_id!r} already exists", f"{pointer}/block_id")
            self.block_ids.add(block_id)
        # An action_id is unique in its block (the element pages: "unique among all other
        # action_ids in the containing block"); a list repeats one in each item's block.
        self.action_ids = set()
        check = _BLOCK_CHECKS.get(str(block.get("type")))
        if check is None:
            self.fail("unsupported type", f"{pointer}/type")
            return
        check(self, block, pointer)
        if len(self.errors) == before:
            # The SDK's models know some rules the table does not; they judge what passed it.
            self.errors += _sdk_problems(block, pointer)

    # One method per block type; see _BLOCK_CHECKS.
    def section(self, block: dict[str, Any], pointer: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail("must provide text or fields", pointer)
        if "text" in block:
            self.text(block["text"], f"{pointer}/text", "section.text")
        if "fields" in block:
            fields = self.items(block["fields"], f"{pointer}/fields", "section.fields")
            for i, field in enumerate(fields):
                self.text(field, f"{pointer}/fields/{i}", "section.field")
        if "accessory" in block:
            self.element(block["accessory"], f"{pointer}/accessory", _ACCESSORY)

    def header(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("text"), f"{pointer}/text", "header.text", plain_only=True)

    def image(self, block: dict[str, Any], pointer: str) -> None:
        self._image(block, pointer)
        if "title" in block:
            self.text(block["title"], f"{pointer}/title", "image.title", plain_only=True)

    def context(self, block: dict[str, Any], pointer: str) -> None:
        elements = self.items(block.get("elements"), f"{pointer}/elements", "context.elements")
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self._image(element, f"{pointer}/elements/{i}")
            else:
                self.text(element, f"{pointer}/elements/{i}")

    def actions(self, block: dict[str, Any], pointer: str) -> None:
        elements = self.items(block.get("elements"), f"{pointer}/elements", "actions.elements")
        for i, element in enumerate(elements):
            self.element(element, f"{pointer}/elements/{i}", _ACTIONS)

    def input(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", "input.label", plain_only=True)
        if "hint" in block:
            self.text(block["hint"], f"{pointer}/hint", "input.hint", plain_only=True)
        self.element(block.get("element"), f"{pointer}/element", _INPUT)

    def divider(self, block: dict[str, Any], pointer: str) -> None:
        return None

    def rich_text(self, block: dict[str, Any], pointer: str) -> None:
        if not isinstance(block.get("elements"), list):
            self.fail("must provide an array", f"{pointer}/elements")

    def markdown(self, block: dict[str, Any], pointer: str) -> None:
        # Standard markdown, not mrkdwn: Slack escapes it itself.
        text = block.get("text")
        if not isinstance(text, str) or not text:
            self.fail("must provide a string", f"{pointer}/text")
        else:
            self.max_len(text, "markdown.text", f"{pointer}/text")


_BLOCK_CHECKS: dict[str, Callable[[_Checker, dict[str, Any], str], None]] = {
    name: getattr(_Checker, name)
    for name in (
        "section",
        "header",
        "image",
        "context",
        "actions",
        "input",
        "divider",
        "rich_text",
        "markdown",
    )
}

_SDK_LENGTH = re.compile(r"^(\w+) attribute cannot exceed (\d+) characters$")
_SDK_COUNT = re.compile(r"^(\w+) attribute cannot exceed (\d+) (?:elements|items|blocks)$")


def _sdk_problems(block: dict[str, Any], pointer: str) -> list[str]:
    """What `slack_sdk`'s models say about a block: each model in it, validated, its complaint
    worded as Slack words it where the SDK names the attribute and the limit."""
    try:
        model = Block.parse(block)
    except (SlackObjectFormationError, TypeError, KeyError, ValueError) as error:
        return [f"{error} [json-pointer:{pointer}]"]
    return _model_problems(model, block, pointer) if model is not None else []


def _model_problems(model: Any, data: Any, pointer: str) -> list[str]:
    if isinstance(model, list) and isinstance(data, list):
        return [
            problem
            for i, (one, raw) in enumerate(zip(model, data, strict=False))
            for problem in _model_problems(one, raw, f"{pointer}/{i}")
        ]
    if not isinstance(model, JsonObject) or not isinstance(data, dict):
        return []
    try:
        model.validate_json()
    except SlackObjectFormationError as error:
        return [_slack_worded(str(error), data, pointer)]
    return [
        problem
        for name, raw in data.items()
        for problem in _model_problems(getattr(model, name, None), raw, f"{pointer}/{name}")
    ]


def _slack_worded(message: str, data: dict[str, Any], pointer: str) -> str:
    length = _SDK_LENGTH.match(message)
    if length is not None:
        name, most = length.group(1), int(length.group(2))
        where = f"{pointer}/{name}" + ("/text" if isinstance(data.get(name), dict) else "")
        return f"must be less than {most + 1} characters [json-pointer:{where}]"
    count = _SDK_COUNT.match(message)
    if count is not None:
        where = f"{pointer}/{count.group(1)}"
        return f"no more than {count.group(2)} items allowed [json-pointer:{where}]"
    return f"{message} [json-pointer:{pointer}]"


def validate_blocks(blocks: Any, surface: str = "message", root: str = "/blocks") -> list[str]:
    """Slack's complaints about `blocks` on a surface (message, modal or home); [] when valid.

    `root` is where the blocks sit in the request: `/blocks` in a message, `/view/blocks` in a
    view, which is how Slack's json-pointers name them.
    """
    checker = _Checker(surface)
    if not isinstance(blocks, list):
        checker.fail("must provide an array", root)
        return checker.errors
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        checker.fail(f"no more than {limit} items allowed", root)
    for i, block in enumerate(blocks):
        if surface == "message" and isinstance(block, dict) and block.get("type") == "input":
            checker.fail("input blocks are only allowed in modals and Home tabs", f"{root}/{i}")
            continue
        checker.block(block, f"{root}/{i}")
    return checker.errors


def validate_message(message: dict[str, Any], text: str = "text") -> list[str]:
    """Slack's complaints about a message's `text` and `blocks` (chat.*, a response URL, an
    upload's `initial_comment`: name it as `text`); [] when valid. The text is mrkdwn unless
    `mrkdwn` is false."""
    checker = _Checker("message")
    value = message.get(text)
    if isinstance(value, str) and message.get("mrkdwn") not in (False, "false", "0"):
        checker.mrkdwn(value, f"/{text}")
    if message.get("blocks") is not None:
        checker.errors += validate_blocks(message["blocks"], "message")
    return checker.errors


def validate_options(answer: dict[str, Any]) -> list[str]:
    """Slack's complaints about an options load's answer (`options` or `option_groups`)."""
    checker = _Checker("message")
    if "option_groups" in answer:
        checker._choices({"type": "static_select", **answer}, "")
    else:
        for i, option in enumerate(answer.get("options") or []):
            checker.option(option, f"/options/{i}")
    return checker.errors


def validate_view(view: Any) -> tuple[str, list[str]]:
    """Slack's error code and complaints about a view (modal or Home tab); ("", []) when valid.

    Slack answers `invalid_arguments` for every problem in a view, block problems included, with
    json-pointers under `/view`.
    """
    if not isinstance(view, dict) or view.get("type") not in {"modal", "home"}:
        return "invalid_arguments", [
            "must provide a view of type modal or home [json-pointer:/view]"
        ]
    checker = _Checker(view["type"])
    if view["type"] == "modal":
        checker.text(view.get("title"), "/view/title", "view.title", plain_only=True)
        for button in ("submit", "close"):
            if button in view:
                checker.text(view[button], f"/view/{button}", f"view.{button}", plain_only=True)
        blocks = view.get("blocks")
        blocks = blocks if isinstance(blocks, list) else []
        first_input = next(
            (i for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("type") == "input"),
            None,
        )
        if first_input is not None and "submit" not in view:
            checker.fail(
                "must define `submit` to use an `input` block in modals",
                f"/view/blocks/{first_input}/input",
            )
    for name in ("private_metadata", "callback_id", "external_id"):
        checker.max_len(view.get(name), f"view.{name}", f"/view/{name}")
    if not checker.errors:
        checker.errors += _view_model_problems(view)
    if checker.errors:
        return "invalid_arguments", checker.errors
    # views.* answer invalid_arguments (never invalid_blocks) for bad blocks too.
    block_errors = validate_blocks(view.get("blocks", []), view["type"], "/view/blocks")
    return ("invalid_arguments", block_errors) if block_errors else ("", [])


def _view_model_problems(view: dict[str, Any]) -> list[str]:
    """The SDK's View model's complaints about the view's own fields (its blocks aside)."""
    try:
        own = {k: v for k, v in view.items() if k != "blocks"}
        View(**own, blocks=[{"type": "divider"}]).validate_json()
    except SlackObjectFormationError as error:
        return [_slack_worded(str(error), view, "/view")]
    except TypeError as error:
        return [f"{error} [json-pointer:/view]"]
    return []
