"""Block Kit rendered as terminal text, for the offline shell."""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

WIDTH = 88
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


def _wrap(text: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines += textwrap.wrap(
            line, WIDTH, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False
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


def _columns(left: list[str], right: list[str], width: int = 44) -> list[str]:
    """Two fields side by side, as Slack lays them out."""
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [f"{a:<{width}} {b}".rstrip() for a, b in zip(left, right, strict=True)]


def render_block(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"))
        return [title.upper(), "═" * min(len(title), WIDTH)]
    if kind == "divider":
        return ["─" * 40]
    if kind == "section":
        lines = _wrap(_text(block.get("text"))) if block.get("text") else []
        fields = [_text(f) for f in block.get("fields", [])]
        for left, right in zip(fields[::2], [*fields[1::2], ""], strict=False):
            lines += _columns(left.splitlines(), right.splitlines())
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
        )
    if kind == "actions":
        return ["  ".join(_element(e) for e in block.get("elements", []))]
    if kind == "image":
        return [f"(image: {block.get('alt_text', '')} — {block.get('image_url', '')})"]
    if kind == "input":
        return [f"{_text(block.get('label'))}: {_element(block.get('element'))}"]
    return [f"({kind} block)"]


def render_blocks(blocks: list[dict[str, Any]], fallback: str = "") -> str:
    """The blocks as lines of text, or the fallback text when there are none."""
    if not blocks:
        return "\n".join(_wrap(mrkdwn_to_text(fallback)))
    lines: list[str] = []
    for block in blocks:
        lines += render_block(block)
    return "\n".join(lines)
