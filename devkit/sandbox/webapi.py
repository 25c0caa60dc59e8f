"""A loopback stand-in for Slack's Web API, response URLs and file uploads.

It speaks Slack's HTTP protocol to the real `slack_sdk` clients (point `base_url` or
`SLACK_API_URL` at `sandbox.api_url`), keeps the workspace state Slack would keep (channels,
members, messages, views, files), answers with Slack's real error codes, rejects what Slack
rejects, and records every call so tests can assert on what Slack would have received.

Socket Mode is served when a stand-in is attached as `socket_mode` before the sandbox starts
(the tests' tests/sandbox_socket_mode.py): `apps.connections.open` then takes the app-level token
(`app_token`) and answers one of its WebSocket URLs.

Faults are injected on demand: `rate_limit()` answers HTTP 429 with `Retry-After`, `fail()`
answers with any error code or HTTP status, `delay()` makes a method slow. `chaos()` injects
them at random, with dropped connections besides, into every Web API call and response-URL post
(a dropped call is cut off before Slack acts on it, as when a connection is reset on the way).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import secrets
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from devkit.sandbox.blocks import LIMITS, validate_message, validate_options, validate_view

MAX_MESSAGE_TEXT = LIMITS["message.text"].most
TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
# The bot scope each method needs (any one of a tuple); Slack answers missing_scope without it.
REQUIRED_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.delete": ("chat:write",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
    "users.info": ("users:read",),
    "conversations.info": ("channels:read", "groups:read", "im:read"),
    "conversations.list": ("channels:read", "groups:read"),
    "conversations.history": ("channels:history", "groups:history", "im:history"),
    "conversations.open": ("im:write",),
}
HISTORY_PAGE_LIMIT = 1000
# Methods that take the app-level token (xapp-…) instead of the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


class SocketModeEndpoint(Protocol):
    """A Socket Mode server the sandbox starts, stops and hands out connection URLs of."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def issue_url(self) -> str: ...


class SlackApiError(Exception):
    """An error answer: Slack's error code plus any extra fields of the response."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class SlackCall:
    """One request the sandbox received and what it answered."""

    method: str
    params: dict[str, Any]
    token: str | None
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    is_im: bool = False
    members: set[str] = field(default_factory=set)


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/Berlin"
    is_admin: bool = False
    is_bot: bool = False
    locale: str = "en-US"  # the person's Slack language, as users.info tells it on request


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channels: list[str] = field(default_factory=list)
    completed: bool = False


@dataclass
class _Fault:
    kind: str  # "ratelimit" | "error" | "delay" | "late" | "drop"
    remaining: int
    retry_after: int = 1
    error: str = ""
    status: int = 200
    seconds: float = 0.0


CHAOS_KINDS = ("ratelimit", "server_error", "slow", "drop")
DROPPED = 0  # the status of a call whose connection was cut: no answer at all


@dataclass
class _Chaos:
    """Random faults: each call meets one with probability `rate`."""

    rate: float
    draw: random.Random
    kinds: tuple[str, ...]
    methods: frozenset[str] | None  # None: every method, and response URLs

    def fault(self, method: str) -> _Fault | None:
        if self.methods is not None and method not in self.methods:
            return None
        if method == "auth.test" or self.draw.random() >= self.rate:
            return None
        kind = self.draw.choice(self.kinds)
        if kind == "ratelimit":
            return _Fault("ratelimit", 1, retry_after=1)
        if kind == "server_error":
            return _Fault("error", 1, error="internal_error", status=500)
        if kind == "slow":
            return _Fault("delay", 1, seconds=self.draw.uniform(0.1, 1.0))
        return _Fault("drop", 1)


@dataclass
class _ResponseUrl:
    channel: str
    user: str
    expires_at: float
    uses: int = 0
    message_ts: str | None = None  # the message an interaction came from, for *_original


class SlackSandbox:
    """The sandboxed Slack workspace with its Web API server on 127.0.0.1."""

    def __init__(
        self,
        *,
        team_id: str = "T0SANDBOX",
        team_name: str = "Shopbot Sandbox",
        bot_token: str | None = None,
        app_token: str | None = None,
        scopes: Iterable[str] | None = None,
    ) -> None:
        """`scopes`: the bot scopes granted (default: every scope, so nothing is missing)."""
        self.team_id = team_id
        self.scopes = None if scopes is None else frozenset(scopes)
        self.team_name = team_name
        self.bot_token = bot_token or f"xoxb-{secrets.token_hex(6)}-{secrets.token_hex(12)}"
        self.bot_user_id = "U0SHOPBOT"
        self.bot_id = "B0SHOPBOT"
        self.app_id = "A0SHOPBOT"
        # Slack's shape: xapp-1-<app id>-<13 digits>-<64 hex>; only connections:write is implied.
        self.app_token = app_token or (
            f"xapp-1-{self.app_id}-{secrets.randbelow(10**13):013d}-{secrets.token_hex(32)}"
        )
        self.users: dict[str, User] = {}
        self.default_locale = "en-US"  # a person's Slack language when a test gives none
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemeral: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.moved_files: dict[str, str] = {}  # file ID → where its download redirects
        self._calls: list[SlackCall] = []
        self.refusals: list[tuple[str, list[str]]] = []  # (where, complaints) of what broke limits
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._chaos: _Chaos | None = None
        self._triggers: dict[str, float] = {}
        self._exchanged_triggers: set[str] = set()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._in_flight: Counter[str] = Counter()
        self._ids = itertools.count(1)
        # Slack's clock, which stamps messages (ts) and bounds conversations.history; a test
        # whose bot lives on another day sets it to the bot's.
        self.clock: Callable[[], float] = time.time
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.socket_mode: SocketModeEndpoint | None = None
        self._seed_workspace()

    # ---- workspace state -------------------------------------------------------------------

    def _seed_workspace(self) -> None:
        self.add_user("U0MARIA", "maria", "Maria Lopez", is_admin=True)
        self.add_user("U0TOM", "tom", "Tom Nguyen")
        self.add_user("U0PRIYA", "priya", "Priya Shah")
        self.users[self.bot_user_id] = User(self.bot_user_id, "shopbot", "shopbot", is_bot=True)
        everyone = set(self.users)
        self.add_channel("C0GENERAL", "general", members=everyone)
        self.add_channel("C0KPI", "lifestyle-kpi", members=everyone)
        self.add_channel("C0RANDOM", "random", members=everyone - {self.bot_user_id})
        self.add_channel("C0OLD", "old-reports", members=everyone, is_archived=True)

    def add_user(self, user_id: str, name: str, real_name: str, **kwargs: Any) -> User:
        """A person of the workspace; their Slack language is `default_locale` unless given."""
        kwargs.setdefault("locale", self.default_locale)
        with self._lock:
            user = User(user_id, name, real_name, **kwargs)
            self.users[user_id] = user
            return user

    def add_channel(
        self, channel_id: str, name: str, *, members: set[str] | None = None, **kwargs: Any
    ) -> Channel:
        with self._lock:
            channel = Channel(channel_id, name, members=set(members or ()), **kwargs)
            self.channels[channel_id] = channel
            return channel

    def _dm_channel(self, user_id: str) -> Channel:
        channel_id = "D" + user_id[1:]
        if channel_id not in self.channels:
            self.add_channel(channel_id, user_id, members={user_id, self.bot_user_id}, is_im=True)
        return self.channels[channel_id]

    # ---- server lifecycle ------------------------------------------------------------------

    def start(self) -> SlackSandbox:
        handler = type("BoundHandler", (_Handler,), {"sandbox": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="slack-sandbox", daemon=True
        )
        self._thread.start()
        if self.socket_mode is not None:
            self.socket_mode.start()
        return self

    def stop(self) -> None:
        if self.socket_mode is not None:
            self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackSandbox:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the sandbox is not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # ---- what tests and the shell use ------------------------------------------------------

    def calls(self, method: str | None = None) -> list[SlackCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def call_count(self) -> int:
        with self._lock:
            return len(self._calls)

    def calls_since(self, index: int) -> list[SlackCall]:
        with self._lock:
            return list(self._calls[index:])

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[SlackCall]:
        """Wait until `method` was called `count` times; returns those calls or raises."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.calls(method)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls]
                    raise TimeoutError(
                        f"{method} called {len(self.calls(method))}/{count} "
                        f"times within {timeout}s; calls: {seen}"
                    )
                self._changed.wait(left)
            return self.calls(method)

    def in_flight(self) -> list[str]:
        """The requests being answered right now, by method (`response_url` and the file
        upload and download count too); a request is in flight from its arrival until its answer
        is written."""
        with self._lock:
            return sorted(self._in_flight.elements())

    def wait_in_flight(self, method: str, timeout: float = 5.0) -> None:
        """Wait until a `method` request is being answered (one slowed down by `delay()`, say)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._in_flight[method]:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {method} request arrived within {timeout}s")
                self._changed.wait(left)

    @contextlib.contextmanager
    def _answering(self, method: str) -> Iterator[None]:
        with self._changed:
            self._in_flight[method] += 1
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._in_flight[method] -= 1
                self._changed.notify_all()

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls of `method` get HTTP 429 with `Retry-After`."""
        with self._lock:
            self._faults[method].append(_Fault("ratelimit", times, retry_after=retry_after))

    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200) -> None:
        """The next `times` calls of `method` answer `error` (with HTTP `status`)."""
        with self._lock:
            self._faults[method].append(_Fault("error", times, error=error, status=status))

    def delay(self, method: str, seconds: float, *, times: int = 1, done: bool = False) -> None:
        """The next `times` calls of `method` answer only after `seconds`; `done`: Slack does
        what they ask at once and only its answer is late (as when a client times out on a
        request that lands all the same)."""
        with self._lock:
            self._faults[method].append(_Fault("late" if done else "delay", times, seconds=seconds))

    @contextlib.contextmanager
    def chaos(
        self,
        rate: float,
        *,
        seed: int = 0,
        kinds: Iterable[str] = CHAOS_KINDS,
        methods: Iterable[str] | None = None,
    ) -> Iterator[None]:
        """While the block runs, each call (of `methods`, or every Web API method and response
        URL) meets a random fault with probability `rate`: HTTP 429 with `Retry-After: 1`, HTTP
        500 `internal_error`, an answer 0.1–1 s late, or a connection dropped before Slack acts
        on the call. `auth.test` is spared, as a client's first call."""
        unknown = set(kinds) - set(CHAOS_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        with self._lock:
            self._chaos = _Chaos(
                rate,
                random.Random(seed),
                tuple(kinds),
                None if methods is None else frozenset(methods),
            )
        try:
            yield
        finally:
            with self._lock:
                self._chaos = None

    def new_trigger_id(self) -> str:
        trigger_id = f"{next(self._ids)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self._lock:
            self._triggers[trigger_id] = time.monotonic() + TRIGGER_TTL_SECONDS
        return trigger_id

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        """A response URL for a command or an interaction (on the message `message_ts`)."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._response_urls[token] = _ResponseUrl(
                channel, user, time.monotonic() + RESPONSE_URL_TTL_SECONDS, message_ts=message_ts
            )
        return f"{self.base_url}/commands/{self.team_id}/{token}"

    def _next_ts(self) -> str:
        return f"{int(self.clock())}.{next(self._ids):06d}"

    # ---- request processing ----------------------------------------------------------------

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        token: str | None,
        status: int,
        response: dict[str, Any],
    ) -> None:
        with self._changed:
            self._calls.append(SlackCall(method, params, token, status, response))
            self._changed.notify_all()

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            if not queue:
                return self._chaos.fault(method) if self._chaos is not None else None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            return fault

    def handle_api(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one Web API call: (HTTP status, extra headers, JSON body)."""
        status, headers, body = self._answer(method, params, token)
        self._record(method, params, token, status, body)
        return status, headers, body

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        fault = self._take_fault(method)
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        elif fault is not None and fault.kind == "drop":
            return DROPPED, {}, {"ok": False, "error": "connection dropped"}
        elif fault is not None and fault.kind == "ratelimit":
            retry = str(fault.retry_after)
            return 429, {"Retry-After": retry}, {"ok": False, "error": "ratelimited"}
        elif fault is not None and fault.kind == "late":
            answer = self._answer_call(method, params, token)
            time.sleep(fault.seconds)
            return answer
        elif fault is not None:
            return fault.status, {}, {"ok": False, "error": fault.error}
        return self._answer_call(method, params, token)

    def _answer_call(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        handler = _API_METHODS.get(method)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            # Slack tells a token it knows, used where the other kind belongs, from a bad one.
            known = token in (self.bot_token, self.app_token)
            error = "not_allowed_token_type" if known else "invalid_auth"
            return 200, {}, {"ok": False, "error": error}
        needed = REQUIRED_SCOPES.get(method, ())
        if self.scopes is not None and needed and not self.scopes.intersection(needed):
            provided = ",".join(sorted(self.scopes))
            return (
                200,
                {},
                {
                    "ok": False,
                    "error": "missing_scope",
                    "needed": ",".join(needed),
                    "provided": provided,
                },
            )
        try:
            with self._lock:
                return 200, {}, {"ok": True, **handler(self, params)}
        except SlackApiError as error:
            return 200, {}, {"ok": False, "error": error.code, **error.extra}

    def handle_response_url(self, token: str, payload: dict[str, Any]) -> tuple[int, str]:
        """A post to a slash command's or an interaction's response_url."""
        fault = self._take_fault("response_url")
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        elif fault is not None:
            status = DROPPED if fault.kind == "drop" else 429 if fault.kind == "ratelimit" else 500
            self._record("response_url", payload, None, status, {"ok": False, "body": fault.kind})
            return status, fault.error or fault.kind
        shown: str | None = None
        with self._lock:
            target = self._response_urls.get(token)
            if target is None:
                status, body = 404, "no_such_url"
            elif target.expires_at < time.monotonic() or target.uses >= RESPONSE_URL_MAX_USES:
                status, body = 404, "expired_url"
            else:
                target.uses += 1
                status, body, shown = self._respond(target, payload)
        # Slack answers a response URL with `ok` alone; where the message is shown is recorded
        # beside it, for the shell to act on the message.
        where = {"channel": target.channel, "message_ts": shown} if target and shown else {}
        self._record(
            "response_url", payload, None, status, {"ok": status == 200, "body": body, **where}
        )
        return status, body

    def _original(self, target: _ResponseUrl) -> tuple[list[dict[str, Any]], int] | None:
        """Where the message an interaction came from is kept, and its index there."""
        if target.message_ts is None:
            return None
        for store in (self.messages[target.channel], self.ephemeral):
            for index, message in enumerate(store):
                if message["ts"] == target.message_ts:
                    return store, index
        return None

    def _respond(
        self, target: _ResponseUrl, payload: dict[str, Any]
    ) -> tuple[int, str, str | None]:
        original = self._original(target)
        if payload.get("delete_original"):
            if original is None:
                return 404, "message_not_found", None
            store, index = original
            del store[index]
            return 200, "ok", None
        if not payload.get("text") and not payload.get("blocks"):
            return 400, "no_text", None
        errors = validate_message(payload)
        if errors:
            self.refusals.append(("response_url", errors))
            return 400, "invalid_blocks", None
        if payload.get("replace_original") and original is not None:
            store, index = original
            store[index] = {
                **store[index],
                "text": payload.get("text", ""),
                "blocks": payload.get("blocks", []),
                "edited": True,
            }
            return 200, "ok", str(store[index]["ts"])
        message = {
            "text": payload.get("text", ""),
            "blocks": payload.get("blocks", []),
            "user": self.bot_user_id,
            "ts": self._next_ts(),
        }
        self._show(target.channel, target.user, message, payload.get("response_type"))
        return 200, "ok", str(message["ts"])

    def _show(self, channel: str, user: str, message: dict[str, Any], response_type: Any) -> None:
        if response_type == "in_channel":
            self.messages[channel].append(message)
        else:
            self.ephemeral.append({**message, "channel": channel, "to": user})

    def acknowledged(self, channel: str, user: str, payload: dict[str, Any]) -> str:
        """The message an app answered a slash command with, shown as Slack shows it (only to
        `user`, unless it is `in_channel`): its ts, for a response URL or a click to name it."""
        with self._lock:
            message = {
                "text": payload.get("text", ""),
                "blocks": payload.get("blocks", []),
                "user": self.bot_user_id,
                "ts": self._next_ts(),
            }
            self._show(channel, user, message, payload.get("response_type"))
            return str(message["ts"])

    def handle_upload(self, file_id: str, content: bytes) -> tuple[int, str]:
        with self._lock:
            upload = self.files.get(file_id)
            if upload is None or upload.completed:
                status, body = 404, "file_not_found"
            else:
                upload.content = content
                status, body = 200, f"OK - {len(content)}"
        self._record(
            "files.upload_url",
            {"file_id": file_id, "bytes": len(content)},
            None,
            status,
            {"ok": status == 200},
        )
        return status, body

    def dm_channel(self, user_id: str) -> str:
        """The ID of the DM between `user_id` and the bot (opened when first needed)."""
        with self._lock:
            return self._dm_channel(user_id).id

    def user_upload(self, user_id: str, filename: str, content: bytes) -> dict[str, Any]:
        """A file a person uploads in Slack (to share with the bot): its file object."""
        with self._lock:
            file_id = f"F{next(self._ids):08d}"
            upload = UploadedFile(file_id, filename, len(content), content, filename, [], True)
            self.files[file_id] = upload
            return {
                **self._file_object(upload),
                "user": user_id,
                "filetype": filename.rsplit(".", 1)[-1].lower() if "." in filename else "",
            }

    def move_file(self, file_id: str, location: str) -> None:
        """From now on the file host answers the file's download with a redirect (302) to
        `location`: a host that moved it, or one that sends the bot somewhere else."""
        with self._lock:
            self.moved_files[file_id] = location

    def download(self, file_id: str, token: str | None) -> tuple[int, bytes]:
        """(status, body) of a download; a moved file's body is where it moved to."""
        with self._lock:
            if file_id in self.moved_files:
                return 302, self.moved_files[file_id].encode()
            upload = self.files.get(file_id)
            if token != self.bot_token:
                return 403, b"invalid_auth"
            if upload is None or upload.content is None:
                return 404, b"file_not_found"
            return 200, upload.content

    # ---- the Web API methods ---------------------------------------------------------------

    def _channel(self, channel_id: Any) -> Channel:
        if isinstance(channel_id, str) and channel_id.startswith(("U", "W")):
            if channel_id not in self.users:
                raise SlackApiError("channel_not_found")
            return self._dm_channel(channel_id)
        channel = self.channels.get(channel_id) if isinstance(channel_id, str) else None
        if channel is None:
            raise SlackApiError("channel_not_found")
        return channel

    def _postable_channel(self, channel_id: Any) -> Channel:
        channel = self._channel(channel_id)
        if channel.is_archived:
            raise SlackApiError("is_archived")
        if self.bot_user_id not in channel.members:
            raise SlackApiError("not_in_channel")
        return channel

    def _check_message(self, params: dict[str, Any]) -> None:
        text, blocks = params.get("text"), params.get("blocks")
        if not text and not blocks and not params.get("attachments"):
            raise SlackApiError("no_text")
        if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
            raise SlackApiError("msg_too_long")
        if isinstance(blocks, str):
            raise SlackApiError("invalid_blocks_format")
        self._refuse_invalid("message", validate_message(params))

    def apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.socket_mode is None:
            raise SlackApiError("unknown_method")  # no Socket Mode attached: not served here
        return {"url": self.socket_mode.issue_url()}

    def auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"{self.base_url}/",
            "team": self.team_name,
            "user": "shopbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable_channel(params.get("channel"))
        self._check_message(params)
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "text": params.get("text", ""),
            "blocks": params.get("blocks", []),
            "ts": self._next_ts(),
        }
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
            if str(params.get("reply_broadcast")).lower() in ("true", "1"):
                message["subtype"] = "thread_broadcast"
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        self.messages[channel.id].append(message)
        return {"channel": channel.id, "ts": message["ts"], "message": message}

    def chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable_channel(params.get("channel"))
        user = params.get("user")
        if user not in self.users:
            raise SlackApiError("user_not_found")
        if user not in channel.members:
            raise SlackApiError("user_not_in_channel")
        self._check_message(params)
        ts = self._next_ts()
        self.ephemeral.append(
            {
                "channel": channel.id,
                "to": user,
                "ts": ts,
                "text": params.get("text", ""),
                "blocks": params.get("blocks", []),
            }
        )
        return {"message_ts": ts}

    def _find_message(self, params: dict[str, Any]) -> tuple[Channel, dict[str, Any]]:
        channel = self._channel(params.get("channel"))
        for message in self.messages[channel.id]:
            if message["ts"] == params.get("ts"):
                if message.get("user") != self.bot_user_id:
                    raise SlackApiError("cant_update_message")
                return channel, message
        raise SlackApiError("message_not_found")

    def chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._find_message(params)
        self._check_message(params)
        message.update(
            text=params.get("text", message["text"]),
            blocks=params.get("blocks", message["blocks"]),
            edited=True,
        )
        return {"channel": channel.id, "ts": message["ts"], "text": message["text"]}

    def chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._find_message(params)
        self.messages[channel.id].remove(message)
        return {"channel": channel.id, "ts": message["ts"]}

    def _refuse_invalid(self, where: str, errors: list[str]) -> None:
        """Slack's answer to a message it will not render: invalid_blocks, with every complaint."""
        if errors:
            self.refusals.append((where, errors))
            raise SlackApiError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
            )

    def check_acknowledgement(self, kind: str, answer: Any) -> list[str]:
        """What Slack would refuse in the app's acknowledgement of a `kind` request (a slash
        command's reply, a view submission's `response_action`, a menu's options); what is
        wrong is kept in `refusals`, as for the Web API and response URLs."""
        if not isinstance(answer, dict):
            return []
        if kind == "view_submission" and answer.get("response_action") in ("update", "push"):
            errors = validate_view(answer.get("view"))[1]
        elif kind == "block_suggestion":
            errors = validate_options(answer)
        elif kind in ("slash_command", "block_actions") and (
            "text" in answer or "blocks" in answer
        ):
            errors = validate_message(answer)
        else:
            return []
        if errors:
            with self._lock:
                self.refusals.append((f"{kind} acknowledgement", errors))
        return errors

    def _use_trigger(self, trigger_id: Any) -> None:
        if isinstance(trigger_id, str) and trigger_id in self._exchanged_triggers:
            raise SlackApiError("exchanged_trigger_id")
        expires = self._triggers.pop(trigger_id, None) if isinstance(trigger_id, str) else None
        if expires is None:
            raise SlackApiError("invalid_trigger_id")
        self._exchanged_triggers.add(trigger_id)
        if expires < time.monotonic():
            raise SlackApiError("expired_trigger_id")

    def _store_view(self, view: Any, view_id: str | None = None) -> dict[str, Any]:
        error, errors = validate_view(view)
        if error:
            self.refusals.append(("view", errors))
            # Unlike chat.*, views.* carry the complaints only in response_metadata.messages.
            raise SlackApiError(
                error, response_metadata={"messages": [f"[ERROR] {e}" for e in errors]}
            )
        view_id = view_id or f"V{next(self._ids):08d}"
        # The fields Slack adds to every view object it returns and sends back in payloads.
        stored = {
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "app_installed_team_id": self.team_id,
            "root_view_id": view_id,
            "previous_view_id": None,
            "hash": secrets.token_hex(8),
            "state": {"values": {}},
        }
        self.views[view_id] = stored
        return stored

    def views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        self._use_trigger(params.get("trigger_id"))
        return {"view": self._store_view(params.get("view"))}

    def views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.views_open(params)

    def views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and params.get("external_id"):
            view_id = next(
                (
                    v["id"]
                    for v in self.views.values()
                    if v.get("external_id") == params["external_id"]
                ),
                None,
            )
        if view_id not in self.views:
            raise SlackApiError("not_found")
        if params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            raise SlackApiError("hash_conflict")
        return {"view": self._store_view(params.get("view"), view_id)}

    def views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params.get("user_id")
        if user not in self.users:
            raise SlackApiError("user_not_found")
        view = self._store_view(params.get("view"))
        self.home_views[user] = view
        return {"view": view}

    def files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        try:
            length = int(params.get("length", ""))
        except ValueError:
            raise SlackApiError("invalid_arguments") from None
        if not filename or length <= 0:
            raise SlackApiError("invalid_arguments")
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = UploadedFile(file_id, str(filename), length)
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackApiError("invalid_arguments")
        if isinstance(params.get("blocks"), str):
            raise SlackApiError("invalid_blocks_format")
        self._refuse_invalid("upload", validate_message(params, "initial_comment"))
        # `channels` is a comma-separated list of channel IDs (slack_sdk joins a list with ",").
        targets = params.get("channel_id") or params.get("channels") or ""
        channels = [self._postable_channel(c.strip()) for c in str(targets).split(",") if c.strip()]
        done = []
        for entry in entries:
            upload = self.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if upload is None or upload.content is None:
                raise SlackApiError("file_not_found")
            if len(upload.content) != upload.length:
                raise SlackApiError("file_upload_size_mismatch")
            upload.title = entry.get("title") or upload.filename
            upload.completed = True
            upload.channels.extend(channel.id for channel in channels)
            done.append(self._file_object(upload))
        for channel in channels:
            self.messages[channel.id].append(
                {
                    "type": "message",
                    "user": self.bot_user_id,
                    "ts": self._next_ts(),
                    "text": params.get("initial_comment", ""),
                    "files": done,
                    "blocks": [],
                    **({"thread_ts": params["thread_ts"]} if params.get("thread_ts") else {}),
                }
            )
        return {"files": done}

    def _file_object(self, upload: UploadedFile) -> dict[str, Any]:
        return {
            "id": upload.id,
            "name": upload.filename,
            "title": upload.title,
            "size": upload.length,
            "channels": list(upload.channels),
            "url_private": f"{self.base_url}/files/{upload.id}",
            "url_private_download": f"{self.base_url}/files/{upload.id}",
        }

    def users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if user is None:
            raise SlackApiError("user_not_found")
        found = {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "real_name": user.real_name,
            "tz": user.tz,
            "is_admin": user.is_admin,
            "is_bot": user.is_bot,
            "profile": {"real_name": user.real_name, "display_name": user.name},
        }
        if str(params.get("include_locale", "")).lower() in {"1", "true"}:
            found["locale"] = user.locale  # only when asked, as Slack does
        return {"user": found}

    def conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(params.get("channel", ""))
        if channel is None:
            raise SlackApiError("channel_not_found")
        return {"channel": self._channel_object(channel)}

    def _channel_object(self, channel: Channel) -> dict[str, Any]:
        return {
            "id": channel.id,
            "name": channel.name,
            "is_channel": not channel.is_im,
            "is_im": channel.is_im,
            "is_private": channel.is_private,
            "is_archived": channel.is_archived,
            "is_member": self.bot_user_id in channel.members,
        }

    def conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        """Channels the bot can see (private ones only as a member), paged by `cursor`."""
        types = str(params.get("types") or "public_channel").split(",")
        visible = [
            c
            for c in self.channels.values()
            if not c.is_im
            and ("private_channel" if c.is_private else "public_channel") in types
            and (not c.is_private or self.bot_user_id in c.members)
            and not (c.is_archived and str(params.get("exclude_archived")).lower() == "true")
        ]
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        page = visible[start : start + limit]
        more = start + limit < len(visible)
        return {
            "channels": [self._channel_object(c) for c in page],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """A channel's messages, newest first, after `oldest`; metadata only when asked. As
        in Slack, a thread's replies are left out (they come from conversations.replies),
        except those also sent to the channel (`reply_broadcast`)."""
        channel = self._readable_channel(params)
        oldest = float(params.get("oldest") or 0)
        found = [
            m
            for m in reversed(self.messages[channel.id])
            if float(m["ts"]) > oldest
            and (m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast")
        ]
        return _history_page(found, params)

    def conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """A thread's messages, oldest first: its parent `ts` and then its replies after
        `oldest`; metadata only when asked (Slack's conversations.replies)."""
        channel = self._readable_channel(params)
        ts = str(params.get("ts") or "")
        if not ts:
            raise SlackApiError("invalid_arguments")
        oldest = float(params.get("oldest") or 0)
        thread = [m for m in self.messages[channel.id] if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            raise SlackApiError("thread_not_found")
        found = [m for m in thread if m["ts"] == ts or float(m["ts"]) > oldest]
        return _history_page(found, params)

    def _readable_channel(self, params: dict[str, Any]) -> Channel:
        channel = self._channel(params.get("channel"))
        if self.bot_user_id not in channel.members:
            raise SlackApiError("not_in_channel")
        return channel

    def conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if len(users) != 1 or users[0] not in self.users:
            raise SlackApiError("user_not_found")
        return {"channel": {"id": self._dm_channel(users[0]).id}}


_API_METHODS: dict[str, Callable[[SlackSandbox, dict[str, Any]], dict[str, Any]]] = {
    "apps.connections.open": SlackSandbox.apps_connections_open,
    "auth.test": SlackSandbox.auth_test,
    "chat.postMessage": SlackSandbox.chat_post_message,
    "chat.postEphemeral": SlackSandbox.chat_post_ephemeral,
    "chat.update": SlackSandbox.chat_update,
    "chat.delete": SlackSandbox.chat_delete,
    "views.open": SlackSandbox.views_open,
    "views.push": SlackSandbox.views_push,
    "views.update": SlackSandbox.views_update,
    "views.publish": SlackSandbox.views_publish,
    "files.getUploadURLExternal": SlackSandbox.files_get_upload_url_external,
    "files.completeUploadExternal": SlackSandbox.files_complete_upload_external,
    "users.info": SlackSandbox.users_info,
    "conversations.info": SlackSandbox.conversations_info,
    "conversations.list": SlackSandbox.conversations_list,
    "conversations.history": SlackSandbox.conversations_history,
    "conversations.replies": SlackSandbox.conversations_replies,
    "conversations.open": SlackSandbox.conversations_open,
}


def _history_page(found: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """One page of `found` messages by `cursor` and `limit`, metadata only when asked."""
    with_metadata = str(params.get("include_all_metadata")).lower() in ("true", "1")
    start = int(params.get("cursor") or 0)
    limit = min(int(params.get("limit") or 100), HISTORY_PAGE_LIMIT)
    more = start + limit < len(found)
    return {
        "messages": [
            {k: v for k, v in m.items() if k != "metadata" or with_metadata}
            for m in found[start : start + limit]
        ],
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _parse_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Merge query string, form or JSON body, decoding the fields Slack takes as JSON strings."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body:
        if "application/json" in content_type:
            decoded = json.loads(body)
            if isinstance(decoded, dict):
                params.update(decoded)
        else:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
    for name in _JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value[:1] in "[{":
            # Left as a string when it does not parse: the method answers invalid_blocks_format.
            with contextlib.suppress(json.JSONDecodeError):
                params[name] = json.loads(value)
    return params


def _request_name(parts: list[str]) -> str:
    """The name a request to `/parts…` is counted under while it is in flight."""
    kinds = {"commands": "response_url", "upload": "files.upload_url", "files": "files.download"}
    if parts[0] == "api" and len(parts) == 2:
        return parts[1]
    return kinds.get(parts[0], "/".join(parts))


class _Handler(BaseHTTPRequestHandler):
    sandbox: SlackSandbox
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # the sandbox records calls itself; keep test output clean

    def _token(self, params: dict[str, Any]) -> str | None:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth.removeprefix("Bearer ").strip()
        token = params.pop("token", None)
        return token if isinstance(token, str) else None

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        if status == DROPPED:
            self._drop()
            return
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The caller hung up first (its timeout ran out during a delay()): nobody to answer.
            self.close_connection = True

    def _drop(self) -> None:
        """Cut the connection without an answer: the client sees it reset."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _api(self, method: str, body: bytes, query: str) -> None:
        try:
            params = _parse_params(self.headers.get("Content-Type", ""), body, query)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._send(200, b'{"ok":false,"error":"invalid_json"}', "application/json")
            return
        token = self._token(params)
        status, headers, answer = self.sandbox.handle_api(method, params, token)
        self._send(status, json.dumps(answer).encode(), "application/json; charset=utf-8", headers)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        with self.sandbox._answering(_request_name(parts)):
            self._get(url.query, parts)

    def _get(self, query: str, parts: list[str]) -> None:
        if parts[0] == "api" and len(parts) == 2:
            self._api(parts[1], b"", query)
        elif parts[0] == "files" and len(parts) >= 2:
            auth = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            status, content = self.sandbox.download(parts[1], auth or None)
            if status == 302:
                self._send(status, b"", "text/plain", {"Location": content.decode()})
            else:
                self._send(status, content, "application/octet-stream")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        with self.sandbox._answering(_request_name(parts)):
            self._post(url.query, parts, self._body())

    def _post(self, query: str, parts: list[str], body: bytes) -> None:
        if parts[0] == "api" and len(parts) == 2:
            self._api(parts[1], body, query)
        elif parts[0] == "upload" and len(parts) == 2:
            status, text = self.sandbox.handle_upload(parts[1], body)
            self._send(status, text.encode(), "text/plain")
        elif parts[0] == "commands" and len(parts) == 3:
            try:
                payload = json.loads(body or b"{}")
            except json.JSONDecodeError:
                self._send(400, b"invalid_payload", "text/plain")
                return
            status, text = self.sandbox.handle_response_url(parts[2], payload)
            self._send(status, text.encode(), "text/plain")
        else:
            self._send(404, b"not found", "text/plain")
