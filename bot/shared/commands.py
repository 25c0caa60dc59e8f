"""Slash commands and their subcommands: one declaration is both the dispatcher and the help.

A subcommand is a function whose docstring's first paragraph reads "`usage`: what it does": the
summary is that whole phrase, however the paragraph is wrapped, and kept short (the details go
in the paragraphs after it). Each command's own `help` shows the usages with their summaries,
`/shopbot help` and the App Home show every command on one line, and the tests walk them all,
so usage text cannot drift from the code and never stops mid-sentence. An answer that says what
to type reads the usage from the declarations too: `usage_of(services.commands, "/seller",
"log")` in text built with the app's commands at hand, `Usage("/seller", "log")` in a UserError
(storage.errors), which the one place that answers errors renders (`usage_text`).

    SHOPBOT = SlashCommand("/shopbot", "shopbot itself")

    @SHOPBOT.subcommand("status")
    def status(services: Services, request: CommandRequest) -> Reply:
        \"\"\"`/shopbot status`: what data shopbot has for this workspace.\"\"\"
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.services import Services
from bot.shared.effects import NO_EFFECTS, Effects
from bot.shared.replies import Reply
from bot.shared.slack_text import SlackText
from storage.errors import Usage, UsageLine

_DOC_LINE = re.compile(r"^`(?P<usage>/[^`]+)`:\s*(?P<summary>\S.*)$", re.DOTALL)
_ARGUMENT = re.compile(r"[\[<@#]")


@dataclass(frozen=True)
class CommandRequest:
    """What a subcommand needs from the slash command request, already parsed."""

    team_id: str
    user_id: str
    channel_id: str
    args: str
    """The text after the subcommand's word, as the person typed it (decoded from Slack's)."""
    slack: WebClient = field(repr=False, compare=False)
    """The Web API client for this workspace (Bolt's, for the request), for subcommands that
    post, upload or open a modal."""
    typed: SlackText = field(default_factory=lambda: SlackText(""), repr=False, compare=False)
    """The whole text with the references Slack marked up in it (channels, users, links)."""
    is_admin: bool = False
    trigger_id: str = ""
    """For subcommands that open a modal (valid for 3 seconds)."""
    response_url: str = ""
    """Where later answers go (a modal opened by the subcommand answers there when submitted)."""
    effects: Effects = field(default=NO_EFFECTS, repr=False, compare=False)
    """Where a slow subcommand makes each side effect once (bot.shared.effects), also when
    resumed."""


def request_key(trigger_id: str) -> str | None:
    """A key for one slash command: Slack's trigger_id is unique to each use of a command and
    the same when Slack (or anyone) delivers the request again. Hashed, because client keys and
    button values want it short and alphanumeric; None without a trigger_id."""
    return hashlib.sha256(trigger_id.encode()).hexdigest()[:24] if trigger_id else None


Runner = Callable[[Services, CommandRequest], Reply]


def summary_paragraph(doc: str | None) -> str:
    """A docstring's first paragraph as one line: its wrapped lines joined by single spaces."""
    paragraph = (doc or "").strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines() if line.strip())


def doc_summary(doc: str | None) -> str | None:
    """What a subcommand's docstring says it does (its help line's summary), or None when its
    first paragraph is not "`usage`: what it does"."""
    match = _DOC_LINE.match(summary_paragraph(doc))
    return match["summary"] if match else None


@dataclass(frozen=True)
class Subcommand:
    word: str
    usage: str
    summary: str
    run: Runner
    slow: bool = False
    paged: bool = False  # a list that takes `page:N`: its Previous/Next buttons may ask again

    @property
    def head(self) -> str:
        """The words typed literally, before the first argument: `/seller gaps`, `/kpi`."""
        words = self.usage.split()
        literal = itertools.takewhile(lambda word: not _ARGUMENT.match(word), words[1:])
        return " ".join([words[0], *literal])


_DECLARED: dict[tuple[str, str], Subcommand] = {}
"""Every subcommand by (command, word), added as each is declared (`SlashCommand.subcommand`,
`AddedSubcommands.subcommand`): what `usage_text` reads to answer an error's `Usage`. Errors
are answered by every listener, and most have only who asked at hand, not the services; the
declarations are module constants of the command modules, which the app imports before it
answers anything, the same in every process and holding nothing of a workspace, a database or
the settings. Text built in bot/ reads the app's own list instead
(`usage_of(services.commands, …)`)."""


@dataclass
class SlashCommand:
    """A slash command such as `/shopbot`, with the subcommands that handle its first word."""

    name: str
    summary: str
    default: str = "help"
    lists_all_commands: bool = False
    max_text: int = 3000  # longer text is refused before any subcommand runs
    fallback: str | None = None  # the subcommand that takes text whose first word is no other's
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def subcommand(
        self, word: str, *, slow: bool = False, paged: bool = False
    ) -> Callable[[Runner], Runner]:
        """Register the decorated function for `/name word …`; its docstring's first paragraph
        is its help line.

        A `slow` subcommand (one that uploads, exports or calls Slack several times) is
        acknowledged at once and runs afterwards as a lazy listener, answering through the
        response URL; the others answer in the acknowledgement itself, the fastest path. A
        `paged` one is a list (bot.shared.pages): its pager buttons run it again for another page.
        """
        return _declaring(self.name, self.subcommands, word, slow=slow, paged=paged)

    def with_added(self, added: Sequence[Subcommand]) -> SlashCommand:
        """This command with subcommands other features add to it (`AddedSubcommands`) after its
        own, in the order given; itself when none are added. A word it already has is refused."""
        if not added:
            return self
        subcommands = dict(self.subcommands)
        for subcommand in added:
            if subcommand.word in subcommands:
                raise ValueError(f"{self.name} {subcommand.word} is declared twice")
            subcommands[subcommand.word] = subcommand
        return dataclasses.replace(self, subcommands=subcommands)

    def resolve(self, text: str) -> tuple[Subcommand | None, str, str]:
        """(subcommand, its arguments, the word typed) for the text after the command."""
        word, _, rest = text.strip().partition(" ")
        word = word.lower() or self.default
        found = self.subcommands.get(word)
        if found is None and self.fallback is not None and word != "help":
            return self.subcommands[self.fallback], text.strip(), word
        return found, rest.strip(), word

    @property
    def usages(self) -> list[Subcommand]:
        return list(self.subcommands.values())


@dataclass
class AddedSubcommands:
    """Subcommands a feature adds to another feature's slash command, by its name: the imports
    feature's form opens from `/kpi import`. Declared as a command's own are (the same
    decorator, the same docstring), listed in the feature's declaration
    (`Feature(added_subcommands=…)`), and attached after the command's own subcommands when the
    app's commands are collected (bot.features), so the help, the manifest and the answers
    see one `/kpi`; the command's module never names them."""

    command: str
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def subcommand(
        self, word: str, *, slow: bool = False, paged: bool = False
    ) -> Callable[[Runner], Runner]:
        """As `SlashCommand.subcommand`, for `command word …`."""
        return _declaring(self.command, self.subcommands, word, slow=slow, paged=paged)


def _declaring(
    command: str, subcommands: dict[str, Subcommand], word: str, *, slow: bool, paged: bool
) -> Callable[[Runner], Runner]:
    """The decorator that declares `command word`: its usage and summary read from the
    function's docstring, kept in `subcommands` and in `_DECLARED`."""

    def register(run: Runner) -> Runner:
        match = _DOC_LINE.match(summary_paragraph(run.__doc__))
        if match is None or not match["usage"].startswith(command):
            raise ValueError(
                f"{run.__qualname__}: the docstring must start with "
                f"'`{command} {word} …`: what it does'"
            )
        declared = Subcommand(word, match["usage"], match["summary"], run, slow, paged)
        subcommands[word] = _DECLARED[command, word] = declared
        return run

    return register


def usage_of(commands: Sequence[SlashCommand], command: str, word: str) -> str:
    """The usage `command`'s subcommand `word` declares among `commands`, as plain text:
    `/seller log <seller> [page:N]` for ("/seller", "log"). Text that says what to type reads
    it here, from the declarations the app was built with (`services.commands`)."""
    for declared in commands:
        if declared.name == command and word in declared.subcommands:
            return declared.subcommands[word].usage
    raise LookupError(f"{command} declares no subcommand {word!r}")


def usage_text(line: UsageLine) -> str:
    """A line of what to type instead as plain text: a usage reference becomes the usage its
    subcommand declares."""
    if not isinstance(line, Usage):
        return line
    try:
        return _DECLARED[line.command, line.word].usage
    except KeyError:
        raise LookupError(f"{line.command} declares no subcommand {line.word!r}") from None
