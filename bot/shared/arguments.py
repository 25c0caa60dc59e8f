"""A command's small arguments: how many to show."""

from __future__ import annotations

from bot.shared.language import _
from bot.shared.replies import shown
from storage.errors import UsageLine, UserError


def parse_count(text: str, default: int, maximum: int, usage: UsageLine) -> int:
    word = text.strip()
    if not word:
        return default
    if word.isdigit() and 1 <= int(word) <= maximum:
        return int(word)
    raise UserError(
        _("`{word}` is not a number from 1 to {most}.").format(word=shown(word), most=maximum),
        [usage],
    )
