"""Block Kit rendered as terminal text, for the offline shell, and at a phone's width.

The shell prints at WIDTH columns. `phone_screens` renders the same blocks the way Slack's mobile
app lays them out, about PHONE_WIDTH characters to a line and PHONE_SCREEN_LINES lines to a
screen, so tests can state how many screens an answer may take.

Given a `Numbering`, what a person can act on is numbered as it is drawn: each button, menu,
overflow and picker as `[2 Details]` (the shell's `click 2`, `choose 2 …`), and a modal's
fields as `1. Creator: …` with what was filled in and the app's error under it (`set 1 …`).
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from devkit.sandbox.state import OpenModal, option_text, options_of

WIDTH = 88
PHONE_WIDTH = 42  # characters of message text across a phone held upright
PHONE_SCREEN_LINES = 25  # lines of message text one phone screen shows between header and composer
_PHONE_IMAGE_LINES = 12  # an image block takes about half a phone screen
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]+))?>")
_CHANNEL_MENTION = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]+))?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^>]+)>")
_SPECIAL = re.compile(r"<!(\w+)(?:\|([^>]+))?>")
_BOLD = re.compile(r"(?<![\w*])\*(\S(?:[^*\n]*\S)?)\*(?![\w*])")
EMOJI = {
    ":warning:": "⚠",
    ":white_check_mark:": "✔",
    ":x:": "✖",
    ":chart_with_upwards_trend:": "📈",
    ":chart_with_downwards_trend:": "📉",
    ":tada:": "🎉",
    ":bell:": "🔔",
}
_TYPED = frozenset({"plain_text_input", "number_input", "email_text_input", "url_text_input"})
_CHOICES = frozenset({"checkboxes", "radio_buttons"})
_EMOJI = re.compile("|".join(re.escape(code) for code in EMOJI))


def mrkdwn_to_text(text: str) -> str:
    """Slack's link, mention, bold and emoji syntax made readable; entities decoded last."""
    text = _BOLD.sub(r"\1", text)
    text = _EMOJI.sub(lambda m: EMOJI[m.group(0)], text)
    text = _USER_MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _CHANNEL_MENTION.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(r"\2 (\1)", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return html.unescape(text)


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        value = str(obj.get("text", ""))
        return mrkdwn_to_text(value) if obj.get("type") == "mrkdwn" else value
    return ""


def _wrap(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines += textwrap.wrap(
            line, width, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False
        ) or [indent.rstrip()]
    return lines


@dataclass
class Numbering:
    """The numbers given, in the order drawn, to the elements a person can act on: (block_id,
    element) each; and the modal whose fields are numbered, when a modal is drawn."""

    controls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    modal: OpenModal | None = None

    def number(self, block_id: str, element: dict[str, Any]) -> int:
        self.controls.append((block_id, element))
        return len(self.controls)


def _element(element: Any, numbering: Numbering | None = None, block_id: str = "") -> str:
    if not isinstance(element, dict):
        return ""
    kind = element.get("type")
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    if numbering is not None and "action_id" in element:
        return f"[{numbering.number(block_id, element)} {_control(element)}]"
    if kind == "button":
        return f"[ {_text(element.get('text'))} ]"
    placeholder = _text(element.get("placeholder"))
    if kind in _TYPED:
        return f"[ {placeholder or '…'} ]"
    if kind == "datepicker":
        return f"[ 📅 {placeholder or 'date'} ]"
    if placeholder:
        return f"[ {placeholder} ▾ ]"
    return f"[{kind}]"


def _control(element: dict[str, Any]) -> str:
    """What a numbered element shows: a button's text, an overflow's items, a menu's choice."""
    kind = str(element.get("type", ""))
    if kind == "button":
        return _text(element.get("text"))
    options = [option_text(o) for o in options_of(element)]
    if kind == "overflow":
        return "⋯ " + " · ".join(options)
    if kind in {"checkboxes", "radio_buttons"}:
        chosen = {option_text(o) for o in element.get("initial_options") or []}
        chosen.add(option_text(element.get("initial_option") or {}))
        return " · ".join(("☑ " if text in chosen else "☐ ") + text for text in options)
    initial = element.get("initial_date") or element.get("initial_time")
    initial = initial or option_text(element.get("initial_option") or {})
    initial = initial or ", ".join(option_text(o) for o in element.get("initial_options") or [])
    shown = initial or _text(element.get("placeholder")) or kind
    return f"📅 {shown}" if kind == "datepicker" else f"{shown} ▾"


def _columns(left: list[str], right: list[str], width: int = WIDTH) -> list[str]:
    """Two fields side by side, as Slack lays them out: each takes half of `width`."""
    half = width // 2
    left = [piece for line in left for piece in _wrap(line, width=half - 1)]
    right = [piece for line in right for piece in _wrap(line, width=width - half - 1)]
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [f"{a:<{half}} {b}".rstrip() for a, b in zip(left, right, strict=True)]


def render_block(
    block: dict[str, Any], numbering: Numbering | None = None, index: int = 0, width: int = WIDTH
) -> list[str]:
    """One block as lines of at most `width` characters (longer only where one word is);
    `numbering` numbers its elements (`index`: its place, which names a block that has no
    block_id)."""
    kind = block.get("type")
    block_id = str(block.get("block_id") or f"block-{index}")
    if kind == "header":
        title = _text(block.get("text"))
        return [*_wrap(title.upper(), width=width), "═" * min(len(title), width)]
    if kind == "divider":
        return ["─" * min(40, width)]
    if kind == "section":
        lines = _wrap(_text(block.get("text")), width=width) if block.get("text") else []
        fields = [_text(f) for f in block.get("fields", [])]
        for left, right in zip(fields[::2], [*fields[1::2], ""], strict=False):
            lines += _columns(left.splitlines(), right.splitlines(), width)
        if block.get("accessory"):
            lines.append("  " + _element(block["accessory"], numbering, block_id))
        return lines
    if kind == "context":
        return _wrap(
            "  ".join(
                _text(e) if e.get("type") != "image" else _element(e)
                for e in block.get("elements", [])
            ),
            "  ",
            width,
        )
    if kind == "actions":
        controls = "  ".join(_element(e, numbering, block_id) for e in block.get("elements", []))
        return _wrap(controls, width=width)
    if kind == "image":
        return _wrap(
            f"(image: {block.get('alt_text', '')} — {block.get('image_url', '')})", width=width
        )
    if kind == "input":
        return _field(block, numbering.modal if numbering else None)
    return [f"({kind} block)"]


def _field(block: dict[str, Any], modal: OpenModal | None) -> list[str]:
    """An input block: its label and element; in an open modal, numbered, with its value
    once filled in and the app's error for it."""
    label = f"{_text(block.get('label'))}: "
    if modal is None:
        return [label + _element(block.get("element"))]
    for found, value, error in modal.shown_fields():
        if found.block is block or found.block == block:
            optional = " (optional)" if block.get("optional") else ""
            element = block.get("element") or {}
            empty = _control(element) if element.get("type") in _CHOICES else _element(element)
            lines = [f"{found.number}. {label}{value or empty}{optional}"]
            return lines + ([f"   ⚠ {error}"] if error else [])
    return [label + _element(block.get("element"))]


def render_blocks(
    blocks: list[dict[str, Any]],
    fallback: str = "",
    numbering: Numbering | None = None,
    width: int = WIDTH,
) -> str:
    """The blocks as lines of text, or the fallback text when there are none; `numbering`
    numbers what can be acted on."""
    if not blocks:
        return "\n".join(_wrap(mrkdwn_to_text(fallback), width=width))
    lines: list[str] = []
    for index, block in enumerate(blocks):
        lines += render_block(block, numbering, index, width)
    return "\n".join(lines)


def phone_lines(blocks: list[dict[str, Any]], fallback: str = "") -> int:
    """How many lines of a phone screen the message takes: its text at PHONE_WIDTH, an image
    as half a screen, a row of buttons as the two lines it stands in."""
    if not blocks:
        return len(_wrap(mrkdwn_to_text(fallback), width=PHONE_WIDTH))
    lines = 0
    for index, block in enumerate(blocks):
        rendered = render_block(block, None, index, PHONE_WIDTH)
        if block.get("type") == "image":
            lines += _PHONE_IMAGE_LINES
        elif block.get("type") == "actions":
            lines += 2 * len(rendered)
        else:
            lines += len(rendered)
    return lines


def phone_screens(blocks: list[dict[str, Any]], fallback: str = "") -> float:
    """How many phone screens the message fills (1.0 is exactly one)."""
    return round(phone_lines(blocks, fallback) / PHONE_SCREEN_LINES, 2)
