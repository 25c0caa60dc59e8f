"""The one error type for what a person asked that cannot be done as asked.

Raised wherever the problem is found (parsing, a service, a repository) and turned into an
answer in one place (`handlers.answers`). `message` is plain text as the person should read it
as mrkdwn: text a person typed goes into it through `bot.shared.replies.shown`, which escapes it;
and `usage` lists what to type instead: a subcommand's usage by reference (`Usage`), or a
command typed out in full (`/alert list`, `/creator add`), as plain text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


def escape(text: str) -> str:
    """Make text inert in mrkdwn: Slack's three control characters become entities. The one
    escaper (`bot.shared.replies` gives it to the rest); here because a UserError's message is
    mrkdwn and a repository may name what it found (a seller's name) in one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Usage:
    """A subcommand's usage by reference, `Usage("/alert", "remove")`: the answer shows the
    usage its declaration spells (bot.shared.commands.usage_text), so no error retypes one."""

    command: str
    word: str


UsageLine = Usage | str
"""One line of what to type instead: a declared usage, or a command typed out in full."""


class UserError(Exception):
    """Something the person can fix or has to accept; the message says which and how."""

    def __init__(self, message: str, usage: Sequence[UsageLine] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.usage = list(usage)


ADMINS_SETTING = "SHOPBOT_ADMINS"


class AdminsOnly(UserError):
    """What only admins (and, where said, one other person) may do. The answer names the
    admins, as Slack mentions, and the setting that makes someone one."""

    def __init__(self, action: str, admins: Collection[str], *, besides: str = "") -> None:
        who = f"{besides} or an admin" if besides else "admins"
        named = ", ".join(f"<@{admin}>" for admin in sorted(admins))
        how = (
            f"The admins are {named}: ask one of them, or ask whoever runs shopbot to add your "
            f"Slack user ID to `{ADMINS_SETTING}`."
            if admins
            else f"No admins are set yet: whoever runs shopbot lists their Slack user IDs in "
            f"`{ADMINS_SETTING}`."
        )
        super().__init__(f"Only {who} can {action}. {how}")
        self.action = action


@contextmanager
def usage_on_error(*usage: UsageLine) -> Iterator[None]:
    """Give a UserError raised inside, which names no usage of its own, these usages: the
    command that knows what to type instead says it once, wherever the problem was found."""
    try:
        yield
    except UserError as error:
        if not error.usage:
            error.usage = list(usage)
        raise
