"""Block Kit rendered as terminal text, for the offline shell, and at a phone's width.

The shell prints at WIDTH columns. `phone_screens` renders the same blocks the way Slack's mobile
app lays them out, about PHONE_WIDTH characters to a line and PHONE_SCREEN_LINES lines to a
screen, so tests can state how many screens an answer may take.
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

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


def _element(element: Any) -> str:
    if not isinstance(element, dict):
        return ""
    kind = element.get("type")
    if kind == "button":
        return f"[ {_text(element.get('text'))} ]"
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    if "placeholder" in element:
        return f"[ {_text(element['placeholder'])} ▾ ]"
    return f"[{kind}]"


def _columns(left: list[str], right: list[str], width: int = WIDTH) -> list[str]:
    """Two fields side by side, as Slack lays them out: each takes half of `width`."""
    half = width // 2
    left = [piece for line in left for piece in _wrap(line, width=half - 1)]
    right = [piece for line in right for piece in _wrap(line, width=width - half - 1)]
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [f"{a:<{half}} {b}".rstrip() for a, b in zip(left, right, strict=True)]


def render_block(block: dict[str, Any], width: int = WIDTH) -> list[str]:
    """One block as lines of at most `width` characters (the text may run longer only where
    a single word does)."""
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"))
        lines = _wrap(title.upper(), width=width)
        return [*lines, "═" * min(len(title), width)]
    if kind == "divider":
        return ["─" * min(40, width)]
    if kind == "section":
        lines = _wrap(_text(block.get("text")), width=width) if block.get("text") else []
        fields = [_text(f) for f in block.get("fields", [])]
        for left, right in zip(fields[::2], [*fields[1::2], ""], strict=False):
            lines += _columns(left.splitlines(), right.splitlines(), width)
        if block.get("accessory"):
            lines.append("  " + _element(block["accessory"]))
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
        return _wrap("  ".join(_element(e) for e in block.get("elements", [])), width=width)
    if kind == "image":
        return _wrap(
            f"(image: {block.get('alt_text', '')} — {block.get('image_url', '')})", width=width
        )
    if kind == "input":
        return [f"{_text(block.get('label'))}: {_element(block.get('element'))}"]
    return [f"({kind} block)"]


def render_blocks(blocks: list[dict[str, Any]], fallback: str = "", width: int = WIDTH) -> str:
    """The blocks as lines of text, or the fallback text when there are none."""
    if not blocks:
        return "\n".join(_wrap(mrkdwn_to_text(fallback), width=width))
    lines: list[str] = []
    for block in blocks:
        lines += render_block(block, width)
    return "\n".join(lines)


def phone_lines(blocks: list[dict[str, Any]], fallback: str = "") -> int:
    """How many lines of a phone screen the message takes: its text at PHONE_WIDTH, an image
    as half a screen, a row of buttons as the two lines it stands in."""
    if not blocks:
        return len(_wrap(mrkdwn_to_text(fallback), width=PHONE_WIDTH))
    lines = 0
    for block in blocks:
        rendered = render_block(block, PHONE_WIDTH)
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
