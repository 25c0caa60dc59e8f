"""Replies and the Block Kit building blocks they are made of.

Blocks are built with `slack_sdk.models.blocks`, so the SDK validates them before Slack (or the
sandbox) sees them. Text that users typed is escaped with `escape` before it goes into mrkdwn,
so `<!channel>` or `<@U…>` in a note is shown, never acted on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.shared.language import N_, _
from storage.errors import escape

SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_VALUE_LIMIT = 2000  # Slack's limit on what a button carries
BUTTON_TEXT = 75  # Slack's limit on a button's text


def shown(text: str, limit: int = 40) -> str:
    """User text quoted in an answer: escaped, short, and unable to break out of `code`."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape(cut).replace("`", "'")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Reply:
    """What a command answers: fallback text, blocks, and who sees it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False

    def payload(self) -> dict[str, Any]:
        """The body for `respond()` / a response_url."""
        return {
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
            "response_type": "in_channel" if self.in_channel else "ephemeral",
        }


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=truncate(text, HEADER_LIMIT))


def section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(mrkdwn, SECTION_TEXT_LIMIT)))


def context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(mrkdwn, SECTION_TEXT_LIMIT))])


def divider() -> DividerBlock:
    return DividerBlock()


def problem(message: str, usage: Sequence[str] = ()) -> Reply:
    """A short ephemeral answer to input the user can fix, with what to type instead.

    `message` is mrkdwn (user text in it quoted with `shown`); `usage` is plain text such as
    `/feedback @handle <note>`, escaped here."""
    lines = [f":warning: {message}"]
    if usage:
        typed = " · ".join(f"`{escape(u)}`" for u in usage)
        lines.append(_("Try: {usages}").format(usages=typed))
    text = "\n".join(lines)
    return Reply(text=text, blocks=[section(text)])


_REFUSAL_ADVICE = {
    "not_in_channel": N_(
        "I'm not in this channel yet: invite me with `/invite @shopbot`, then try again."
    ),
    "channel_not_found": N_(
        "I can't see this channel: invite me with `/invite @shopbot`, or use a channel I'm in."
    ),
    "is_archived": N_(
        "This channel is archived, so I can't post in it. Try it in another channel."
    ),
}


def slack_refusal_advice(error: str) -> str | None:
    """What the user can do about a Slack refusal they can fix; None for the rest."""
    advice = _REFUSAL_ADVICE.get(error)
    return _(advice) if advice is not None else None


def plural(count: int, word: str) -> str:
    """`1 note`, `2 notes`, `1,204 notes`: the count with the word it counts."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def text_sections(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[SectionBlock]:
    """`text`, escaped, in as many sections as Slack's per-section limit needs."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        piece = escape(char)
        if size + len(piece) > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    chunks.append("".join(current))
    return [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in chunks if chunk.strip()]
