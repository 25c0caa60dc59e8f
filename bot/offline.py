"""The real app served on loopback against the Slack sandbox: what the shell and tests talk to."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.engine import Engine

from bot.app import build_app
from bot.manifest import BOT_SCOPES
from bot.sandbox import SlackRequestClient, SlackSandbox
from bot.sandbox.webapi import UploadedFile
from bot.server import HttpServer, wsgi_app
from bot.services import Services, build_services
from bot.settings import Secret, Settings
from bot.transcript import Transcript, render_exchange

P = ParamSpec("P")
T = TypeVar("T")
SETTLE_SECONDS = 10.0


class ListenerExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting the work submitted and not yet finished."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._lock = threading.Lock()
        self._unfinished = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._lock:
            self._unfinished += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._unfinished -= 1

    @property
    def unfinished(self) -> int:
        """Listeners running or queued."""
        with self._lock:
            return self._unfinished


class OfflineBot:
    """Sandbox + app + HTTP server + a signed client, started and stopped together."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        team_id: str = "T0SANDBOX",
        services: Services | None = None,
    ) -> None:
        self.sandbox = SlackSandbox(team_id=team_id, scopes=BOT_SCOPES).start()
        signing_secret = secrets.token_hex(16)
        self.settings = dataclasses.replace(
            settings,
            slack_bot_token=Secret(self.sandbox.bot_token),
            slack_signing_secret=Secret(signing_secret),
            slack_app_token=Secret(""),
            slack_api_url=self.sandbox.api_url,
        )
        if services is None:
            services = build_services(self.settings, engine=engine)
        else:
            services.settings = self.settings
        self.services = services
        self.executor = ListenerExecutor(max_workers=8)
        self.app = build_app(self.settings, self.services, listener_executor=self.executor)
        self.server = HttpServer(wsgi_app(self.app), host="127.0.0.1", port=0)
        self.server.start_in_thread()
        self.client = SlackRequestClient(self.server.url, signing_secret, self.sandbox)

    def say(
        self,
        line: str,
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        files_dir: Path | None = None,
    ) -> Transcript:
        """Type a slash command as `user_id` in `channel_id`; what they see once the app settles.

        Everything after the first space is sent as the command's text, exactly as typed:

            seen = bot.say("/kpi last week")
            assert "GMV" in seen                        # the text the shell would print
            assert seen.reply["response_type"] == "ephemeral"   # and the raw payloads

        `files_dir`: uploaded files are saved there and named by their path (as in the shell).
        """
        command, _, text = line.partition(" ")
        mark = self.sandbox.call_count()
        response = self.client.slash_command(command, text, user_id=user_id, channel_id=channel_id)
        self.settle()
        calls = self.sandbox.calls_since(mark)
        label = _saver(files_dir) if files_dir is not None else (lambda upload: upload.filename)
        shown = render_exchange(
            self.sandbox, response, calls, channel_id=channel_id, file_label=label
        )
        return Transcript(response, calls, shown)

    def settle(self, timeout: float = SETTLE_SECONDS) -> None:
        """Wait until the app is idle: no request being answered, no listener running or queued,
        no call to the Slack sandbox in flight. Raises TimeoutError, naming what is still busy."""
        deadline = time.monotonic() + timeout
        while busy := self._busy():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app did not settle within {timeout}s: {busy}")
            time.sleep(0.005)

    def _busy(self) -> str:
        """What is still at work, or an empty string."""
        parts = []
        if self.server.busy():
            parts.append("a request to the app is being answered")
        if self.executor.unfinished:
            parts.append(f"{self.executor.unfinished} listener(s) running or queued")
        if in_flight := self.sandbox.in_flight():
            parts.append(f"Slack is answering {', '.join(in_flight)}")
        return "; ".join(parts)

    def stop(self) -> None:
        self.server.drain_and_stop(timeout=5)
        self.executor.shutdown(wait=True)
        self.sandbox.stop()

    def __enter__(self) -> OfflineBot:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _saver(files_dir: Path) -> Callable[[UploadedFile], str]:
    """Saves an uploaded file under `files_dir`; its path is its label."""

    def save(upload: UploadedFile) -> str:
        assert upload.content is not None
        files_dir.mkdir(parents=True, exist_ok=True)
        path = files_dir / f"{upload.id}-{Path(upload.filename).name}"
        path.write_bytes(upload.content)
        return str(path)

    return save
