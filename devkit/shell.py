"""`shopbot shell`: type slash commands, press buttons, fill in forms, open the Home.

A slash command is sent signed to the real app through the sandbox, as Slack sends what was
typed (`@tom` and `#general` as mentions); the app's answer (its acknowledgement, response-URL
posts, messages, modals, the Home and files) is printed by devkit/transcript.py, the same
rendering the tests read, with what can be acted on numbered: `click 2` presses `[2 …]`,
`choose 3 …` picks in a menu, `set 1 …` fills field 1 of the open modal and `submit` sends it,
all as Slack would send them (devkit/offline.py). Uploaded images are written under the files
folder and their paths printed. Works interactively (with readline history) and with piped
input.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TextIO

from devkit.offline import OfflineBot
from devkit.sandbox.state import NotChosen, OpenModal
from devkit.transcript import Transcript

HISTORY_FILE = Path.home() / ".shopbot_history"
SHELL_HELP = """\
Type a slash command as you would in Slack, for example:
  /shopbot help        every command and what it does
  /feedback @maria.makes loved the lamp, ask @tom     (@tom is sent as Slack's mention)
What the last answer shows can be acted on by its number:
  click N              press button N ([N Edit])
  choose N OPTION      pick OPTION (its number or text, a date, @person, #channel) in menu N
  set FIELD VALUE      fill a field of the open form (FIELD: its number or label)
  submit | close       send the open form, or cancel it
  home                 open the App Home
  help | exit          this text and the command list; leave (or Ctrl-D)"""


class Shell:
    """Reads lines, sends them as slash commands, prints the answers."""

    USER_ID = "U0MARIA"  # who types, unless told otherwise

    def __init__(
        self,
        bot: OfflineBot,
        out: TextIO = sys.stdout,
        *,
        files_dir: Path = Path("shopbot-files"),
        user_id: str = USER_ID,
        channel_id: str = "C0KPI",
    ) -> None:
        self.bot = bot
        self.out = out
        self.files_dir = files_dir
        self.user_id = user_id
        self.channel_id = channel_id
        self.last: Transcript | None = None  # the last answer with something to act on
        self.modal: OpenModal | None = None  # the form on screen

    def show(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """Process one line; False when the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {"exit", "quit", ":q"}:
            return False
        if line in {"help", "?"}:
            self.show(SHELL_HELP)
            line = "/shopbot help"
        word, _, rest = line.partition(" ")
        try:
            if line.startswith("/"):
                self.send(line)
            elif word in self.ACTIONS:
                self.ACTIONS[word](self, rest.strip())
            else:
                self.show("Type a slash command such as /shopbot help (or help, or exit).")
        except (NotChosen, LookupError) as problem:
            self.show(f"[{problem}]")
        return True

    def send(self, line: str) -> None:
        """Send the slash command and print what Slack would show once the app settles."""
        self._seen(
            lambda: self.bot.say(
                line, user_id=self.user_id, channel_id=self.channel_id, files_dir=self.files_dir
            )
        )

    def click(self, named: str) -> None:
        self._seen(lambda: self.bot.click(self._last(), named, **self._who()))

    def choose(self, rest: str) -> None:
        named, _, option = rest.partition(" ")
        if not option.strip():
            raise NotChosen("Say which option: choose N OPTION.")
        self._seen(lambda: self.bot.choose(self._last(), named, option, **self._who()))

    def set_field(self, rest: str) -> None:
        modal = self._modal()
        named, typed = _field_and_value(modal, rest)
        shown = self.bot.fill(modal, named, typed, user_id=self.user_id)
        found = modal.field(named)
        self.show(f"{found.number}. {found.label}: {shown}")

    def submit(self, _rest: str) -> None:
        modal = self._modal()
        self._seen(lambda: self.bot.submit(modal, **self._who()))

    def close(self, _rest: str) -> None:
        modal = self._modal()
        self._seen(lambda: self.bot.close(modal, user_id=self.user_id))
        self.show(f"(closed {modal.title})")

    def home(self, _rest: str) -> None:
        self._seen(lambda: self.bot.open_home(self.user_id))

    ACTIONS: ClassVar[dict[str, Callable[[Shell, str], None]]] = {
        "click": click,
        "choose": choose,
        "set": set_field,
        "submit": submit,
        "close": close,
        "home": home,
    }

    def _who(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "files_dir": self.files_dir}

    def _last(self) -> Transcript:
        if self.last is None:
            raise LookupError("Nothing to act on yet: type a command first.")
        return self.last

    def _modal(self) -> OpenModal:
        if self.modal is None:
            raise LookupError("No form is open.")
        return self.modal

    def _seen(self, exchange: Callable[[], Transcript]) -> None:
        """Run one exchange and print it; what it shows is what the next command acts on."""
        try:
            seen = exchange()
        except TimeoutError as error:
            self.show(f"[{error}]")
            return
        if seen.text:
            self.show(seen.text)
        if seen.controls or seen.modal is not None:
            self.last = seen
        self.modal = seen.modal

    def run(self, stdin: TextIO = sys.stdin) -> None:
        """Read lines until exit or end of input; a closed output (`| head`) ends quietly."""
        try:
            self._loop(stdin)
        except BrokenPipeError:
            # The reader went away; point stdout at devnull so the interpreter's final flush
            # does not raise again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    def _loop(self, stdin: TextIO) -> None:
        interactive = stdin.isatty()
        if interactive:
            _enable_history()
            self.show("shopbot shell — type help for the commands, exit to leave.")
        while True:
            try:
                line = input("shopbot> ") if interactive else stdin.readline()
            except (EOFError, KeyboardInterrupt):
                self.show()
                return
            if not interactive and not line:
                return
            if not interactive and line.strip():
                self.show(f"shopbot> {line.strip()}")
            if not self.handle(line):
                return


def _field_and_value(modal: OpenModal, rest: str) -> tuple[str, str]:
    """`Follow-up date 2026-12-10` → the field it names (the longest run of words that is a
    label, else the first word: a number or the start of a label) and the value after it."""
    words = rest.split(" ")
    for count in range(len(words) - 1, 1, -1):
        named = " ".join(words[:count])
        if any(f.label.casefold() == named.casefold() for f in modal.fields):
            return named, " ".join(words[count:])
    return words[0], " ".join(words[1:])


def _enable_history() -> None:
    try:
        import atexit
        import readline
    except ImportError:  # readline is missing on some platforms; the shell works without it
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    atexit.register(readline.write_history_file, HISTORY_FILE)
