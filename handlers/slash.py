"""The listener every slash command shares: parse, dispatch to the subcommand, answer."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import CommandRequest, SlashCommand, Subcommand
from bot.help import render_help
from bot.replies import Reply, escape, problem, slack_refusal_advice
from bot.services import Services

log = logging.getLogger(__name__)


def apology(reference: str) -> Reply:
    return problem(f"Sorry, something went wrong on our side. Reference: `{reference}`.")


def register_command(
    app: App, services: Services, command: SlashCommand, everything: Sequence[SlashCommand]
) -> None:
    app.command(command.name)(_listener(services, command, everything))


def _listener(
    services: Services, command: SlashCommand, everything: Sequence[SlashCommand]
) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        text = str(body.get("text", ""))
        subcommand, args, word = command.resolve(text)
        if subcommand is None or len(text) > command.max_text:
            ack(**_without_subcommand(command, text, word, everything).payload())
            return
        request = CommandRequest(
            team_id=str(body.get("team_id", "")),
            user_id=str(body.get("user_id", "")),
            channel_id=str(body.get("channel_id", "")),
            args=args,
            is_admin=services.settings.is_admin(str(body.get("user_id", ""))),
            slack=client,
            trigger_id=str(body.get("trigger_id", "")),
            response_url=str(body.get("response_url", "")),
        )
        if subcommand.slow:
            ack()
        reply = _run(services, subcommand, request, f"{command.name} {word}")
        if not reply.text and not reply.blocks:
            # Nothing to say (the subcommand opened a modal): an empty acknowledgement.
            if not subcommand.slow:
                ack()
        elif subcommand.slow:
            respond(**reply.payload())
        else:
            ack(**reply.payload())

    listener.__name__ = f"slash_{command.name.strip('/')}"
    return listener


def _without_subcommand(
    command: SlashCommand, text: str, word: str, everything: Sequence[SlashCommand]
) -> Reply:
    """Help, or what to type instead of an overlong or unknown request."""
    if len(text) > command.max_text:
        usages = [u.usage for u in command.usages][:3]
        return problem(f"That is too long for {command.name} ({len(text):,} characters).", usages)
    if word == "help":
        return render_help(everything if command.lists_all_commands else [command])
    shown = escape(word[:40]).replace("`", "'")
    return problem(f"`{command.name}` has no `{shown}`.", [f"{command.name} help"])


def _run(services: Services, subcommand: Subcommand, request: CommandRequest, name: str) -> Reply:
    """The subcommand's reply; a failure becomes advice (Slack refusals the user can fix) or an
    apology with a reference that is also in the log."""
    try:
        return subcommand.run(services, request)
    except SlackApiError as error:
        advice = slack_refusal_advice(str(error.response.get("error", "")))
        if advice is not None:
            return problem(advice)
        failure: Exception = error
    except Exception as error:
        failure = error
    reference = uuid.uuid4().hex[:8]
    log.error(
        "%s failed (reference %s, team %s, user %s)",
        name,
        reference,
        request.team_id,
        request.user_id,
        exc_info=failure,
    )
    return apology(reference)
