"""A list page by page: Previous and Next buttons that ask for the same list again.

Every list (sellers, gaps, notes, reviews, the outreach pipeline…) takes `page:N` typed after
its filters. Its pager carries the command as it was asked, without the page, so a button is
the person typing the same command with the next page: the filters are kept, and the list
under the button is asked for again, never a stale copy. The same words are shown as text,
for a person who would rather type them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.shared.language import N_, _, ngettext
from bot.shared.replies import BUTTON_VALUE_LIMIT, context, shown
from bot.shared.slack_text import RefKind, SlackRef, SlackText
from storage.errors import UsageLine, UserError

PREVIOUS = "list_page_previous"
NEXT = "list_page_next"
OPEN = "list_page_open"  # a button elsewhere (a card's "All notes") that opens a list's page 1
MAX_PAGE = 10_000
_PAGE = re.compile(r"(?:^|\s)page:(\S*)", re.IGNORECASE)
T = TypeVar("T")
SHOWN_LIMIT = 500  # the typed command a page names; longer ones are cut, their buttons still work
REFUSED = N_("That button does not hold a page of a list: ask for the list again.")


@dataclass(frozen=True)
class Asked:
    """A list as it was asked for: the command, the words after it (decoded, without any
    `page:`) and the references Slack marked up in them (a mentioned owner)."""

    command: str
    words: str
    refs: tuple[SlackRef, ...] = ()

    def typed(self, page: int) -> SlackText:
        """The text a list's subcommand reads for `page`, as if the person had typed it."""
        return SlackText(f"{self.words} page:{page}".strip(), self.refs)

    def shown(self, page: int) -> str:
        """The command for `page` as mrkdwn code, to type instead of pressing the button."""
        return f"`{shown(f'{self.command} {self.words} page:{page}', SHOWN_LIMIT)}`"

    def value(self, page: int) -> str:
        refs = [[r.kind.value, r.target, r.shown] for r in self.refs]
        data = {"c": self.command, "w": self.words, "r": refs, "p": page}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str) -> tuple[Asked, int]:
        """The list and page a pager button carried; a value the app never put there (forged,
        or from another version) is refused with the clear answer every button gives."""
        try:
            data = json.loads(value)
            command, words, page = data["c"], data["w"], data["p"]
            refs = tuple(SlackRef(RefKind(k), str(t), str(s)) for k, t, s in data.get("r", []))
        except (ValueError, KeyError, TypeError):
            raise UserError(_(REFUSED)) from None
        if not (
            isinstance(command, str)
            and command.startswith("/")
            and isinstance(words, str)
            and isinstance(page, int)
            and not isinstance(page, bool)
            and 1 <= page <= MAX_PAGE
            and not _PAGE.search(words)
            and len(value) <= BUTTON_VALUE_LIMIT
        ):
            raise UserError(_(REFUSED))
        return cls(command, words, refs), page


def asked(command: str, typed: SlackText) -> Asked:
    """The list the person asked for with `typed` (the words after `command`), page left out."""
    words = " ".join(_PAGE.sub(" ", typed.text).split())
    return Asked(command, words, tuple(r for r in typed.refs if r.shown in words))


def split_page(words: str, usage: UsageLine) -> tuple[str, int]:
    """The words without `page:N`, and N (1 when none is given)."""
    found = _PAGE.findall(words)
    if not found:
        return words.strip(), 1
    return " ".join(_PAGE.sub(" ", words).split()), page_number(found[-1], usage)


def page_number(typed: str, usage: UsageLine) -> int:
    """The page `page:` names, a whole number from 1."""
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_PAGE:
        raise UserError(
            _("Say the page as a number from 1, such as `page:2`, not `{typed}`.").format(
                typed=shown(typed)
            ),
            [usage],
        )
    return int(typed)


def page_of(count: int, page: int, size: int) -> tuple[int, int]:
    """(first index, number of pages) of the 1-based `page` of `count` items; a page past the
    last (the list got shorter, or was mistyped) is refused, saying how many there are."""
    pages = max(1, -(-count // size))
    if page > pages:
        raise UserError(
            ngettext(
                "There is only {count} page: `page:{count}` is the last.",
                "There are only {count} pages: `page:{count}` is the last.",
                pages,
            ).format(count=pages)
        )
    return (page - 1) * size, pages


def on_page(items: Sequence[T], page: int, size: int) -> tuple[Sequence[T], int]:
    """The items of the 1-based `page`, and the number of pages."""
    start, pages = page_of(len(items), page, size)
    return items[start : start + size], pages


def pager(asked: Asked, page: int, *, more: bool, pages: int | None = None) -> list[Block]:
    """Where this page is and how to get to the others: a line that names the page and the
    command for the next one, and Previous/Next buttons; nothing for a list of one page."""
    if page == 1 and not more:
        return []
    if pages:
        where = _("Page {page} of {pages}").format(page=page, pages=pages)
    else:
        where = _("Page {page}").format(page=page)
    if more:
        where += " · " + _("next: {command}").format(command=asked.shown(page + 1))
    buttons = []
    if page > 1:
        buttons.append(
            ButtonElement(text=_("Previous"), action_id=PREVIOUS, value=asked.value(page - 1))
        )
    if more:
        buttons.append(ButtonElement(text=_("Next"), action_id=NEXT, value=asked.value(page + 1)))
    if any(len(b.value or "") > BUTTON_VALUE_LIMIT for b in buttons):
        return [context(where)]  # too long to carry: the typed command still works
    return [context(where), ActionsBlock(block_id="pager", elements=buttons)]


def open_button(text: str, asked: Asked) -> ButtonElement:
    """A button that shows page 1 of a list in a new answer (a card's "All notes")."""
    return ButtonElement(text=text, action_id=OPEN, value=asked.value(1))
