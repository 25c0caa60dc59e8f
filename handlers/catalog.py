"""Every slash command the app handles, as the command modules declare them."""

from __future__ import annotations

from bot.commands import SlashCommand
from handlers import creator, digest, feedback, kpi, match, shopbot

COMMANDS: list[SlashCommand] = [
    shopbot.SHOPBOT,
    kpi.KPI,
    feedback.FEEDBACK,
    creator.CREATOR,
    match.MATCH,
    digest.DIGEST,
]


def command_named(name: str) -> SlashCommand:
    return next(command for command in COMMANDS if command.name == name)
