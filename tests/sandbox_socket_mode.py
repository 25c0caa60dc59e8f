"""Slack's Socket Mode side of the sandbox: a loopback WebSocket server speaking Slack's protocol.

Only the tests use it (shopbot's own Socket Mode client is slack_sdk's): attach it to a sandbox
before starting it, `sandbox.socket_mode = SocketModeServer(sandbox)`. Then the sandbox's
`apps.connections.open` hands out a single-use `ws://127.0.0.1:PORT/link/?ticket=…`
URL; the app's Socket Mode client opens it with an RFC 6455 handshake and gets a `hello`. Tests
then push envelopes (slash commands, interactivity, Events API callbacks) built by the same
`SlackPayloads` as the signed HTTP client, and wait for the app's acknowledgement with the same
`envelope_id`, as Slack does. What is said on a connection is recorded with the sandbox's other
calls: `socket_mode.connect`, `.hello`, `.envelope`, `.ack`, `.disconnect`, `.message`, `.close`.

Stdlib only. The framing helpers at the top are pure functions.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from devkit.sandbox.payloads import SlackPayloads

if TYPE_CHECKING:
    from devkit.sandbox.webapi import SlackSandbox

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Far above any acknowledgement; only keeps a runaway client from filling the sandbox's memory.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
# A connection URL is good for one connection, soon after it was issued.
TICKET_TTL_SECONDS = 30.0
DEBUG_HOST = "applink-sandbox"
# Slack's hello says roughly how long it keeps a connection before asking for a refresh.
APPROXIMATE_CONNECTION_SECONDS = 18060


class Opcode(IntEnum):
    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


class CloseCode(IntEnum):
    """The close codes of RFC 6455 §7.4.1 that the sandbox sends or reports."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    NO_STATUS = 1005
    ABNORMAL = 1006  # never sent: the peer went away without a close frame
    INVALID_DATA = 1007
    TOO_BIG = 1009


class FrameError(Exception):
    """Input RFC 6455 says must fail the connection; `code` is the close code to answer with."""

    def __init__(self, code: CloseCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Frame:
    """One WebSocket frame with its payload already unmasked."""

    opcode: int
    payload: bytes = b""
    fin: bool = True
    masked: bool = False


def websocket_accept(key: str) -> str:
    """The Sec-WebSocket-Accept answer to a client's Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    digest = hashlib.sha1((key + WEBSOCKET_GUID).encode(), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode()


def apply_mask(data: bytes, mask: bytes) -> bytes:
    """XOR `data` with the 4-byte key: masking and unmasking are the same operation."""
    if not data:
        return b""
    key = (mask * (len(data) // 4 + 1))[: len(data)]
    # One big-integer XOR instead of a Python loop per byte: acks can be kilobytes.
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(len(data), "big")


def encode_frame(
    opcode: int, payload: bytes = b"", *, fin: bool = True, mask: bytes | None = None
) -> bytes:
    """One frame. Servers send unmasked frames (`mask=None`); clients mask with a 4-byte key."""
    if mask is not None and len(mask) != 4:
        raise ValueError("a masking key is 4 bytes")
    first = (0x80 if fin else 0) | opcode
    masked = 0x80 if mask is not None else 0
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, masked | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", first, masked | 126, length)
    else:
        header = struct.pack("!BBQ", first, masked | 127, length)
    if mask is None:
        return header + payload
    return header + mask + apply_mask(payload, mask)


def decode_frame(
    data: bytes | bytearray, *, max_length: int = MAX_MESSAGE_BYTES
) -> tuple[Frame, int] | None:
    """The first frame in `data` and how many bytes it took, or None while it is incomplete.

    Raises FrameError for what RFC 6455 says must fail the connection: reserved bits, unknown
    opcodes, long or fragmented control frames, and payloads over `max_length`.
    """
    if len(data) < 2:
        return None
    first, second = data[0], data[1]
    if first & 0x70:
        raise FrameError(CloseCode.PROTOCOL_ERROR, "reserved bits set without an extension")
    opcode = first & 0x0F
    if opcode not in set(Opcode):
        raise FrameError(CloseCode.PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
    fin, masked = bool(first & 0x80), bool(second & 0x80)
    length, offset = second & 0x7F, 2
    if length == 126:
        if len(data) < 4:
            return None
        (length,) = struct.unpack_from("!H", data, 2)
        offset = 4
    elif length == 127:
        if len(data) < 10:
            return None
        (length,) = struct.unpack_from("!Q", data, 2)
        offset = 10
        if length >> 63:
            raise FrameError(CloseCode.PROTOCOL_ERROR, "64-bit length with the high bit set")
    if opcode >= Opcode.CLOSE and (length > 125 or not fin):
        raise FrameError(CloseCode.PROTOCOL_ERROR, "control frames are short and unfragmented")
    if length > max_length:
        raise FrameError(CloseCode.TOO_BIG, f"frame of {length} bytes")
    mask = b""
    if masked:
        if len(data) < offset + 4:
            return None
        mask = bytes(data[offset : offset + 4])
        offset += 4
    end = offset + length
    if len(data) < end:
        return None
    payload = bytes(data[offset:end])
    if masked:
        payload = apply_mask(payload, mask)
    return Frame(opcode, payload, fin=fin, masked=masked), end


def close_payload(code: int, reason: str = "") -> bytes:
    """A close frame's body: the code, then a UTF-8 reason cut to fit 125 bytes."""
    return struct.pack("!H", code) + reason.encode()[:123]


def parse_close(payload: bytes) -> tuple[int, str]:
    """(code, reason) of a close frame; 1005 when it carries no code (RFC 6455 §7.1.5)."""
    if not payload:
        return CloseCode.NO_STATUS, ""
    if len(payload) == 1:
        raise FrameError(CloseCode.PROTOCOL_ERROR, "a close code is two bytes")
    (code,) = struct.unpack_from("!H", payload)
    return code, payload[2:].decode("utf-8", errors="replace")


def _tokens(value: str | None) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",")}


def handshake_problem(headers: Iterable[tuple[str, str]]) -> tuple[int, str] | None:
    """Why a request is not a WebSocket opening handshake (RFC 6455 §4.2.1): (status, reason)."""
    given = {name.lower(): value for name, value in headers}
    if not given.get("host"):
        return 400, "missing Host"
    if "websocket" not in _tokens(given.get("upgrade")):
        return 400, "expected Upgrade: websocket"
    if "upgrade" not in _tokens(given.get("connection")):
        return 400, "expected Connection: Upgrade"
    if given.get("sec-websocket-version", "").strip() != "13":
        return 426, "only Sec-WebSocket-Version 13 is spoken"
    try:
        key = base64.b64decode(given.get("sec-websocket-key", "").strip(), validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 16:
        return 400, "Sec-WebSocket-Key must be 16 base64-encoded bytes"
    return None


class SocketModeConnection:
    """One open WebSocket from the app: frames go out under a lock, come in on its own thread."""

    def __init__(self, number: int, sock: socket.socket, reader: io.BufferedIOBase) -> None:
        self.number = number
        self._sock = sock
        self._reader = reader  # may already hold bytes sent right after the handshake
        self._send_lock = threading.Lock()
        self.close_sent: tuple[int, str] | None = None

    def send_frame(self, opcode: Opcode, payload: bytes = b"") -> None:
        with self._send_lock:
            self._sock.sendall(encode_frame(opcode, payload))

    def send_json(self, message: dict[str, Any]) -> None:
        self.send_frame(Opcode.TEXT, json.dumps(message).encode())

    def close(self, code: int, reason: str = "") -> None:
        """Send a close frame once; the app's answer (or its hanging up) ends the connection."""
        if self.close_sent is not None:
            return
        self.close_sent = (code, reason)
        with contextlib.suppress(OSError):  # already gone: nothing to tell
            self.send_frame(Opcode.CLOSE, close_payload(code, reason))

    def abort(self) -> None:
        """Hang up now; the reading thread sees the end of the stream."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def frames(self) -> Iterator[Frame]:
        """The frames the app sends, until it hangs up."""
        buffer = bytearray()
        while True:
            decoded = decode_frame(buffer)
            if decoded is None:
                try:
                    chunk = self._reader.read1(65536)
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                continue
            frame, used = decoded
            del buffer[:used]
            yield frame


class SocketModeServer:
    """Slack's Socket Mode endpoint for one sandbox, with what tests need to drive it."""

    def __init__(self, sandbox: SlackSandbox) -> None:
        self.sandbox = sandbox
        self.payloads = SlackPayloads(sandbox)
        # The sandbox's own condition: waiters see socket traffic and Web API calls alike.
        self._changed = sandbox._changed
        self._tickets: dict[str, float] = {}
        self._connections: list[SocketModeConnection] = []
        self._greeting: list[SocketModeConnection] = []  # handshake done, hello on its way
        self._numbers = 0
        self._established = 0
        self._awaiting_ack: dict[str, float] = {}
        self._acks: dict[str, dict[str, Any]] = {}
        self._server: ThreadingHTTPServer | None = None

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        handler = type("BoundLinkHandler", (_LinkHandler,), {"socket_mode": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="slack-socket-mode", daemon=True
        ).start()

    def stop(self) -> None:
        with self._changed:
            connections = self._connections + self._greeting
        for connection in connections:
            connection.close(CloseCode.GOING_AWAY, "sandbox stopping")
            connection.abort()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the sandbox is not started"
        return f"ws://127.0.0.1:{self._server.server_address[1]}"

    # ---- what apps.connections.open and the handshake use ----------------------------------

    def issue_url(self) -> str:
        """A fresh single-use connection URL, as apps.connections.open answers."""
        ticket = str(uuid.uuid4())
        with self._changed:
            self._tickets[ticket] = time.monotonic() + TICKET_TTL_SECONDS
        return f"{self.base_url}/link/?ticket={ticket}&app_id={self.sandbox.app_id}"

    def take_ticket(self, ticket: str) -> bool:
        """Use up `ticket`: True when it was issued, unused and not yet expired."""
        with self._changed:
            expires_at = self._tickets.pop(ticket, None)
        return expires_at is not None and expires_at >= time.monotonic()

    def record_connect(self, ticket: str, status: int, error: str | None = None) -> None:
        response: dict[str, Any] = {"ok": error is None}
        if error is not None:
            response["error"] = error
        self.sandbox._record("socket_mode.connect", {"ticket": ticket}, None, status, response)

    def serve(self, sock: socket.socket, reader: io.BufferedIOBase) -> None:
        """Greet a connection that completed its handshake, then answer it until it closes."""
        with self._changed:
            self._numbers += 1
            connection = SocketModeConnection(self._numbers, sock, reader)
            hello = {
                "type": "hello",
                "num_connections": len(self._connections) + 1,
                "debug_info": {
                    "host": DEBUG_HOST,
                    "build_number": 1,
                    "approximate_connection_time": APPROXIMATE_CONNECTION_SECONDS,
                },
                "connection_info": {"app_id": self.sandbox.app_id},
            }
            self._greeting.append(connection)  # a stop from now on closes it too
        try:
            connection.send_json(hello)
        except OSError:
            with self._changed:
                self._greeting.remove(connection)
            return
        with self._changed:
            # Only now may envelopes go out on it: nothing overtakes the hello.
            self._greeting.remove(connection)
            self._connections.append(connection)
            self._established += 1
            self.sandbox._record("socket_mode.hello", hello, None, 200, {"ok": True})
        code, reason, by = self._converse(connection)
        connection.abort()
        with self._changed:
            self._connections.remove(connection)
            self.sandbox._record(
                "socket_mode.close",
                {"connection": connection.number, "code": int(code), "reason": reason, "by": by},
                None,
                200,
                {"ok": True},
            )

    def _converse(self, connection: SocketModeConnection) -> tuple[int, str, str]:
        """Read until the connection ends: (close code, reason, "app" or "sandbox")."""
        parts: list[bytes] = []
        opcode: int | None = None
        try:
            for frame in connection.frames():
                if not frame.masked:
                    raise FrameError(CloseCode.PROTOCOL_ERROR, "client frames must be masked")
                if frame.opcode == Opcode.PING:
                    connection.send_frame(Opcode.PONG, frame.payload)
                elif frame.opcode == Opcode.PONG:
                    continue
                elif frame.opcode == Opcode.CLOSE:
                    code, reason = parse_close(frame.payload)
                    if connection.close_sent is not None:
                        return (*connection.close_sent, "sandbox")
                    connection.close(code if code != CloseCode.NO_STATUS else CloseCode.NORMAL)
                    return code, reason, "app"
                else:
                    if (frame.opcode == Opcode.CONTINUATION) != (opcode is not None):
                        raise FrameError(CloseCode.PROTOCOL_ERROR, "broken fragmentation")
                    opcode = frame.opcode if opcode is None else opcode
                    parts.append(frame.payload)
                    if sum(map(len, parts)) > MAX_MESSAGE_BYTES:
                        raise FrameError(CloseCode.TOO_BIG, "message too big")
                    if frame.fin:
                        self._on_message(opcode, b"".join(parts))
                        parts, opcode = [], None
        except FrameError as error:
            connection.close(error.code, error.reason)
            return error.code, error.reason, "sandbox"
        except OSError:
            pass
        if connection.close_sent is not None:
            return (*connection.close_sent, "sandbox")
        # slack_sdk's builtin client hangs up without a close frame when it closes or reconnects.
        return CloseCode.ABNORMAL, "", "app"

    def _on_message(self, opcode: int, data: bytes) -> None:
        if opcode != Opcode.TEXT:
            raise FrameError(CloseCode.UNSUPPORTED_DATA, "Socket Mode speaks JSON in text frames")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FrameError(CloseCode.INVALID_DATA, "a text frame must be UTF-8") from None
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            message = None
        with self._changed:
            if isinstance(message, dict) and isinstance(message.get("envelope_id"), str):
                envelope_id = message["envelope_id"]
                sent_at = self._awaiting_ack.pop(envelope_id, None)
                response: dict[str, Any] = {"ok": sent_at is not None}
                if sent_at is not None:
                    self._acks[envelope_id] = message
                    response["seconds"] = round(time.monotonic() - sent_at, 3)
                self.sandbox._record("socket_mode.ack", message, None, 200, response)
            else:
                self.sandbox._record(
                    "socket_mode.message", {"text": text}, None, 200, {"ok": False}
                )

    # ---- what tests use --------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        with self._changed:
            return len(self._connections)

    def wait_connected(self, timeout: float = 10.0, *, count: int = 1) -> None:
        """Wait until `count` connections got their hello since the start and one is open."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._established < count or not self._connections:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{self._established}/{count} Socket Mode connections within {timeout}s "
                        f"({len(self._connections)} open)"
                    )
                self._changed.wait(left)

    def post_envelope(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        **extra: Any,
    ) -> str:
        """Send one envelope on the newest connection without waiting; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
            **extra,
        }
        with self._changed:
            if not self._connections:
                raise ConnectionError("no Socket Mode connection is open: wait_connected() first")
            # Slack spreads envelopes over an app's connections; the newest is always a fair pick.
            connection = self._connections[-1]
            self._awaiting_ack[envelope_id] = time.monotonic()
            self.sandbox._record("socket_mode.envelope", envelope, None, 200, {"ok": True})
        try:
            connection.send_json(envelope)
        except OSError as error:
            raise ConnectionError(f"the Socket Mode connection dropped: {error}") from error
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of `envelope_id`: {"envelope_id", "payload"?}."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"envelope {envelope_id} not acknowledged within {timeout}s")
                self._changed.wait(left)
            return self._acks[envelope_id]

    def send_slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0MARIA",
        channel_id: str = "C0KPI",
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """`/command text` typed by `user_id`; returns the ack's payload ({} when it has none)."""
        payload = self.payloads.slash_command(command, text, user_id=user_id, channel_id=channel_id)
        envelope_id = self.post_envelope("slash_commands", payload, accepts_response_payload=True)
        return dict(self.wait_ack(envelope_id, timeout).get("payload") or {})

    def send_interactive(self, payload: dict[str, Any], *, timeout: float = 10.0) -> dict[str, Any]:
        """An interactivity payload (block_actions, view_submission, …); returns the ack payload."""
        full = self.payloads.interactive(payload)
        # Only these may answer in the ack (response_action, options); Slack ignores the rest.
        accepts = full.get("type") in {"view_submission", "block_suggestion"}
        envelope_id = self.post_envelope("interactive", full, accepts_response_payload=accepts)
        return dict(self.wait_ack(envelope_id, timeout).get("payload") or {})

    def send_event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """An Events API callback wrapping `event`; returns the ack's payload (normally {})."""
        envelope_id = self.post_envelope(
            "events_api",
            self.payloads.event_callback(event, event_id=event_id),
            accepts_response_payload=False,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        return dict(self.wait_ack(envelope_id, timeout).get("payload") or {})

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the newest connection's client to reconnect, as Slack does before a refresh."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": DEBUG_HOST}}
        with self._changed:
            if not self._connections:
                raise ConnectionError("no Socket Mode connection is open")
            connection = self._connections[-1]
            self.sandbox._record("socket_mode.disconnect", message, None, 200, {"ok": True})
        try:
            connection.send_json(message)
        except OSError as error:
            raise ConnectionError(f"the Socket Mode connection dropped: {error}") from error


class _LinkHandler(BaseHTTPRequestHandler):
    """The opening handshake on `/link/`, then the connection is handed to the server."""

    socket_mode: SocketModeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # recorded as socket_mode.* calls instead

    def _refuse(self, status: int, reason: str) -> None:
        body = reason.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if status == 426:
            self.send_header("Sec-WebSocket-Version", "13")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        ticket = parse_qs(url.query).get("ticket", [""])[0]
        if url.path.rstrip("/") != "/link":
            self._refuse(404, "not found")
            return
        problem = handshake_problem(self.headers.items())
        if problem is None and not self.socket_mode.take_ticket(ticket):
            problem = (401, "unknown, used or expired ticket")
        if problem is not None:
            self.socket_mode.record_connect(ticket, problem[0], problem[1])
            self._refuse(*problem)
            return
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header(
            "Sec-WebSocket-Accept",
            websocket_accept(self.headers.get("Sec-WebSocket-Key", "").strip()),
        )
        self.end_headers()
        self.close_connection = True
        self.socket_mode.record_connect(ticket, 101)
        self.socket_mode.serve(self.connection, self.rfile)
