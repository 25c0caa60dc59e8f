"""The app factory: a Bolt app with every handler registered, built from settings and services."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

import handlers
from bot.commands import SlashCommand
from bot.services import Services, build_services
from bot.settings import Settings
from bot.slack_text import typed_in
from handlers import catalog
from handlers.answers import SERVICES, TYPED, Answer, failure_reply, send
from handlers.events import EVENT_CLAIM
from handlers.workspaces import refuse_other_workspaces
from storage.events import claim_event

log = logging.getLogger(__name__)
SLACK_TIMEOUT_SECONDS = 10


def commands() -> list[SlashCommand]:
    """Every slash command the app handles, as declared by the handlers."""
    return list(catalog.COMMANDS)


def web_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s and retries connection and server errors."""
    return WebClient(
        token=settings.slack_bot_token.reveal(),
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(
    settings: Settings,
    services: Services | None = None,
    *,
    process_before_response: bool = False,
    listener_executor: ThreadPoolExecutor | None = None,
) -> App:
    """The whole bot as a Bolt app.

    `process_before_response=True` finishes every listener before the HTTP answer (the offline
    shell uses it so a reply is complete when the request returns); the default acknowledges
    first, as Slack's 3-second limit wants.
    """
    services = services or build_services(settings)
    app = App(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret.reveal(),
        process_before_response=process_before_response,
        listener_executor=listener_executor,
        logger=logging.getLogger("shopbot.bolt"),
    )
    app.middleware(refuse_other_workspaces)

    @app.middleware
    def provide_services_and_text(context: BoltContext, body: dict[str, Any], next: Any) -> None:
        """What every listener reads from its context: the services, and the person's text
        decoded once here, where the request enters."""
        context[SERVICES] = services
        context[TYPED] = typed_in(body)
        next()

    @app.middleware
    def skip_redelivered_events(
        context: BoltContext, body: dict[str, Any], next: Any
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks was missed: claim each event_id, and skip it
        while its work runs or once it is done (the listener marks it, see handlers.events)."""
        if body.get("type") == "event_callback" and body.get("event_id"):
            team_id = str(body.get("team_id", ""))
            claim = claim_event(services.engine, team_id, str(body["event_id"]))
            if claim is None:
                log.info("skipping redelivered event %s", body["event_id"])
                return BoltResponse(status=200, body="")
            context[EVENT_CLAIM] = claim
        next()
        return None

    @app.error
    def answer_unhandled(error: Exception, body: dict[str, Any]) -> None:
        """The last resort, for a failure outside any listener's own guard: logged with a
        reference, and answered where the request left a way to answer."""
        reply = failure_reply(
            error,
            f"unhandled {body.get('type') or body.get('command')}",
            str(body.get("team_id") or (body.get("team") or {}).get("id") or ""),
            str(body.get("user_id") or (body.get("user") or {}).get("id") or ""),
        )
        send(str(body.get("response_url") or ""), Answer(reply))

    handlers.register(app)
    return app
