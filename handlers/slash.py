"""The listener every slash command shares: parse, dispatch to the subcommand, answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.commands import CommandRequest, SlashCommand
from bot.help import render_help
from bot.replies import Reply, problem, shown
from handlers import catalog
from handlers.answers import failure_reply, services_of, typed_text


def answer_slash_command(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """Quick subcommands answer in the acknowledgement; slow ones acknowledge first and answer
    through the response URL."""
    services = services_of(context)
    command = catalog.command_named(str(body.get("command", "")))
    typed = typed_text(context)
    subcommand, args, word = command.resolve(typed.text)
    if subcommand is None or len(typed.text) > command.max_text:
        ack(**_without_subcommand(command, typed.text, word).payload())
        return
    request = CommandRequest(
        team_id=str(body.get("team_id", "")),
        user_id=str(body.get("user_id", "")),
        channel_id=str(body.get("channel_id", "")),
        args=args,
        typed=typed,
        is_admin=services.settings.is_admin(str(body.get("user_id", ""))),
        slack=client,
        trigger_id=str(body.get("trigger_id", "")),
        response_url=str(body.get("response_url", "")),
    )
    if subcommand.slow:
        ack()
    try:
        reply = subcommand.run(services, request)
    except Exception as error:
        name = f"{command.name} {word}"
        reply = failure_reply(error, name, request.team_id, request.user_id)
    if not reply.text and not reply.blocks:
        # Nothing to say (the subcommand opened a modal): an empty acknowledgement.
        if not subcommand.slow:
            ack()
    elif subcommand.slow:
        respond(**reply.payload())
    else:
        ack(**reply.payload())


def _without_subcommand(command: SlashCommand, text: str, word: str) -> Reply:
    """Help, or what to type instead of an overlong or unknown request."""
    if len(text) > command.max_text:
        usages = [u.usage for u in command.usages][:3]
        return problem(f"That is too long for {command.name} ({len(text):,} characters).", usages)
    if word == "help":
        return render_help(catalog.COMMANDS if command.lists_all_commands else [command])
    return problem(f"`{command.name}` has no `{shown(word)}`.", [f"{command.name} help"])
