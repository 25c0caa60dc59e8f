"""The listeners every slash command shares: parse, dispatch to the subcommand, answer.

A quick subcommand answers in the acknowledgement itself; one whose write finds SQLite busy (an
import in another process writes) is kept in the intake and answered so, and its answer comes at
the response URL when the intake has it done (handlers.answers: `keep_for_later`). A slow one
(`slow=True`: uploads, exports, reports, digests) is acknowledged at once and runs as a lazy
listener, answering through the response URL. Slow subcommands post, upload or send, so each
request does its work once: it is claimed under its trigger_id (unique to each use of a command,
the same when the request is delivered again), and a second delivery is skipped while the first
runs or once it is done; one whose work was cut off (its process ended) is resumed (bot.resume)
under the claim it was handed, and makes each side effect once (bot.shared.effects, keyed by the
claim).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.resume import kept_request, resumed_claim
from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand, Subcommand, request_key
from bot.shared.effects import Effects
from bot.shared.help import render_help, render_overview
from bot.shared.language import _
from bot.shared.numbers import style_of
from bot.shared.replies import Reply, problem, shown
from bot.shared.slack_text import SlackText
from bot.shared.viewer import Viewer
from handlers.answers import (
    ACK_PATIENCE_SECONDS,
    KEPT_ANSWER,
    Answer,
    DatabaseBusy,
    doing_kept,
    failure_reply,
    keep_for_later,
    replayed,
    send,
    tell,
    when_not_busy,
)
from storage.db import is_busy, waiting_at_most
from storage.events import EventClaim, claim_event, finish_event, kept

log = logging.getLogger(__name__)


def asks_for_slow_work(command: dict[str, Any], typed: SlackText, services: Services) -> bool:
    """The matcher of the lazy listener: the text names a slow subcommand."""
    slash = _declared(command, services)
    subcommand, _args, _word = slash.resolve(typed.text)
    return subcommand is not None and subcommand.slow and len(typed.text) <= slash.max_text


def answer_slash_command(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    services: Services,
    who: Viewer,
    typed: SlackText,
) -> None:
    """A quick subcommand, help, or what to type instead: the answer is the acknowledgement."""
    slash = _declared(command, services)
    subcommand, args, word = slash.resolve(typed.text)
    if subcommand is None or len(typed.text) > slash.max_text:
        ack(**_without_subcommand(slash, typed.text, word, services).payload())
        return
    request = _request(command, args, client, who, typed)
    claim = replayed(command, context)
    if claim is not None:  # kept while the database was busy: done now, answered at the URL
        ack()
        _answer_later(slash, subcommand, word, request, services, context, claim)
        return
    try:
        with waiting_at_most(ACK_PATIENCE_SECONDS):
            reply = _run(slash, subcommand, word, request, services, busy_too=True)
    except DatabaseBusy:
        keep_for_later(command, context)
        reply = Reply(text=_(KEPT_ANSWER))
    if reply.text or reply.blocks:
        ack(**reply.payload())
    else:
        ack()  # nothing to say: the subcommand opened a modal


def answer_slow_command(
    command: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    services: Services,
    who: Viewer,
    typed: SlackText,
) -> None:
    """A slow subcommand, after the acknowledgement: its answer goes to the response URL."""
    slash = _declared(command, services)
    subcommand, args, word = slash.resolve(typed.text)
    assert subcommand is not None, "asks_for_slow_work matched a subcommand"
    request, engine = _request(command, args, client, who, typed), services.engine
    key = request_key(request.trigger_id)  # None: no trigger_id, nothing to tell a repeat by
    claim = _claimed(engine, request.team_id, f"slash:{key}", command, context) if key else None
    if key and claim is None:
        log.info("skipping a repeated %s %s request", slash.name, word)
        return
    if claim is not None:
        effects = Effects(
            engine, request.team_id, claim.event_id, services.clock, services.bot_user()
        )
        request = dataclasses.replace(request, effects=effects)
    # _run answers every failure; only a stopping process gets past it, and then the claim
    # stays with its request, for the work to be resumed (bot.resume).
    with kept(engine, claim):
        reply = _run(slash, subcommand, word, request, services)
    if claim is not None:
        finish_event(engine, claim)  # done, even if the answer below cannot be delivered
    if reply.text or reply.blocks:
        by_dm = functools.partial(tell, client, request.user_id)
        send(request.response_url, Answer(reply), otherwise=by_dm)


def _declared(command: dict[str, Any], services: Services) -> SlashCommand:
    """The declaration of the command asked for (registered for the features' commands only)."""
    slash = services.features.command_named(str(command.get("command", "")))
    assert slash is not None, "a listener is registered for the features' commands alone"
    return slash


def _claimed(
    engine: Engine, team_id: str, key: str, body: dict[str, Any], context: BoltContext
) -> EventClaim | None:
    """The request's claim: the one it was resumed under, or a new one (None: a repeat)."""
    resumed = resumed_claim(context, key)
    if resumed is not None:
        return resumed
    return claim_event(engine, team_id, key, request=kept_request(body, form=True))


def _request(
    command: dict[str, Any], args: str, client: WebClient, who: Viewer, typed: SlackText
) -> CommandRequest:
    """The request as its subcommand reads it, with Bolt's client for the workspace."""
    return CommandRequest(
        team_id=who.team_id,
        user_id=who.user_id,
        channel_id=str(command.get("channel_id", "")),
        args=args,
        slack=client,
        typed=typed,
        is_admin=who.is_admin,
        trigger_id=str(command.get("trigger_id", "")),
        response_url=str(command.get("response_url", "")),
    )


def _run(
    command: SlashCommand,
    subcommand: Subcommand,
    word: str,
    request: CommandRequest,
    services: Services,
    *,
    busy_too: bool = False,
) -> Reply:
    """The subcommand's reply, or the answer to what went wrong in it; `busy_too`: a write
    that found the database busy raises DatabaseBusy instead."""
    try:
        return subcommand.run(services, request)
    except Exception as error:
        if busy_too and is_busy(error):
            raise DatabaseBusy from error
        return failure_reply(error, f"{command.name} {word}", request.team_id, request.user_id)


def _answer_later(
    command: SlashCommand,
    subcommand: Subcommand,
    word: str,
    request: CommandRequest,
    services: Services,
    context: BoltContext,
    claim: EventClaim,
) -> None:
    """A quick subcommand that found the database busy, kept, and done again under `claim`
    (what it writes is written in one transaction, so nothing of the first try was kept); its
    answer goes to the response URL."""
    with doing_kept(context, claim):
        reply = when_not_busy(
            lambda busy_too: _run(command, subcommand, word, request, services, busy_too=busy_too)
        )
    if reply.text or reply.blocks:
        by_dm = functools.partial(tell, request.slack, request.user_id)
        send(request.response_url, Answer(reply), otherwise=by_dm)


def _without_subcommand(command: SlashCommand, text: str, word: str, services: Services) -> Reply:
    """Help, or what to type instead of an overlong or unknown request."""
    if len(text) > command.max_text:
        usages = [u.usage for u in command.usages][:3]
        too_long = _("That is too long for {command} ({count} characters).").format(
            command=command.name, count=style_of(services).count(len(text))
        )
        return problem(too_long, usages)
    if word == "help":
        return (
            render_overview(services.features.commands)
            if command.lists_all_commands
            else render_help([command])
        )
    unknown = _("`{command}` has no `{word}`.").format(command=command.name, word=shown(word))
    return problem(unknown, [f"{command.name} help"])
