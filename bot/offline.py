"""The real app served on loopback against the Slack sandbox: what the shell and tests talk to."""

from __future__ import annotations

import dataclasses
import secrets
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType

from sqlalchemy.engine import Engine

from bot.app import build_app
from bot.manifest import BOT_SCOPES
from bot.sandbox import SlackRequestClient, SlackSandbox
from bot.server import HttpServer, wsgi_app
from bot.services import Services, build_services
from bot.settings import Secret, Settings


class OfflineBot:
    """Sandbox + app + HTTP server + a signed client, started and stopped together."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        team_id: str = "T0SANDBOX",
        process_before_response: bool = False,
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
        self.executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="listener")
        self.app = build_app(
            self.settings,
            self.services,
            listener_executor=self.executor,
            process_before_response=process_before_response,
        )
        self.server = HttpServer(wsgi_app(self.app), host="127.0.0.1", port=0)
        self.server.start_in_thread()
        self.client = SlackRequestClient(self.server.url, signing_secret, self.sandbox)

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
