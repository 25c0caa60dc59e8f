"""The composition root: settings → services → the Bolt app with every listener registered
(`handlers.register`), the scheduler with its jobs, and the `shopbot` command line (`main`,
the console entry; `python -m app` runs it too).

The features are listed once, in order (`FEATURES`; each declares its entry points in
`handlers/<feature>/__init__.py`, see bot.features): the registration of listeners, the
command catalogue and manifest, the scheduler's jobs, the settings sections, the Home's and the
digest's sections and the work after an import are collected from this list.

Nothing in the product (bot, handlers, storage) imports this module: it imports them. The
command line's parsing and bodies are bot.cli's; this module hands it what builds the app and
the scheduler, and adds the developer's subcommands (devkit: demo and shell).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_sdk import WebClient

import handlers
from bot import cli
from bot.features import Feature, Features
from bot.resume import ResumeSettings, kept_request, replay_kept_requests, resumed_claim
from bot.scheduler import build_scheduler
from bot.services import Services, build_services, pin_workspace, slack_client
from bot.settings import Settings
from bot.shared.language import Deferred, Speech, current, speaking, workspace_speech
from bot.shared.slack_text import typed_in
from bot.shared.speakers import person_speech
from devkit.cli import DEVKIT_COMMANDS
from devkit.demo.data import DEMO_TEAM_ID
from handlers import (
    alerts,
    creators,
    digest,
    feedback,
    home,
    imports,
    kpi,
    matchmaking,
    review,
    sellers,
    shopbot,
)
from handlers.answers import (
    SERVICES,
    TYPED,
    answer_unhandled,
    failure_reply,
    who_asked,
    workspace,
)
from handlers.events import EVENT_CLAIM
from handlers.forms import refuse_values_beyond_the_form
from handlers.workspaces import refuse_other_workspaces
from storage.events import claim_event
from storage.feedback.intake import intake_for

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

log = logging.getLogger(__name__)
FEATURES: tuple[Feature, ...] = (
    shopbot.FEATURE,
    kpi.FEATURE,
    feedback.FEATURE,
    creators.FEATURE,
    review.FEATURE,
    sellers.FEATURE,
    matchmaking.FEATURE,
    digest.FEATURE,
    alerts.FEATURE,
    imports.FEATURE,
    home.FEATURE,
)
"""Every feature, in order: the help lists their commands so, and their listeners, jobs,
settings and after-import work run so (the Home and the digest order their sections by the
places the features give them)."""
FEATURE_SETTINGS: tuple[type[DataclassInstance], ...] = (
    ResumeSettings,
    *Features(FEATURES).settings,
)
"""The settings sections, in `.env.example`'s order: resumed work's (the core's), then the
features'. `load_settings` checks them at start, `.env.example` is written from them (after the
core settings of bot.settings)."""


LOCALE_LOOKUP_SECONDS = 2


class SpeakingApp(App):
    """Bolt's app, handling each request in the speech of whoever sent it (bot.shared.speakers):
    Bolt's middleware runs one after another rather than around the listeners, so the speech is
    set around the whole dispatch, and found only once something is written (from the context
    Bolt fills in at its start)."""

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        # Asked in the acknowledgement's time: a Slack slow to tell waits no longer than this.
        self.lookups = slack_client(services.settings, retries=False, timeout=LOCALE_LOOKUP_SECONDS)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        found = Deferred(lambda: reader_speech(self.services, self.lookups, req.context))
        with speaking(found):
            return super().dispatch(req)


def reader_speech(services: Services, client: WebClient, context: BoltContext) -> Speech:
    """The speech of the person a request comes from; the workspace's for a request from
    another workspace (refused, and nobody of ours to ask Slack about)."""
    team_id = workspace(context)
    if team_id != services.installed_team_id:
        return workspace_speech(services.settings)
    try:
        return person_speech(services, client, team_id, str(context.user_id or ""))
    except Exception:  # the database away: the answer (an apology, maybe) still gets written
        log.exception("could not find the language of %s", context.user_id)
        return workspace_speech(services.settings)


class AnsweringLazyRunner(ThreadLazyListenerRunner):
    """Bolt's runner of lazy listeners, with the last resort every listener has: a failure that
    escapes a lazy listener is answered (response URL or DM), not only logged by Bolt."""

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        # Bolt passes the arguments `function` names: it unwraps what `wraps` wrapped.
        spoken = current()  # the request's speech, which a thread of its own does not inherit

        @functools.wraps(function)
        def answered(**kwargs: Any) -> None:
            with speaking(spoken) if spoken else contextlib.nullcontext():
                try:
                    function(**kwargs)
                except Exception as error:  # answered in the request's speech too
                    name = getattr(function, "__name__", "lazy listener")
                    context = request.context
                    answer_unhandled(error, name, request.body, context, context.client)

        super().start(answered, request)


def build_app(
    settings: Settings,
    services: Services | None = None,
    *,
    listener_executor: Executor | None = None,
    features: Sequence[Feature] = FEATURES,
) -> App:
    """The whole bot as a Bolt app, made of `features` (the services carry them).

    Every listener's `ack` function runs before the HTTP answer (`process_before_response`),
    so a quick answer is the acknowledgement itself, sent the moment it is ready (otherwise Bolt
    polls for `ack()` every 10 ms); slow work and calls to Slack run after it as lazy
    listeners on `listener_executor`, which a graceful stop drains.
    """
    services = services or build_services(settings)
    services.features = Features(tuple(features))
    intake_for(services.engine)  # saves first what a stopped process kept (storage.feedback.intake)
    client = services.slack()
    pin_workspace(services, client)
    app = SpeakingApp(
        services,
        client=client,
        signing_secret=settings.slack_signing_secret.reveal(),
        process_before_response=True,
        listener_executor=listener_executor,
        logger=logging.getLogger("shopbot.bolt"),
    )
    runner = app.listener_runner
    runner.lazy_listener_runner = AnsweringLazyRunner(runner.logger, runner.listener_executor)

    @app.middleware
    def provide_services_and_text(context: BoltContext, body: dict[str, Any], next: Any) -> None:
        """What every listener reads from its context: the services, and the person's text
        decoded once here, where the request enters."""
        context[SERVICES] = services
        context[TYPED] = typed_in(body)
        next()

    app.middleware(refuse_other_workspaces)  # before any listener, and before events are claimed
    app.middleware(refuse_values_beyond_the_form)

    @app.middleware
    def skip_redelivered_events(
        context: BoltContext, body: dict[str, Any], next: Any
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks was missed: claim each event_id, and skip it
        while its work runs or once it is done (the listener marks it, see handlers.events)."""
        if body.get("type") == "event_callback" and body.get("event_id"):
            team_id = workspace(context)
            event_id, request = str(body["event_id"]), kept_request(body, form=False)
            claim = resumed_claim(context, event_id) or claim_event(
                services.engine, team_id, event_id, request=request
            )
            if claim is None:
                log.info("skipping redelivered event %s", body["event_id"])
                return BoltResponse(status=200, body="")
            context[EVENT_CLAIM] = claim
        next()
        return None

    @app.error
    def answer_failure(
        error: Exception, body: dict[str, Any], context: BoltContext, client: WebClient | None
    ) -> BoltResponse | None:
        """The last resort, for a failure outside any listener's own guard: logged with a
        reference, and answered in the acknowledgement of a slash command, else where the
        request left a way to answer."""
        name = f"unhandled {body.get('command') or body.get('type')}"
        if body.get("command"):
            team_id, user_id = who_asked(context)
            reply = failure_reply(error, name, team_id, user_id)
            return BoltResponse(status=200, body=reply.payload())
        answer_unhandled(error, name, body, context, client)
        return None

    handlers.register(app, services.features)
    # Requests kept while an import wrote (and by a stopped process) are done from now on.
    replay_kept_requests(app, services, settings.slack_signing_secret.reveal())
    return app


ROOT = cli.Root(
    build_app=build_app,
    build_scheduler=build_scheduler,
    features=Features(FEATURES),
    offline_workspace=DEMO_TEAM_ID,
    setting_sections=FEATURE_SETTINGS,
    subcommands=DEVKIT_COMMANDS,
)


def main(argv: Sequence[str] | None = None) -> int:
    """The `shopbot` command."""
    return cli.main(ROOT, argv)


if __name__ == "__main__":
    sys.exit(main())
