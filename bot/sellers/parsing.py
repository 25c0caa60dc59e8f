"""What people type after `/seller`: a seller's name or shop id (names have spaces), filters
such as `category:Home & Living owner:me`, and notes with #tags and a follow-up date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from bot.shared.language import _
from bot.shared.names import resolve_seller
from bot.shared.note_text import check_note_text, parse_follow_up
from bot.shared.periods import DEFAULT_LOCALE
from bot.shared.replies import shown
from bot.shared.slack_text import SlackText
from bot.shared.tags import tags_in
from storage.errors import Usage, UsageLine, UserError
from storage.sellers.registry import SellerRef, find_seller

MAX_NAME_WORDS = 8  # the longest seller name tried at the start of a note
NOTE_USAGE = Usage("/seller", "note")
_FILTER = re.compile(r"(?:^|\s)(?P<key>[A-Za-z]+):")
_TRAILING_TAGS = re.compile(r"(?:(?:^|\s+)#[\w-]+)+\s*$")


@dataclass(frozen=True)
class SellerNoteInput:
    seller: SellerRef
    text: str
    tags: list[str]
    follow_up_on: date | None


def parse_filters(text: str, allowed: tuple[str, ...], usage: UsageLine) -> dict[str, str]:
    """`category:Home & Living owner:@tom` → {category: Home & Living, owner: @tom}: a value
    runs to the next `word:`. Anything else is refused, saying which filters there are."""
    found: dict[str, str] = {}
    matches = list(_FILTER.finditer(text))
    leading = text[: matches[0].start()] if matches else text
    if leading.strip():
        raise UserError(
            _("I don't understand `{typed}`: filter with {filters}.").format(
                typed=shown(leading.strip()), filters=", ".join(f"`{a}:…`" for a in allowed)
            ),
            [usage],
        )
    for n, match in enumerate(matches):
        key = match["key"].lower()
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip()
        if key not in allowed:
            raise UserError(
                _("There is no filter `{typed}:`; there are {filters}.").format(
                    typed=shown(key), filters=", ".join(f"`{a}:`" for a in allowed)
                ),
                [usage],
            )
        if not value:
            raise UserError(
                _("Say what `{key}:` should be, such as `{key}:…`.").format(key=key), [usage]
            )
        found[key] = value
    return found


def owner_filter(value: str, typed: SlackText, me: str, usage: UsageLine) -> str:
    """`me` or a mentioned person (`@tom`) → their Slack user ID."""
    if value.lower() == "me":
        return me
    user_id = typed.user_id(value)
    if user_id is None:
        raise UserError(
            _(
                "`{typed}` is not a person in this workspace: mention them (`owner:@tom`) or say "
                "`owner:me`."
            ).format(typed=shown(value)),
            [usage],
        )
    return user_id


def split_seller(
    engine: Engine, team_id: str, text: str, usage: UsageLine
) -> tuple[SellerRef, str]:
    """The seller named at the start of `text` (its shop id or its name, the longest that
    matches) and the rest; UserError with close matches when none does."""
    words = text.split()
    if not words:
        raise UserError(_("Say which seller: its name or shop id."), [usage])
    for count in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        seller = find_seller(engine, team_id, " ".join(words[:count]))
        if seller is not None:
            rest = text.strip()
            for word in words[:count]:
                rest = rest[rest.index(word) + len(word) :]
            return seller, rest.strip()
    # Not found: name the close matches of the words a name would most likely be.
    resolve_seller(engine, team_id, " ".join(words[: min(3, len(words))]))
    raise AssertionError("resolve_seller raises for an unknown seller")


def note_and_tags(body: str, usage: UsageLine, example: str) -> tuple[str, list[str]]:
    """`text #tag #tag` → (the text without its trailing tags, the tags); UserError for an
    empty or overlong text, `example` saying what to type."""
    note = _TRAILING_TAGS.sub("", body).strip()
    if not note:
        raise UserError(
            _("Write the note itself, such as `{example}`.").format(example=example), [usage]
        )
    return check_note_text(note, usage), tags_in(body)


def parse_note(
    engine: Engine, team_id: str, text: str, today: date, locale: str = DEFAULT_LOCALE
) -> SellerNoteInput:
    """`<seller> <text> [#tag …] [follow-up:YYYY-MM-DD]` → what to save."""
    seller, rest = split_seller(engine, team_id, text, NOTE_USAGE)
    body, follow_up = parse_follow_up(rest, today, NOTE_USAGE, locale)
    example = "/seller note {seller} {text}".format(
        seller=shown(seller.name), text=_("agreed to a LIVE on Friday")
    )
    note, tags = note_and_tags(body, NOTE_USAGE, example)
    return SellerNoteInput(seller, note, tags, follow_up)


def seller_named(engine: Engine, team_id: str, text: str, usage: UsageLine) -> SellerRef:
    """The seller whose whole name or shop id is `text`; close matches otherwise."""
    if not text.strip():
        raise UserError(_("Say which seller: its name or shop id."), [usage])
    return find_seller(engine, team_id, text) or resolve_seller(engine, team_id, text)
