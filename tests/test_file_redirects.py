"""A file shared with the bot is fetched with the bot token from the host its URL names, and
from there only: a redirect to another host is refused, and that host never sees the token."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.kpis.models import DailySellerKpi

SHEET = (
    "date,seller_id,seller_name,category,gmv,orders\n"
    '2026-11-10,S900,Möbelhaus Zürich,Home & Living,"1,250.50",12\n'
    "2026-11-11,S900,Möbelhaus Zürich,Home & Living,99.99,2\n"
)


class OtherHost:
    """A loopback web server under another host name and port, recording what it is sent."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append({"path": self.path, **dict(self.headers.items())})
                body = SHEET.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def other_host() -> Iterator[OtherHost]:
    host = OtherHost()
    yield host
    host.close()


def _kpi_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(DailySellerKpi)).scalar_one()
        )


def _dm_reply(bot: OfflineBot) -> str:
    bot.settle()
    [call] = bot.sandbox.calls("chat.postMessage")
    return str(call.params["text"])


def test_a_redirect_to_another_host_is_refused_and_never_carries_the_token(
    bot: OfflineBot, engine: Engine, other_host: OtherHost
) -> None:
    shared = bot.sandbox.user_upload("U0MARIA", "Umsätze KW46.csv", SHEET.encode())
    bot.sandbox.move_file(shared["id"], f"{other_host.url}/stolen/{shared['id']}")
    assert bot.client.event(bot.client.file_share_event("U0MARIA", [shared])).status == 200

    reply = _dm_reply(bot)
    assert "Slack sent Umsätze KW46.csv on to another address" in reply
    assert "Share the file with me again" in reply
    assert other_host.requests == []  # not followed at all, with or without the token
    assert _kpi_rows(engine) == 0


def test_the_other_host_is_reached_by_name_and_port_only_through_the_redirect(
    other_host: OtherHost,
) -> None:
    # The loopback server answers under its other name: the refusal above is the app's doing.
    with urllib.request.urlopen(f"{other_host.url}/probe", timeout=5) as response:
        assert response.status == 200
    assert [r["path"] for r in other_host.requests] == ["/probe"]
    assert all("Authorization" not in r for r in other_host.requests)


def test_a_redirect_on_the_same_host_is_followed_with_the_token(
    bot: OfflineBot, engine: Engine
) -> None:
    moved = bot.sandbox.user_upload("U0MARIA", "Umsätze KW46.csv", SHEET.encode())
    kept = bot.sandbox.user_upload("U0MARIA", "kopie.csv", SHEET.encode())
    bot.sandbox.move_file(moved["id"], f"{bot.sandbox.base_url}/files/{kept['id']}")
    bot.client.event(bot.client.file_share_event("U0MARIA", [moved]))

    reply = _dm_reply(bot)
    assert "Imported 2 rows (kpi-sheet)" in reply
    assert _kpi_rows(engine) == 2
