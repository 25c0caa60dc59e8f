"""The listener every slash command shares: parse, dispatch to the subcommand, answer."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.commands import CommandRequest, SlashCommand
from bot.help import render_help
from bot.replies import Reply, escape, problem
from bot.services import Services

log = logging.getLogger(__name__)
MAX_ARGS = 3000


def apology(reference: str) -> Reply:
    return problem(f"Sorry, something went wrong on our side. Reference: `{reference}`.")


def register_command(
    app: App, services: Services, command: SlashCommand, everything: Sequence[SlashCommand]
) -> None:
    app.command(command.name)(_listener(services, command, everything))


def _listener(
    services: Services, command: SlashCommand, everything: Sequence[SlashCommand]
) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        text = str(body.get("text", ""))
        subcommand, args, word = command.resolve(text)
        if len(text) > MAX_ARGS:
            ack(
                **problem(
                    f"That is too long for {command.name} ({len(text):,} characters).",
                    [u.usage for u in command.usages][:3],
                ).payload()
            )
            return
        if subcommand is None:
            if word == "help":
                ack(
                    **render_help(everything if command.lists_all_commands else [command]).payload()
                )
            else:
                shown = escape(word[:40]).replace("`", "'")
                reply = problem(f"`{command.name}` has no `{shown}`.", [f"{command.name} help"])
                ack(**reply.payload())
            return
        request = CommandRequest(
            team_id=str(body.get("team_id", "")),
            user_id=str(body.get("user_id", "")),
            channel_id=str(body.get("channel_id", "")),
            args=args,
            is_admin=services.settings.is_admin(str(body.get("user_id", ""))),
        )
        if subcommand.slow:
            ack()
        try:
            reply = subcommand.run(services, request)
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception(
                "%s %s failed (reference %s, team %s, user %s)",
                command.name,
                word,
                reference,
                request.team_id,
                request.user_id,
            )
            reply = apology(reference)
        if subcommand.slow:
            respond(**reply.payload())
        else:
            ack(**reply.payload())

    listener.__name__ = f"slash_{command.name.strip('/')}"
    return listener
