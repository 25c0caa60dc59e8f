"""Every slash command the app handles, as the command modules declare them."""

from __future__ import annotations

from bot.shared.commands import SlashCommand
from handlers import alert, creator, digest, feedback, kpi, match, review, seller, shopbot

COMMANDS: list[SlashCommand] = [
    shopbot.SHOPBOT,
    kpi.KPI,
    feedback.FEEDBACK,
    creator.CREATOR,
    review.REVIEW,
    seller.SELLER,
    match.MATCH,
    digest.DIGEST,
    alert.ALERT,
]


def command_named(name: str) -> SlashCommand:
    return next(command for command in COMMANDS if command.name == name)
