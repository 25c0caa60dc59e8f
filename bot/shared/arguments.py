"""A command's small arguments: how many to show."""

from __future__ import annotations

from bot.shared.replies import shown
from storage.errors import UsageLine, UserError


def parse_count(text: str, default: int, maximum: int, usage: UsageLine) -> int:
    word = text.strip()
    if not word:
        return default
    if word.isdigit() and 1 <= int(word) <= maximum:
        return int(word)
    raise UserError(f"`{shown(word)}` is not a number from 1 to {maximum}.", [usage])
