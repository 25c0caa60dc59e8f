"""The one error type for what a person asked that cannot be done as asked.

Raised wherever the problem is found (parsing, a service, a repository) and turned into an
answer in one place (`handlers.answers`). `message` is plain text as the person should read it
as mrkdwn: text a person typed goes into it through `bot.shared.replies.shown`, which escapes it;
and `usage` lists what to type instead: a subcommand's usage by reference (`Usage`), or a
command typed out in full (`/alert list`, `/creator add`), as plain text.

storage/ cannot look a text up in the answer's language (that is bot.shared.language, and
storage imports no bot/), so an error keeps its English text as written, marked for the
catalogs, with what fills it in by name: `UserError(N_("There is no alert {number}."),
number=3)`. `message` is that text filled in, in English; the answer is written with
`bot.shared.language.translated(error)`, the same text looked up in the answer's language and
filled in the same. A count that decides the form is `Nn_(singular, plural, count)`; a value
that is itself a text to translate is a `Sentence`. Values a person typed are escaped as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol


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


def N_(message: str) -> str:
    """Marks a text for the catalogs (`make messages`); it is looked up where it is shown."""
    return message


@dataclass(frozen=True)
class Plural:
    """A text whose form a count decides, English and its plural (`Nn_`)."""

    singular: str
    plural: str
    count: int


def Nn_(singular: str, plural: str, count: int) -> Plural:
    """Marks a text with a plural form for the catalogs; `count` picks the form when shown."""
    return Plural(singular, plural, count)


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


@dataclass(frozen=True)
class Number:
    """A number filled into a text, written in the answer's locale (`3,000` in English,
    `3.000` in German) with `digits` decimals."""

    value: float
    digits: int = 0

    @property
    def english(self) -> str:
        return f"{self.value:,.{self.digits}f}"


Numbers = Callable[[Number], str]


def same_text(message: str) -> str:
    return message


def english_form(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def english_number(number: Number) -> str:
    return number.english


@dataclass(frozen=True)
class Sentence:
    """An English text marked for the catalogs and what fills it in, by name: written in
    English (`english`) or looked up in a language (`written(gettext, ngettext, number)`). A
    value that is a Sentence or a Number is written in the same language, a list of values one
    after the other with commas; any other value is filled in as it is."""

    text: str | Plural
    params: Mapping[str, object] = field(default_factory=dict)

    def written(
        self,
        gettext: Gettext = same_text,
        ngettext: Ngettext = english_form,
        number: Numbers = english_number,
    ) -> str:
        text = self.text
        chosen = (
            ngettext(text.singular, text.plural, text.count)
            if isinstance(text, Plural)
            else gettext(text)
        )
        if not self.params and not isinstance(text, Plural):
            return chosen
        values = {
            name: _written(value, gettext, ngettext, number) for name, value in self.params.items()
        }
        if isinstance(text, Plural):
            values.setdefault("count", text.count)
        return chosen.format(**values)

    @property
    def english(self) -> str:
        return self.written()


def _written(value: object, gettext: Gettext, ngettext: Ngettext, number: Numbers) -> object:
    if isinstance(value, Sentence):
        return value.written(gettext, ngettext, number)
    if isinstance(value, Number):
        return number(value)
    if isinstance(value, list):
        return ", ".join(str(_written(each, gettext, ngettext, number)) for each in value)
    return value


class Said(Protocol):
    """What can be written in the answer's language (bot.shared.language.translated)."""

    def written(self, gettext: Gettext, ngettext: Ngettext, number: Numbers) -> str: ...


class UserError(Exception):
    """Something the person can fix or has to accept; the message says which and how.
    `message` (a text marked `N_`, or `Nn_` for one a count decides) is filled in with
    `params` by name; `.message` is the English text filled in, `.template` and `.params` what
    an answer in another language looks up and fills in (`written`)."""

    def __init__(
        self, message: str | Plural, usage: Sequence[UsageLine] = (), **params: object
    ) -> None:
        self.sentence = Sentence(message, params)
        self.template = message
        self.params = params
        self.message = self.sentence.english
        super().__init__(self.message)
        self.usage = list(usage)

    def written(
        self,
        gettext: Gettext = same_text,
        ngettext: Ngettext = english_form,
        number: Numbers = english_number,
    ) -> str:
        return self.sentence.written(gettext, ngettext, number)


ADMINS_SETTING = "SHOPBOT_ADMINS"


class AdminsOnly(UserError):
    """What only admins (and, where said, one other person) may do. The answer names the
    admins, as Slack mentions, and the setting that makes someone one.

    The action (what only they may do, "see deleted reviews") is a text marked `N_` where it
    is written (or a Sentence): the answer looks it up in its language; `besides` names the
    other person ("the reviewer (<@U1>)"), a Sentence too where it has words."""

    def __init__(
        self,
        action: str | Sentence,
        admins: Collection[str],
        *,
        besides: str | Sentence = "",
    ) -> None:
        doing = action if isinstance(action, Sentence) else Sentence(action)
        refusal = (
            Sentence(N_("Only {besides} or an admin can {action}."), {"besides": besides})
            if besides
            else Sentence(N_("Only admins can {action}."))
        )
        named = ", ".join(f"<@{admin}>" for admin in sorted(admins))
        how = (
            Sentence(
                N_(
                    "The admins are {named}: ask one of them, or ask whoever runs shopbot to "
                    "add your Slack user ID to `{setting}`."
                ),
                {"named": named, "setting": ADMINS_SETTING},
            )
            if admins
            else Sentence(
                N_(
                    "No admins are set yet: whoever runs shopbot lists their Slack user IDs in "
                    "`{setting}`."
                ),
                {"setting": ADMINS_SETTING},
            )
        )
        refusal = Sentence(refusal.text, {**refusal.params, "action": doing})
        super().__init__("{refusal} {how}", refusal=refusal, how=how)
        self.action = doing.english


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
