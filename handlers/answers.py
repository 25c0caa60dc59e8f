"""Where every listener's outcome becomes an answer, and what listeners read from Bolt's context.

A listener names what it needs as its parameters and Bolt passes them in: Bolt's own (`ack`,
`action`, `view`, `shortcut`, `options`, `command`, `event`, `respond`, `client`, `context`,
`body` only for what Bolt does not parse, such as a trigger_id) and what middleware put in the
context under these names: `services`, `typed` (the person's text, decoded once) and `who`
(the Viewer: the request's workspace as `workspace` reads it, the person, whether they are an
admin; `provide_viewer`, which handlers.register adds after the app's own middleware).

A listener's work returns a reply (or None to stay quiet). Whatever goes wrong in it ends here:
a `UserError` becomes a short answer saying what to type instead; a Slack refusal the person can
fix becomes advice; anything else is logged with a reference and answered with an apology that
shows the same reference. Slash commands, buttons, menus, modals, shortcuts, events and shared
files all come through `failure_reply`, so no failure ends in silence.

The app acknowledges each request with its listener's `ack` function (a quick answer, or just
`acknowledge`); work that is slow or talks to Slack runs after that, as a lazy listener. A
failure no listener caught ends in `answer_unhandled`: in the acknowledgement when that has not
gone yet, otherwise at the request's response URL or by DM.

A quick answer's write that finds SQLite busy (an import in another process holds its write
lock for seconds) does not wait: the request is kept on disk in the intake (`keep_for_later`,
storage.feedback.intake), the person is told so, and the intake has the request done again once the
database is free (also after a stop): then its listener finds it `replayed`, does the work and
answers at the response URL or by DM.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.resume import kept_request, resumed_claim
from bot.services import Services
from bot.shared.commands import CommandRequest, request_key, usage_text
from bot.shared.forms import FormErrors, FormState
from bot.shared.language import N_, _, translated
from bot.shared.replies import Reply, problem, slack_refusal_advice
from bot.shared.slack_retries import slack_retries
from bot.shared.slack_text import message_link
from bot.shared.viewer import Viewer
from storage.db import is_busy, waiting_at_most
from storage.errors import UserError
from storage.events import EventClaim, finish_event, finished_with_work, kept
from storage.feedback.intake import DIRECT_PATIENCE_SECONDS, intake_for

log = logging.getLogger(__name__)
# Bolt context keys, set by the app's middleware; Bolt passes each to a listener's parameter
# of the same name.
SERVICES = "services"
TYPED = "typed"
WHO = "who"
# A quick answer's write waits as long as a note for SQLite's write lock (a big import in
# another process holds it for seconds); then the request is kept, to be done once it is free.
ACK_PATIENCE_SECONDS = DIRECT_PATIENCE_SECONDS
LATER_TRIES = 30  # each waits SQLite's busy timeout (10 s): five minutes in all
KEPT_ANSWER = N_(
    "⏳ An import is being written: I've kept your request and will do it and answer here "
    "as soon as it's done."
)
KEPT = "kept:"  # the claim of a kept request (storage.events) is `kept:<its key>`
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    reply: Reply
    replace: bool = False  # replace the message the click came from, rather than add one


def services_of(context: BoltContext) -> Services:
    services = context[SERVICES]
    assert isinstance(services, Services), "the app's middleware puts the services in context"
    return services


def carried(action: dict[str, Any]) -> str:
    """The value of the button clicked or of the menu option chosen (Bolt's `action`), as a
    string ('' when a forged payload carries none); read it with bot.shared.carried's parsers."""
    option = action.get("selected_option")
    value = option.get("value") if isinstance(option, dict) else action.get("value")
    return value if isinstance(value, str) else ""


def workspace(context: BoltContext) -> str:
    """The request's workspace, the one place every listener reads it: Bolt's reading of the
    authorization Slack sent, which the app's middleware has checked is the installed
    workspace and the only team the payload names (handlers.workspaces)."""
    return str(context.team_id or "")


def viewer(context: BoltContext) -> Viewer:
    """Who is asking, in which workspace, and whether they are an admin."""
    user_id = str(context.user_id or "")
    return Viewer(workspace(context), user_id, services_of(context).settings.is_admin(user_id))


def viewer_of(request: CommandRequest) -> Viewer:
    """Who asks a slash command, as read into its request."""
    return Viewer(request.team_id, request.user_id, request.is_admin)


def provide_viewer(context: BoltContext, next: Callable[[], None]) -> None:
    """The middleware that reads who is asking once per request, for every listener's `who`
    (after the services are in the context and the workspace is checked)."""
    context[WHO] = viewer(context)
    next()


def answer_url(respond: Respond) -> str:
    """Where this interaction's answers go: its response URL ('' when Slack gave none, as for
    a button on the Home tab)."""
    return respond.response_url or ""


def from_message(shortcut: dict[str, Any], respond: Respond) -> FormState:
    """The state of a form opened by a message shortcut: it answers where the shortcut was
    used, and keeps the link to the message."""
    message = shortcut.get("message") or {}
    link = message_link(
        str((shortcut.get("team") or {}).get("domain", "")),
        str((shortcut.get("channel") or {}).get("id", "")),
        str(message.get("ts", "")),
    )
    return FormState(response_url=answer_url(respond), source_url=link)


def apology(reference: str) -> Reply:
    return problem(
        _("Sorry, something went wrong on our side. Reference: `{reference}`.").format(
            reference=reference
        )
    )


def failure_reply(error: Exception, name: str, team_id: str, user_id: str) -> Reply:
    """The answer to anything that went wrong while handling `name` for the user."""
    if isinstance(error, UserError):
        return problem(translated(error), [usage_text(line) for line in error.usage])
    if isinstance(error, SlackApiError):
        advice = slack_refusal_advice(str(error.response.get("error", "")))
        if advice is not None:
            return problem(advice)
    reference = uuid.uuid4().hex[:8]
    log.error(
        "%s failed (reference %s, team %s, user %s)",
        name,
        reference,
        team_id,
        user_id,
        exc_info=error,
    )
    return apology(reference)


def guarded(
    name: str, who: Viewer, work: Callable[[], Answer | None], *, busy_too: bool = False
) -> Answer | None:
    """The work's answer, or the answer to what went wrong in it; FormErrors pass through, for
    the modal to show them on its fields; `busy_too`: a write that found the database busy
    raises DatabaseBusy instead."""
    try:
        return work()
    except FormErrors:
        raise
    except Exception as error:
        if busy_too and is_busy(error):
            raise DatabaseBusy from error
        return Answer(failure_reply(error, name, who.team_id, who.user_id))


class DatabaseBusy(Exception):
    """A quick write waited for the database longer than an answer can."""


def send(
    response_url: str, answer: Answer, *, otherwise: Callable[[Reply], None] | None = None
) -> None:
    """Post to a response URL (an interaction's, or one a modal carried since it opened),
    retrying what Slack may answer at a bad moment (429, 5xx, a reset connection); when the URL
    still refuses, `otherwise` delivers the reply another way (a DM), if given."""
    if not response_url:
        return
    payload = {**answer.reply.payload(), "replace_original": answer.replace}
    try:
        result = WebhookClient(response_url, timeout=10, retry_handlers=slack_retries()).send_dict(
            payload
        )
        refusal = None if result.status_code == 200 else f"{result.status_code} {result.body}"
    except OSError as error:  # the connection failed on every try
        refusal = repr(error)
    if refusal is None:
        return
    log.warning("response URL refused the answer: %s", refusal)
    if otherwise is not None:
        otherwise(answer.reply)


def answer_at(respond: Respond, name: str, who: Viewer, work: Callable[[], Answer | None]) -> None:
    """Run the work and post its answer (if any) to the interaction's response URL (with
    `send`'s retries)."""
    answer = guarded(name, who, work)
    if answer is not None:
        send(answer_url(respond), answer)


def submitted(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    response_url: str,
    name: str,
    work: Callable[[], Answer | None],
) -> None:
    """A modal's submission: field problems stay in the modal; otherwise it closes and the
    answer goes to the conversation it was opened from, or by DM when it was opened where
    there is none (the App Home) or that conversation refuses it.

    On SQLite a big import holds the one write lock for seconds, longer than Slack waits for a
    submission's acknowledgement: a write that waits more than ACK_PATIENCE_SECONDS keeps the
    submission (`keep_for_later`) and turns the modal into a note saying so; the work is done
    (in one transaction, so nothing of the first try was kept) when the intake replays it."""
    who, client = viewer(context), context.client
    assert client is not None, "Bolt gives every listener its client"
    claim = replayed(body, context)
    if claim is not None:
        ack()
        with doing_kept(context, claim):
            answer = _when_free(name, who, work)
        _deliver(response_url, answer, who, client)
        return
    try:
        with waiting_at_most(ACK_PATIENCE_SECONDS):
            answer = guarded(name, who, work, busy_too=True)
    except FormErrors as errors:
        ack(response_action="errors", errors=errors.errors)
        return
    except DatabaseBusy:
        keep_for_later(body, context)
        ack(response_action="update", view=_kept_view())
        return
    ack()
    _deliver(response_url, answer, who, client)


def kept_key(body: dict[str, Any]) -> str:
    """The key a request is kept and done under: its modal's view ID for a submission (one
    per modal opened), else its trigger_id (unique to each use of a command), hashed."""
    view = body.get("view")
    if body.get("type") == "view_submission" and isinstance(view, dict) and view.get("id"):
        raw = f"view:{view['id']}"
    else:
        raw = str(body.get("trigger_id") or "") or uuid.uuid4().hex
    return f"{KEPT}{request_key(raw)}"


def keep_for_later(body: dict[str, Any], context: BoltContext) -> None:
    """Keep the request in the intake (on disk when this returns), to be done again, once,
    as soon as the database is free (`replayed`). Only SQLite's file is ever busy, and it
    has an intake."""
    services = services_of(context)
    intake = intake_for(services.engine)
    assert intake is not None, "only a SQLite file is busy, and each has an intake"
    form = "command" in body  # a slash command comes as a form, an interaction as JSON
    request = kept_request(body, form=form)
    intake.keep_request(workspace(context), kept_key(body), request, services.clock())


def replayed(body: dict[str, Any], context: BoltContext) -> EventClaim | None:
    """The claim a request kept for later is done under, when this is its replay; else None."""
    return resumed_claim(context, kept_key(body))


@contextmanager
def doing_kept(context: BoltContext, claim: EventClaim) -> Iterator[None]:
    """Do a kept request's work under its claim: its lease renewed while it waits for the
    database, and the claim finished in the transaction of each write (so work done and then
    stopped is not done again), and at the end, even when the work wrote nothing."""
    engine = services_of(context).engine
    with kept(engine, claim), finished_with_work(engine, claim):
        yield
    finish_event(engine, claim)  # done, even if the answer cannot be delivered


def _when_free(name: str, who: Viewer, work: Callable[[], Answer | None]) -> Answer | None:
    """A kept submission's answer, done now (waiting while the database is busy again). Field
    problems found now cannot go back to the closed modal: they are the answer."""
    try:
        return when_not_busy(lambda busy_too: guarded(name, who, work, busy_too=busy_too))
    except FormErrors as errors:
        problems = "; ".join(errors.errors.values())
        not_saved = _("Not saved: {problems}. Open the form again to fix it.")
        return Answer(problem(not_saved.format(problems=problems)))


def when_not_busy(attempt: Callable[[bool], T]) -> T:
    """The attempt's result, tried again while SQLite's write lock is held elsewhere: each try
    waits the busy timeout, LATER_TRIES in all, so work behind the biggest import is kept, not
    refused; the last try answers whatever happens. `attempt(busy_too)` raises DatabaseBusy
    when `busy_too` and the database was busy."""
    for _try in range(LATER_TRIES - 1):
        try:
            return attempt(True)
        except DatabaseBusy:
            continue
    return attempt(False)


def _deliver(response_url: str, answer: Answer | None, who: Viewer, client: WebClient) -> None:
    if answer is None:
        return
    if response_url:
        send(response_url, answer, otherwise=functools.partial(tell, client, who.user_id))
    else:
        tell(client, who.user_id, answer.reply)


def _kept_view() -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": _("Kept")},
        "close": {"type": "plain_text", "text": _("Close")},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": _(KEPT_ANSWER)}}],
    }


def suggested(
    ack: Ack, name: str, who: Viewer, options: Callable[[], list[dict[str, Any]]]
) -> None:
    """Answer a type-ahead with its options. An options request must be answered with
    options, so a failure answers with none (and is logged with its reference)."""
    try:
        found = options()
    except Exception as error:
        failure_reply(error, name, who.team_id, who.user_id)
        ack(options=[])
        return
    ack(options=found)


def acknowledge(ack: Ack) -> None:
    """The acknowledgement of a listener whose work is lazy: Slack hears back at once, and the
    work and its answer follow."""
    ack()


def tell(client: WebClient, user_id: str, reply: Reply) -> None:
    """Send the reply to the person in their DM with the bot."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.chat_postMessage(
        channel=channel, text=reply.text, blocks=[b.to_dict() for b in reply.blocks]
    )


def who_asked(context: BoltContext) -> tuple[str, str]:
    """(workspace, person) of any request: a slash command, an interaction or an event."""
    return workspace(context), str(context.user_id or "")


def answer_unhandled(
    error: Exception,
    name: str,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient | None,
) -> None:
    """The last resort once the acknowledgement has gone: the answer to a failure that escaped
    the listener's own guard goes to the request's response URL, or else by DM."""
    team_id, user_id = who_asked(context)
    reply = failure_reply(error, name, team_id, user_id)
    response_url = str(body.get("response_url") or "")
    try:
        if response_url:
            send(response_url, Answer(reply))
        elif user_id and client is not None:
            tell(client, user_id, reply)
    except Exception:
        log.exception("could not deliver the answer to the failure of %s", name)
