"""`shopbot shell`: type slash commands, see what Slack would show.

Each line is sent as a signed slash command to the real app through the sandbox; the app's
answer (its acknowledgement, response-URL posts, messages, modals and files) is printed as
text by bot/transcript.py, the same rendering the tests read. Uploaded images are written under
the files folder and their paths printed.
Works interactively (with readline history) and with piped input.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

from bot.offline import OfflineBot

HISTORY_FILE = Path.home() / ".shopbot_history"
SHELL_HELP = """\
Type a slash command as you would in Slack, for example:
  /shopbot help        every command and what it does
  /shopbot status      what data shopbot has
Shell commands: help (this text and the command list), exit or quit (or Ctrl-D)."""


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
        if not line.startswith("/"):
            self.show("Type a slash command such as /shopbot help (or help, or exit).")
            return True
        self.send(line)
        return True

    def send(self, line: str) -> None:
        """Send the slash command and print what Slack would show once the app settles."""
        try:
            seen = self.bot.say(
                line, user_id=self.user_id, channel_id=self.channel_id, files_dir=self.files_dir
            )
        except TimeoutError as error:
            self.show(f"[{error}]")
            return
        if seen.text:
            self.show(seen.text)

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
