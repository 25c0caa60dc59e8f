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

from bot.cli import AppBuilder
from bot.manifest import BOT_SCOPES
from bot.server import HttpServer, wsgi_app
from bot.services import Services, build_services
from bot.settings import LANGUAGES, Secret, Settings
from bot.shared.language import language_of, workspace_speech
from devkit.sandbox import AppResponse, SlackRequestClient, SlackSandbox
from devkit.sandbox.payloads import Surface
from devkit.sandbox.state import (
    Directory,
    NotChosen,
    OpenModal,
    chosen_value,
    options_of,
    shown_value,
)
from devkit.sandbox.webapi import UploadedFile
from devkit.transcript import Control, Transcript, acknowledgement, render_exchange

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


def slack_locale_of(settings: Settings) -> str:
    """The Slack locale (`de-DE`) of someone whose Slack is in the workspace's language
    (SHOPBOT_LANGUAGE): its own formats' locale when of that language, else the language's."""
    spoken = workspace_speech(settings)
    own = spoken.locale if language_of(spoken.locale) == spoken.language else None
    return (own or LANGUAGES[spoken.language]).replace("_", "-")


class OfflineBot:
    """Sandbox + app + HTTP server + a signed client, started and stopped together. The app is
    built by `build_app`, the composition root's (app.build_app), which the caller hands in."""

    def __init__(
        self,
        build_app: AppBuilder,
        settings: Settings,
        *,
        engine: Engine | None = None,
        team_id: str = "T0SANDBOX",
        services: Services | None = None,
    ) -> None:
        self.sandbox = SlackSandbox(team_id=team_id, scopes=BOT_SCOPES).start()
        # Its people have Slack in the workspace's language (a test gives one another).
        self.sandbox.default_locale = slack_locale_of(settings)
        for user in self.sandbox.users.values():
            user.locale = self.sandbox.default_locale
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

        Everything after the first space is sent as the command's text, as Slack sends what
        was typed (`&`, `<`, `>` escaped; `@tom` and `#general` as mentions):

            seen = bot.say("/kpi last week")
            assert "GMV" in seen                        # the text the shell would print
            assert seen.reply["response_type"] == "ephemeral"   # and the raw payloads
            bot.click(seen, 1)                          # press what is numbered [1 …]

        `files_dir`: uploaded files are saved there and named by their path (as in the shell).
        """
        command, _, text = line.partition(" ")
        mark = self.sandbox.call_count()
        response = self.client.slash_command(command, text, user_id=user_id, channel_id=channel_id)
        answer, shown_at = acknowledgement(response), ""
        if answer is not None:  # Slack shows it, and keeps it for a click to name
            shown_at = self.sandbox.acknowledged(channel_id, user_id, answer)
        return self._seen(mark, response, channel_id, files_dir, acknowledged_ts=shown_at)

    def click(
        self,
        seen: Transcript,
        number: int | str,
        *,
        user_id: str = "U0MARIA",
        files_dir: Path | None = None,
    ) -> Transcript:
        """Press the button numbered `number` (or labelled so) in what `seen` shows, as
        `user_id`; what they see then."""
        control = seen.control(number)
        if control.element.get("type") != "button":
            kind = control.element.get("type")
            raise NotChosen(f"{control.number} is no button ({kind}): choose one of its options.")
        return self._act(seen, control, None, user_id, files_dir)

    def choose(
        self,
        seen: Transcript,
        number: int | str,
        option: str,
        *,
        user_id: str = "U0MARIA",
        files_dir: Path | None = None,
    ) -> Transcript:
        """Pick `option` (its number, text or value; a date, a person, a channel) in the menu,
        overflow or picker numbered `number` in what `seen` shows. An external menu asks the
        app for its options first, with `option` as the words typed."""
        control = seen.control(number)
        if control.element.get("type") == "button":
            raise NotChosen(f"{control.number} is a button: click it.")
        where = self._current(control.where, seen.modal)

        def suggest(typed: str) -> list[dict[str, Any]]:
            action_id = str(control.element.get("action_id", ""))
            return self.options(where, control.block_id, action_id, typed, user_id=user_id)

        chosen = chosen_value(control.element, option, self._directory(), suggest)
        return self._act(seen, control, chosen, user_id, files_dir)

    def options(
        self, where: Surface, block_id: str, action_id: str, typed: str, *, user_id: str = "U0MARIA"
    ) -> list[dict[str, Any]]:
        """The options the app suggests for `typed` in an external menu (block_suggestion)."""
        response = self.client.block_suggestion(where, block_id, action_id, typed, user_id=user_id)
        answer = response.json() if response.status == 200 and response.body else {}
        return options_of(answer if isinstance(answer, dict) else {})

    def fill(
        self, modal: OpenModal, field: int | str, typed: str, *, user_id: str = "U0MARIA"
    ) -> str:
        """Fill the field `field` (its number or label) of the open modal with what `typed`
        names, as Slack's client would keep it; the value as the modal now shows it. An
        external menu asks the app for its options first; a file input takes a file's path
        and uploads it."""
        found = modal.field(str(field))
        where = Surface("modal", view=modal.with_state())

        def suggest(words: str) -> list[dict[str, Any]]:
            return self.options(where, found.block_id, found.action_id, words, user_id=user_id)

        if found.element.get("type") == "file_input":
            modal.set(found, {"files": [self._upload(Path(typed.strip()).expanduser(), user_id)]})
        else:
            modal.set(found, chosen_value(found.element, typed, self._directory(), suggest))
        return shown_value(modal.entry(found)) or "(empty)"

    def _upload(self, path: Path, user_id: str) -> dict[str, Any]:
        """A file the person picks from their disk for a file input, uploaded to Slack."""
        try:
            content = path.read_bytes()
        except OSError as error:
            raise NotChosen(f"Cannot read {path}: {error.strerror}.") from None
        return self.sandbox.user_upload(user_id, path.name, content)

    def submit(
        self,
        modal: OpenModal | dict[str, Any],
        values: dict[str, dict[str, Any]] | None = None,
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        files_dir: Path | None = None,
    ) -> Transcript:
        """Submit a modal (an open one, or a view with `values` in Slack's state shape, the
        rest at its initial values), as `user_id`; what they see then. Errors the app answers
        with are shown under their fields, and the modal stays open (`Transcript.modal`)."""
        form = modal if isinstance(modal, OpenModal) else OpenModal(modal)
        form.values.update(values or {})
        mark, after = self.sandbox.call_count(), None
        if missing := form.missing():  # Slack's client asks for these and sends nothing
            form.errors = missing
            response, after = AppResponse(200, ""), form
        else:
            response = self.client.view_submission(form.view, form.values, user_id=user_id)
            after = _after_submission(form, response)
        return self._seen(mark, response, channel_id, files_dir, modal=after, redraw=True)

    def close(self, modal: OpenModal, *, user_id: str = "U0MARIA") -> Transcript:
        """Close the modal with its Cancel: Slack tells the app (view_closed) only when the
        view asked for it (`notify_on_close`)."""

        mark, response = self.sandbox.call_count(), AppResponse(200, "")
        if modal.view.get("notify_on_close"):
            response = self.client.view_closed(modal.with_state(), user_id=user_id)
        return self._seen(mark, response, "", None)

    def open_home(self, user_id: str = "U0MARIA") -> Transcript:
        """`user_id` opens the App Home: the event Slack sends, then the Home as they see it
        (the view published now, or the one published before)."""

        mark = self.sandbox.call_count()
        response = self.client.app_home_opened(user_id)
        return self._seen(mark, response, "", None, home_of=user_id, show_home=True)

    def _act(
        self,
        seen: Transcript,
        control: Control,
        chosen: dict[str, Any] | None,
        user_id: str,
        files_dir: Path | None,
    ) -> Transcript:
        where = self._current(control.where, seen.modal)
        mark = self.sandbox.call_count()
        response = self.client.element_action(
            where, control.block_id, control.element, chosen, user_id=user_id
        )
        return self._seen(
            mark,
            response,
            where.channel_id,
            files_dir,
            modal=seen.modal if where.kind == "modal" else None,
            home_of=user_id if where.kind == "home" else "",
        )

    @staticmethod
    def _current(where: Surface, modal: OpenModal | None) -> Surface:
        """`where`, with the modal's state as filled in since it was drawn."""
        if where.kind == "modal" and modal is not None:
            return Surface("modal", view=modal.with_state())
        return where

    def _directory(self) -> Directory:
        return Directory(people=self.client.payloads.person, channels=self.client.payloads.channel)

    def _seen(
        self,
        mark: int,
        response: AppResponse,
        channel_id: str,
        files_dir: Path | None,
        *,
        acknowledged_ts: str = "",
        modal: OpenModal | None = None,
        home_of: str = "",
        show_home: bool = False,
        redraw: bool = False,
    ) -> Transcript:
        """What the person sees once the app settled after a request: its answer and every
        Slack call since `mark`. `modal` is on screen (drawn again first when `redraw`);
        `home_of`: whose Home is on screen (`show_home`: draw it even if not published now)."""
        self.settle()
        calls = self.sandbox.calls_since(mark)
        label = _saver(files_dir) if files_dir is not None else (lambda upload: upload.filename)
        drawn = render_exchange(
            self.sandbox,
            response,
            calls,
            channel_id=channel_id or "C0KPI",
            file_label=label,
            acknowledged_ts=acknowledged_ts,
            modal=modal,
            home_of=home_of,
            redraw_modal=redraw and modal is not None,
        )
        published = any(
            c.method == "views.publish" and c.ok and c.params.get("user_id") == home_of
            for c in calls
        )
        if show_home and not published and home_of in self.sandbox.home_views:
            drawn.draw_home(self.sandbox.home_views[home_of])  # the Home published before
        return Transcript(response, calls, "\n".join(drawn.lines), drawn.controls, drawn.modal)

    settle_seconds = SETTLE_SECONDS
    """How long `settle` waits by default (a test of heavy work on a busy machine waits longer)."""

    def settle(self, timeout: float | None = None) -> None:
        """Wait until the app is idle: no request being answered, no listener running or queued,
        no call to the Slack sandbox in flight. Raises TimeoutError, naming what is still busy."""
        timeout = self.settle_seconds if timeout is None else timeout
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


def _after_submission(form: OpenModal, response: AppResponse) -> OpenModal | None:
    """The modal on screen once the app answered its submission: the same one with errors
    under its fields, the view it was updated to or the one pushed; none once it closed."""
    answer = response.json() if response.status == 200 and response.body.strip() else None
    action = answer.get("response_action") if isinstance(answer, dict) else None
    if action == "errors":
        form.errors = {str(k): str(v) for k, v in (answer or {}).get("errors", {}).items()}
        return form
    if action == "update":
        return OpenModal({**(answer or {})["view"], "id": form.view.get("id")})
    if action == "push":
        return OpenModal((answer or {})["view"])
    return None


def _saver(files_dir: Path) -> Callable[[UploadedFile], str]:
    """Saves an uploaded file under `files_dir`; its path is its label."""

    def save(upload: UploadedFile) -> str:
        assert upload.content is not None
        files_dir.mkdir(parents=True, exist_ok=True)
        path = files_dir / f"{upload.id}-{Path(upload.filename).name}"
        path.write_bytes(upload.content)
        return str(path)

    return save
