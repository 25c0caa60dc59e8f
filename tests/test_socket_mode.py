"""Socket Mode, end to end: the sandbox's WebSocket side of Slack against slack_sdk's own client,
then `shopbot run` with SLACK_APP_TOKEN set, as a separate process.

The first part unit-tests the pure RFC 6455 framing helpers (cross-checked with the frames
slack_sdk's builtin client builds), the second drives the sandbox with slack_sdk's
SocketModeClient and raw sockets, the last runs the real app over Socket Mode on each database.
"""

from __future__ import annotations

import base64
import json
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.builtin.internals import _build_data_frame_for_sending
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from sqlalchemy.engine import Engine

from devkit.sandbox import SlackSandbox
from storage.db import transaction
from storage.sellers.models import Seller
from tests.sandbox_socket_mode import (
    CloseCode,
    Frame,
    FrameError,
    Opcode,
    SocketModeServer,
    close_payload,
    decode_frame,
    encode_frame,
    handshake_problem,
    parse_close,
    websocket_accept,
)
from tests.slack_support import markup
from tests.test_cli import SIGNING_SECRET, slack_env


@pytest.fixture
def socket_mode() -> Iterator[SocketModeServer]:
    """The sandbox's Socket Mode server; its `sandbox` is started with it."""
    sandbox = SlackSandbox()
    server = sandbox.socket_mode = SocketModeServer(sandbox)
    with sandbox:
        yield server


@pytest.fixture
def sandbox(socket_mode: SocketModeServer) -> SlackSandbox:
    return socket_mode.sandbox


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# ---- the framing helpers (pure) --------------------------------------------------------------


def test_websocket_accept_is_rfc_6455s_example() -> None:
    assert websocket_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("length", [0, 1, 125, 126, 65535, 65536])
@pytest.mark.parametrize("mask", [None, b"\x01\x80\xfe\x37"])
def test_frames_round_trip_at_each_length_encoding(length: int, mask: bytes | None) -> None:
    payload = bytes(i % 251 for i in range(length))
    data = encode_frame(Opcode.BINARY, payload, mask=mask)
    header = 2 + (0 if length < 126 else 2 if length < 65536 else 8) + (4 if mask else 0)
    assert len(data) == header + length
    assert decode_frame(data) == (Frame(Opcode.BINARY, payload, masked=mask is not None), len(data))


@pytest.mark.parametrize(
    ("opcode", "payload"),
    [
        (Opcode.TEXT, '{"envelope_id":"e1","payload":{"text":"größe ✓"}}'),
        (Opcode.TEXT, json.dumps({"envelope_id": "e2", "payload": {"text": "x" * 3000}})),
        (Opcode.PING, "b3a1e0c2-session:1732250000.123"),
        (Opcode.PONG, ""),
    ],
)
def test_decode_reads_the_masked_frames_slack_sdks_client_sends(
    opcode: Opcode, payload: str
) -> None:
    sent = _build_data_frame_for_sending(payload, opcode)
    assert decode_frame(sent) == (Frame(opcode, payload.encode(), masked=True), len(sent))


def test_decode_waits_for_a_whole_frame_and_leaves_the_next_one() -> None:
    first = encode_frame(Opcode.TEXT, b"x" * 300, mask=b"abcd")
    second = encode_frame(Opcode.PING, b"p", mask=b"wxyz")
    for end in range(len(first)):
        assert decode_frame(first[:end]) is None
    frame, used = decode_frame(first + second) or (None, 0)
    assert (frame, used) == (Frame(Opcode.TEXT, b"x" * 300, masked=True), len(first))
    assert decode_frame((first + second)[used:]) == (
        Frame(Opcode.PING, b"p", masked=True),
        len(second),
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (bytes([0x80 | 0x40 | Opcode.TEXT, 0]), CloseCode.PROTOCOL_ERROR),  # RSV1 set
        (bytes([0x83, 0]), CloseCode.PROTOCOL_ERROR),  # reserved opcode 0x3
        (bytes([0x89, 126, 0, 126]) + b"p" * 126, CloseCode.PROTOCOL_ERROR),  # long ping
        (bytes([Opcode.PING, 0]), CloseCode.PROTOCOL_ERROR),  # fragmented ping
        (bytes([0x81, 127]) + struct.pack("!Q", 1 << 63), CloseCode.PROTOCOL_ERROR),
        (bytes([0x81, 127]) + struct.pack("!Q", 5 << 20), CloseCode.TOO_BIG),
    ],
)
def test_decode_refuses_what_rfc_6455_fails_the_connection_for(data: bytes, code: int) -> None:
    with pytest.raises(FrameError) as info:
        decode_frame(data)
    assert info.value.code == code


def test_close_payloads() -> None:
    assert parse_close(close_payload(1001, "going away")) == (1001, "going away")
    assert parse_close(b"") == (CloseCode.NO_STATUS, "")
    assert len(close_payload(1000, "é" * 100)) <= 125
    with pytest.raises(FrameError):
        parse_close(b"\x03")


KEY = base64.b64encode(b"0123456789abcdef").decode()
GOOD = {
    "Host": "127.0.0.1:1234",
    "Upgrade": "websocket",
    "Connection": "keep-alive, Upgrade",
    "Sec-WebSocket-Key": KEY,
    "Sec-WebSocket-Version": "13",
}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({}, None),
        ({"Upgrade": "WebSocket"}, None),
        ({"Upgrade": "h2c"}, 400),
        ({"Connection": "keep-alive"}, 400),
        ({"Host": ""}, 400),
        ({"Sec-WebSocket-Version": "8"}, 426),
        ({"Sec-WebSocket-Key": "c2hvcnQ="}, 400),
        ({"Sec-WebSocket-Key": "not base64!"}, 400),
    ],
)
def test_handshake_problem(change: dict[str, str], status: int | None) -> None:
    problem = handshake_problem({**GOOD, **change}.items())
    assert (problem[0] if problem else None) == status


# ---- the sandbox against slack_sdk's SocketModeClient and raw sockets ------------------------


def test_apps_connections_open_takes_the_app_level_token_only(sandbox: SlackSandbox) -> None:
    web = WebClient(base_url=sandbox.api_url)
    url = web.apps_connections_open(app_token=sandbox.app_token)["url"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.path) == ("ws", "127.0.0.1", "/link/")
    assert "ticket=" in parts.query and f"app_id={sandbox.app_id}" in parts.query
    assert sandbox.app_token.startswith(f"xapp-1-{sandbox.app_id}-")

    refusals = {
        sandbox.bot_token: "not_allowed_token_type",
        "xapp-1-A0SHOPBOT-1-not-the-app-token": "invalid_auth",
    }
    for token, error in refusals.items():
        with pytest.raises(SlackApiError) as info:
            web.apps_connections_open(app_token=token)
        assert info.value.response.data == {"ok": False, "error": error}
    with pytest.raises(SlackApiError) as info:
        WebClient(token=sandbox.app_token, base_url=sandbox.api_url).auth_test()
    assert info.value.response["error"] == "not_allowed_token_type"
    answered = [(c.token, c.error) for c in sandbox.calls("apps.connections.open")]
    assert answered == [(sandbox.app_token, None), *refusals.items()]


@pytest.fixture
def sdk_client(sandbox: SlackSandbox) -> Iterator[SocketModeClient]:
    """slack_sdk's builtin Socket Mode client (the one Bolt's SocketModeHandler uses)."""
    client = SocketModeClient(
        app_token=sandbox.app_token,
        web_client=WebClient(token=sandbox.bot_token, base_url=sandbox.api_url),
        ping_interval=1,
    )
    yield client
    # Hang up from the sandbox's side first (close 1001): the client's own close() would wait
    # out its 3-second socket read; with reconnection off it just lets go.
    client.auto_reconnect_enabled = False
    sandbox.stop()
    client.close()


def acknowledge_with_type(client: SocketModeClient, request: SocketModeRequest) -> None:
    """Acks slash commands with a text payload, everything else with none."""
    payload = {"text": f"got {request.payload.get('command')}"}
    is_command = request.type == "slash_commands"
    client.send_socket_mode_response(
        SocketModeResponse(request.envelope_id, payload if is_command else None)
    )


def test_slack_sdks_client_connects_gets_hello_and_its_pings_answered(
    sandbox: SlackSandbox, socket_mode: SocketModeServer, sdk_client: SocketModeClient
) -> None:
    seen: list[dict[str, Any]] = []
    sdk_client.message_listeners.append(lambda _client, message, _raw: seen.append(message))
    sdk_client.connect()
    socket_mode.wait_connected(5)
    assert [c.status for c in sandbox.calls("socket_mode.connect")] == [101]
    (hello,) = [c.params for c in sandbox.calls("socket_mode.hello")]
    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": sandbox.app_id}
    assert eventually(lambda: seen == [hello])
    # The client pings on connect and every ping_interval, and drops a connection whose pongs
    # stop; a pong counts only if it echoes the ping's "session_id:time" payload.
    session = sdk_client.current_session
    assert session is not None
    assert eventually(lambda: session.last_ping_pong_time is not None)
    assert socket_mode.open_connections == 1


def test_envelopes_carry_slacks_payloads_and_acks_are_collected(
    sandbox: SlackSandbox, socket_mode: SocketModeServer, sdk_client: SocketModeClient
) -> None:
    requests: list[SocketModeRequest] = []

    def listener(client: SocketModeClient, request: SocketModeRequest) -> None:
        requests.append(request)
        acknowledge_with_type(client, request)

    sdk_client.socket_mode_request_listeners.append(listener)
    sdk_client.connect()
    socket_mode.wait_connected(5)

    assert socket_mode.send_slash_command("/shopbot", "help", user_id="U0TOM") == {
        "text": "got /shopbot"
    }
    assert socket_mode.send_event({"type": "app_home_opened", "user": "U0MARIA"}) == {}
    view = {"id": "V1", "type": "modal", "callback_id": "note"}
    assert socket_mode.send_interactive(socket_mode.payloads.view_submission(view, {})) == {}
    assert socket_mode.send_interactive(socket_mode.payloads.block_action("open")) == {}

    command, event, submission, click = (c.params for c in sandbox.calls("socket_mode.envelope"))
    assert [r.envelope_id for r in requests] == [
        e["envelope_id"] for e in (command, event, submission, click)
    ]
    assert command["type"] == "slash_commands" and command["accepts_response_payload"] is True
    assert command["payload"]["user_name"] == "tom"
    assert command["payload"]["response_url"].startswith(f"{sandbox.base_url}/commands/")
    assert (event["type"], event["accepts_response_payload"]) == ("events_api", False)
    assert (event["retry_attempt"], event["retry_reason"]) == (0, "")
    assert event["payload"]["type"] == "event_callback"
    assert event["payload"]["event"]["type"] == "app_home_opened"
    assert (submission["type"], submission["accepts_response_payload"]) == ("interactive", True)
    assert (click["type"], click["accepts_response_payload"]) == ("interactive", False)
    assert click["payload"]["api_app_id"] == sandbox.app_id
    acks = sandbox.calls("socket_mode.ack")
    assert [a.params["envelope_id"] for a in acks] == [r.envelope_id for r in requests]
    assert all(a.ok and a.response["seconds"] < 3 for a in acks)
    assert "payload" not in acks[1].params


def test_disconnect_makes_the_client_reconnect_with_a_new_url(
    sandbox: SlackSandbox, socket_mode: SocketModeServer, sdk_client: SocketModeClient
) -> None:
    sdk_client.socket_mode_request_listeners.append(acknowledge_with_type)
    sdk_client.connect()
    socket_mode.wait_connected(5)
    socket_mode.send_disconnect("refresh_requested")
    socket_mode.wait_connected(10, count=2)
    assert len(sandbox.calls("apps.connections.open")) == 2
    assert [c.status for c in sandbox.calls("socket_mode.connect")] == [101, 101]
    assert socket_mode.send_slash_command("/shopbot")["text"] == "got /shopbot"
    closed = sandbox.wait_for("socket_mode.close")[0].params
    # slack_sdk's client hangs up the old connection without a close frame.
    assert (closed["connection"], closed["code"], closed["by"]) == (1, 1006, "app")


def open_websocket(url: str, *, key: str = KEY) -> tuple[socket.socket, bytes]:
    """A raw client handshake; returns the socket and the server's answer up to the blank line."""
    parts = urlsplit(url)
    assert parts.port is not None
    sock = socket.create_connection(("127.0.0.1", parts.port), timeout=5)
    sock.sendall(
        (
            f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(1)
        if not chunk:
            break
        answer += chunk
    return sock, answer


def read_frame(sock: socket.socket) -> Frame:
    data = b""
    while (decoded := decode_frame(data)) is None:
        chunk = sock.recv(4096)
        assert chunk, "connection closed"
        data += chunk
    return decoded[0]


def test_a_ticket_opens_one_connection(sandbox: SlackSandbox) -> None:
    web = WebClient(base_url=sandbox.api_url)
    url = str(web.apps_connections_open(app_token=sandbox.app_token)["url"])
    sock, answer = open_websocket(url)
    with sock:
        assert answer.startswith(b"HTTP/1.1 101 ")
        assert f"Sec-WebSocket-Accept: {websocket_accept(KEY)}".encode() in answer
        hello = read_frame(sock)
        assert hello.opcode == Opcode.TEXT and not hello.masked
        assert json.loads(hello.payload)["type"] == "hello"

        again, refused = open_websocket(url)
        again.close()
        assert refused.startswith(b"HTTP/1.1 401 ")
        unknown, refused = open_websocket(url.replace("ticket=", "ticket=x"))
        unknown.close()
        assert refused.startswith(b"HTTP/1.1 401 ")
    assert [c.status for c in sandbox.calls("socket_mode.connect")] == [101, 401, 401]


def test_the_sandbox_answers_pings_echoes_closes_and_fails_unmasked_frames(
    sandbox: SlackSandbox,
) -> None:
    web = WebClient(base_url=sandbox.api_url)
    sock, _ = open_websocket(str(web.apps_connections_open(app_token=sandbox.app_token)["url"]))
    with sock:
        read_frame(sock)  # hello
        sock.sendall(encode_frame(Opcode.PING, b"are you there", mask=b"1234"))
        assert read_frame(sock) == Frame(Opcode.PONG, b"are you there")
        sock.sendall(encode_frame(Opcode.CLOSE, close_payload(1000, "bye"), mask=b"1234"))
        assert parse_close(read_frame(sock).payload) == (1000, "")

    sock, _ = open_websocket(str(web.apps_connections_open(app_token=sandbox.app_token)["url"]))
    with sock:
        read_frame(sock)
        sock.sendall(encode_frame(Opcode.TEXT, b'{"envelope_id":"x"}'))  # not masked
        assert parse_close(read_frame(sock).payload)[0] == CloseCode.PROTOCOL_ERROR
    closes = [c.params for c in sandbox.wait_for("socket_mode.close", count=2)]
    assert [(c["code"], c["by"]) for c in closes] == [(1000, "app"), (1002, "sandbox")]


def test_stopping_the_sandbox_says_going_away(sandbox: SlackSandbox) -> None:
    web = WebClient(base_url=sandbox.api_url)
    sock, _ = open_websocket(str(web.apps_connections_open(app_token=sandbox.app_token)["url"]))
    with sock:
        read_frame(sock)
        sandbox.stop()
        assert parse_close(read_frame(sock).payload)[0] == CloseCode.GOING_AWAY


# ---- `shopbot run` in Socket Mode, as a separate process -------------------------------------


def socket_mode_env(sandbox: SlackSandbox, engine: Engine, app_token: str) -> dict[str, str]:
    database_url = engine.url.render_as_string(hide_password=False)
    return {**slack_env(sandbox, database_url), "SLACK_APP_TOKEN": app_token}


def test_run_in_socket_mode_serves_envelopes_and_stops_cleanly_on_sigterm(
    tmp_path: Path, sandbox: SlackSandbox, socket_mode: SocketModeServer, engine: Engine
) -> None:
    with transaction(engine) as session:
        session.add(Seller(team_id=sandbox.team_id, seller_key="S1", name="Casa", category="Home"))
    env = socket_mode_env(sandbox, engine, sandbox.app_token)
    with (tmp_path / "out.log").open("w+") as out, (tmp_path / "err.log").open("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "run"], env=env, cwd=tmp_path, stdout=out, stderr=err
        )
        try:
            try:
                socket_mode.wait_connected(timeout=30)
            except TimeoutError:
                err.seek(0)
                pytest.fail(f"shopbot did not connect:\n{err.read()}")
            (opened,) = sandbox.calls("apps.connections.open")
            assert opened.ok and opened.token == sandbox.app_token
            assert sandbox.calls("socket_mode.hello")

            help_text = markup(socket_mode.send_slash_command("/shopbot", "help"))
            assert "/shopbot status" in help_text
            status_text = markup(socket_mode.send_slash_command("/shopbot", "status"))
            assert "*Sellers:* 1 in 1 categories" in status_text

            # Acknowledged first; the listener is still publishing when SIGTERM comes.
            sandbox.delay("views.publish", 1.5)
            assert socket_mode.send_event({"type": "app_home_opened", "user": "U0MARIA"}) == {}
            sandbox.wait_in_flight("views.publish")
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
            published = sandbox.calls("views.publish")
            assert len(published) == 1 and published[0].ok, "work in progress was cut off"
            assert published[0].params["user_id"] == "U0MARIA"
            assert "U0MARIA" in sandbox.home_views
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        out.seek(0)
        err.seek(0)
        output = out.read() + err.read()
    assert "stopped cleanly" in output
    assert "Traceback" not in output
    for secret in (sandbox.app_token, sandbox.bot_token, SIGNING_SECRET):
        assert secret not in output
    assert all(a.ok for a in sandbox.calls("socket_mode.ack"))
    assert sandbox.wait_for("socket_mode.close")[0].params["by"] == "app"


def test_run_with_a_refused_app_token_says_so_in_one_line(
    tmp_path: Path, sandbox: SlackSandbox, engine: Engine
) -> None:
    wrong = "xapp-1-A0SHOPBOT-1234567890123-" + "0" * 64
    result = subprocess.run(
        [sys.executable, "-m", "app", "run"],
        env=socket_mode_env(sandbox, engine, wrong),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (
        "shopbot: SLACK_APP_TOKEN was refused by Slack (invalid_auth): "
        "expected the app-level token (xapp-…) with connections:write"
    )
    assert [line for line in lines if line.startswith("shopbot:")] == lines[-1:]
    assert wrong not in result.stdout + result.stderr
    assert [c.error for c in sandbox.calls("apps.connections.open")] == ["invalid_auth"]
    assert not sandbox.calls("socket_mode.connect")
