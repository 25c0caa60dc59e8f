"""`shopbot shell`: type slash commands, see what Slack would show.

Each line is sent as a signed slash command to the real app through the sandbox; the app's
answer (its acknowledgement, response-URL posts, messages, modals and files) is printed as
text. Uploaded images are written under the files folder and their paths printed.
Works interactively (with readline history) and with piped input.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.offline import OfflineBot
from bot.sandbox import SlackCall
from bot.terminal import render_blocks

HISTORY_FILE = Path.home() / ".shopbot_history"
SHELL_HELP = """\
Type a slash command as you would in Slack, for example:
  /shopbot help        every command and what it does
  /shopbot status      what data shopbot has
Shell commands: help (this text and the command list), exit or quit (or Ctrl-D)."""


class Shell:
    """Reads lines, sends them as slash commands, prints the answers."""

    def __init__(
        self,
        bot: OfflineBot,
        out: TextIO = sys.stdout,
        *,
        files_dir: Path = Path("shopbot-files"),
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
    ) -> None:
        self.bot = bot
        self.out = out
        self.files_dir = files_dir
        self.user_id = user_id
        self.channel_id = channel_id

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """Process one line; False when the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {"exit", "quit", ":q"}:
            return False
        if line in {"help", "?"}:
            self.say(SHELL_HELP)
            line = "/shopbot help"
        if not line.startswith("/"):
            self.say("Type a slash command such as /shopbot help (or help, or exit).")
            return True
        command, _, text = line.partition(" ")
        self.send(command, text)
        return True

    def send(self, command: str, text: str) -> None:
        mark = self.bot.sandbox.call_count()
        response = self.bot.client.slash_command(
            command, text, user_id=self.user_id, channel_id=self.channel_id
        )
        if response.status != 200:
            self.say(f"[the app answered HTTP {response.status}: {response.body[:200]}]")
            return
        body = response.json() if response.body.strip().startswith("{") else None
        if body:
            self._show_reply(body, "only you can see this")
        elif response.body.strip():
            self.say(response.body)
        for call in self.bot.sandbox.calls_since(mark):
            self._show_call(call)

    def _show_reply(self, payload: dict[str, Any], audience: str) -> None:
        if payload.get("response_type") == "in_channel":
            audience = f"posted in #{self._channel_name(self.channel_id)}"
        self.say(f"── {audience} ──")
        self.say(render_blocks(payload.get("blocks") or [], str(payload.get("text", ""))))
        self.say()

    def _channel_name(self, channel_id: str) -> str:
        channel = self.bot.sandbox.channels.get(channel_id)
        return channel.name if channel else channel_id

    def _show_call(self, call: SlackCall) -> None:
        if not call.ok and call.method != "response_url":
            self.say(
                f"[Slack refused {call.method}: {call.error} "
                f"{json.dumps(call.response.get('errors', ''))}]"
            )
            return
        params = call.params
        if call.method == "response_url":
            self._show_reply(params, "only you can see this")
        elif call.method == "chat.postMessage":
            self._show_reply({**params, "response_type": "in_channel"}, "")
        elif call.method == "chat.postEphemeral":
            self._show_reply(params, "only you can see this")
        elif call.method in {"views.open", "views.push", "views.update"}:
            view = params.get("view") or {}
            title = (view.get("title") or {}).get("text", "")
            self.say(f"── modal: {title} ──")
            self.say(render_blocks(view.get("blocks") or []))
            self.say()
        elif call.method == "files.completeUploadExternal":
            for entry in call.response.get("files", []):
                self._save_file(entry)

    def _save_file(self, entry: dict[str, Any]) -> None:
        upload = self.bot.sandbox.files.get(entry["id"])
        if upload is None or upload.content is None:
            return
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / f"{upload.id}-{Path(upload.filename).name}"
        path.write_bytes(upload.content)
        self.say(f"── file: {upload.title} → {path}")

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
            self.say("shopbot shell — type help for the commands, exit to leave.")
        while True:
            try:
                line = input("shopbot> ") if interactive else stdin.readline()
            except (EOFError, KeyboardInterrupt):
                self.say()
                return
            if not interactive and not line:
                return
            if not interactive and line.strip():
                self.say(f"shopbot> {line.strip()}")
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
