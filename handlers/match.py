"""`/match`: creator–seller matchmaking with reasons, and the outreach pipeline."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import CommandRequest, SlashCommand
from bot.help import usage_lines
from bot.matchmaking.answers import match_answer
from bot.matchmaking.render import score_help
from bot.replies import Reply
from bot.services import Services

MATCH = SlashCommand(
    "/match", "creator–seller matchmaking with reasons, and the outreach pipeline", fallback="for"
)


@MATCH.subcommand("for")
def match_for(services: Services, request: CommandRequest) -> Reply:
    """`/match <seller or @handle> [n] [live|video] [all]`: best creators for a seller, or sellers

    For a seller, the creators who fit it best; for `@handle`, the sellers who fit the creator
    best; each with its score, reasons, warnings and buttons. `n` rows (1–20, default 5);
    `live` or `video` ranks creators by that content; pairs that already work together are
    left out unless `all` is given, and then marked.
    """
    return match_answer(services, request)


@MATCH.subcommand("help")
def match_help(services: Services, request: CommandRequest) -> Reply:
    """`/match help`: usage, the score's components and their current weights"""
    return score_help(usage_lines(MATCH), services.settings.weights)


def register(app: App) -> None:
    """The buttons of `/match` rows (Add note is the creator card's own)."""
