"""What a button or a menu option carries, read in one place.

The app puts a number there (a note's, a review's, an alert's), numbers joined by `:` (a
creator and a seller), or a word from a short list (edit, delete). A value it never put there,
forged or from a button older than the app, is refused with the one clear answer, "That button
does not name … of this workspace", and what to type instead; never with an apology for a
failure on our side.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from bot.shared.language import _
from storage.errors import UsageLine, UserError

MAX_DIGITS = 18  # a BIGINT holds every 18-digit number; more is nothing the app sent


def not_named(what: str, usage: UsageLine) -> UserError:
    """The one refusal of a value the app never put on a button (`what`, such as "a note", is
    marked with `N_` where it is written, and shown in the answer's language)."""
    refused = _("That button does not name {what} of this workspace.")
    return UserError(refused.format(what=_(what)), [usage])


def carried_number(value: str, what: str, usage: UsageLine) -> int:
    """The number a button or menu option carries (a note's, a review's, a seller's)."""
    if not value.isascii() or not value.isdigit() or len(value) > MAX_DIGITS:
        raise not_named(what, usage)
    return int(value)


def carried_numbers(value: str, count: int, what: str, usage: UsageLine) -> tuple[int, ...]:
    """The `count` numbers a value carries, joined by `:` (`12:7`: a creator and a seller)."""
    parts = value.split(":")
    if len(parts) != count:
        raise not_named(what, usage)
    return tuple(carried_number(part, what, usage) for part in parts)


def carried_choice(value: str, choices: Collection[str], what: str, usage: UsageLine) -> str:
    """One of the words the app offers in a menu."""
    if value not in choices:
        raise not_named(what, usage)
    return value


def carried_object(metadata: Any) -> dict[str, Any]:
    """What a modal carries in its private_metadata (a JSON object the app wrote); {} for
    anything else, so whatever it should have named is refused as unknown."""
    try:
        found = json.loads(metadata) if isinstance(metadata, str) and metadata else None
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
