"""Block Kit validation with Slack's own limits, as the sandbox applies them.

Each problem is reported the way Slack words it in `invalid_blocks` responses:
`must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}

_TEXT_TYPES = {"plain_text", "mrkdwn"}
_ELEMENT_TYPES = {
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "timepicker",
    "image",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
    "overflow",
    "plain_text_input",
    "radio_buttons",
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "email_text_input",
    "url_text_input",
    "number_input",
    "file_input",
    "rich_text_input",
}


class _Checker:
    def __init__(self, surface: str) -> None:
        self.surface = surface
        self.errors: list[str] = []
        self.block_ids: set[str] = set()
        self.action_ids: set[str] = set()

    def fail(self, message: str, pointer: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: int, pointer: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", pointer)

    def text(self, obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> None:
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

    def element(self, element: Any, pointer: str) -> None:
        if not isinstance(element, dict):
            self.fail("must provide an object", pointer)
            return
        kind = element.get("type")
        if kind not in _ELEMENT_TYPES:
            self.fail("unsupported type", f"{pointer}/type")
            return
        action_id = element.get("action_id")
        if action_id is not None:
            self.max_len(action_id, 255, f"{pointer}/action_id")
            if action_id in self.action_ids:
                self.fail(f"action_id {action_id!r} already exists", f"{pointer}/action_id")
            self.action_ids.add(action_id)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", 75, plain_only=True)
            self.max_len(element.get("value"), 2000, f"{pointer}/value")
            self.max_len(element.get("url"), 3000, f"{pointer}/url")
            if element.get("style") not in (None, "primary", "danger"):
                self.fail("must be one of ['danger', 'primary']", f"{pointer}/style")
        elif kind == "image":
            self._image(element, pointer)
        elif kind in {
            "static_select",
            "multi_static_select",
            "overflow",
            "radio_buttons",
            "checkboxes",
        }:
            options = element.get("options", [])
            if not element.get("option_groups") and not options:
                self.fail("must provide at least 1 item", f"{pointer}/options")
            limit = (
                5 if kind == "overflow" else 10 if kind in {"radio_buttons", "checkboxes"} else 100
            )
            if isinstance(options, list) and len(options) > limit:
                self.fail(f"no more than {limit} items allowed", f"{pointer}/options")

    def _image(self, image: dict[str, Any], pointer: str) -> None:
        # Slack words a missing field this way and points at the image, not at the field.
        if not image.get("image_url") and not image.get("slack_file"):
            self.fail("missing required field: image_url", pointer)
        self.max_len(image.get("image_url"), 3000, f"{pointer}/image_url")
        alt = image.get("alt_text")
        if alt is None:
            self.fail("missing required field: alt_text", pointer)
        elif not isinstance(alt, str):
            self.fail("must provide a string", f"{pointer}/alt_text")
        elif not alt:
            self.fail("must be more than 0 characters", f"{pointer}/alt_text")
        else:
            self.max_len(alt, 2000, f"{pointer}/alt_text")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail("must provide an object", pointer)
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.max_len(block_id, 255, f"{pointer}/block_id")
            if block_id in self.block_ids:
                self.fail(f"block_id {block_id!r} already exists", f"{pointer}/block_id")
            self.block_ids.add(block_id)
        check = _BLOCK_CHECKS.get(str(block.get("type")))
        if check is None:
            self.fail("unsupported type", f"{pointer}/type")
        else:
            check(self, block, pointer)

    # One method per block type; see _BLOCK_CHECKS.
    def section(self, block: dict[str, Any], pointer: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail("must provide text or fields", pointer)
        if "text" in block:
            self.text(block["text"], f"{pointer}/text", 3000)
        if "fields" in block:
            for i, field in enumerate(self.items(block["fields"], f"{pointer}/fields", 10)):
                self.text(field, f"{pointer}/fields/{i}", 2000)
        if "accessory" in block:
            self.element(block["accessory"], f"{pointer}/accessory")

    def header(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("text"), f"{pointer}/text", 150, plain_only=True)

    def image(self, block: dict[str, Any], pointer: str) -> None:
        self._image(block, pointer)
        if "title" in block:
            self.text(block["title"], f"{pointer}/title", 2000, plain_only=True)

    def items(self, value: Any, pointer: str, limit: int) -> list[Any]:
        """A non-empty array of at most `limit` items; what there is of it, to check further."""
        if not isinstance(value, list) or not value:
            self.fail("must provide at least 1 item", pointer)
            return []
        if len(value) > limit:
            self.fail(f"no more than {limit} items allowed", pointer)
        return value

    def context(self, block: dict[str, Any], pointer: str) -> None:
        elements = self.items(block.get("elements"), f"{pointer}/elements", 10)
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self._image(element, f"{pointer}/elements/{i}")
            else:
                self.text(element, f"{pointer}/elements/{i}", 3000)

    def actions(self, block: dict[str, Any], pointer: str) -> None:
        elements = self.items(block.get("elements"), f"{pointer}/elements", 25)
        for i, element in enumerate(elements):
            self.element(element, f"{pointer}/elements/{i}")

    def input(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", 2000, plain_only=True)
        if "hint" in block:
            self.text(block["hint"], f"{pointer}/hint", 2000, plain_only=True)
        self.element(block.get("element"), f"{pointer}/element")

    def divider(self, block: dict[str, Any], pointer: str) -> None:
        return None

    def rich_text(self, block: dict[str, Any], pointer: str) -> None:
        if not isinstance(block.get("elements"), list):
            self.fail("must provide an array", f"{pointer}/elements")

    def markdown(self, block: dict[str, Any], pointer: str) -> None:
        text = block.get("text")
        if not isinstance(text, str) or not text:
            self.fail("must provide a string", f"{pointer}/text")
        else:
            self.max_len(text, 12000, f"{pointer}/text")


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
        checker.text(view.get("title"), "/view/title", 24, plain_only=True)
        for button in ("submit", "close"):
            if button in view:
                checker.text(view[button], f"/view/{button}", 24, plain_only=True)
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
    checker.max_len(view.get("private_metadata"), 3000, "/view/private_metadata")
    checker.max_len(view.get("callback_id"), 255, "/view/callback_id")
    checker.max_len(view.get("external_id"), 255, "/view/external_id")
    if checker.errors:
        return "invalid_arguments", checker.errors
    # views.* answer invalid_arguments (never invalid_blocks) for bad blocks too.
    block_errors = validate_blocks(view.get("blocks", []), view["type"], "/view/blocks")
    return ("invalid_arguments", block_errors) if block_errors else ("", [])
