"""`shopbot run` in a process of its own, for the tests that kill it (SIGKILL) or stop it."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from devkit.sandbox import SlackRequestClient
from devkit.sandbox.webapi import SlackSandbox
from tests.test_cli import SIGNING_SECRET, slack_env


@contextmanager
def app_process(
    sandbox: SlackSandbox, engine: Engine, cwd: Path, *, logs: Path | None = None, **settings: str
) -> Iterator[tuple[subprocess.Popen[str], SlackRequestClient]]:
    """`shopbot run` in its own process (HTTP, no scheduler: it resumes cut-off work once, at
    start) on `engine`'s database, with `settings` added to its environment (`SHOPBOT_ADMINS`
    …), and a client that sends Slack's requests to it. Its log goes to `logs` when given.
    Killed, if still running, at the end of the block."""
    env = {**slack_env(sandbox, engine.url.render_as_string(hide_password=False)), **settings}
    log = logs.open("a") if logs is not None else None
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "run", "--port", "0", "--no-scheduler"],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=log if log is not None else subprocess.DEVNULL,
            text=True,
        )
    finally:
        if log is not None:
            log.close()
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        told = logs.read_text() if logs is not None else ""
        assert line.startswith("shopbot listening on port"), line + told
        url = f"http://127.0.0.1:{int(line.rsplit(' ', 1)[1])}/slack/events"
        yield process, SlackRequestClient(url, SIGNING_SECRET, sandbox)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL: nothing of the process runs after it, no `finally`, no handler."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
