"""Bolt listeners, one module per command or surface; `register` wires them all.

A handler parses the request, calls the application in `bot/` or `storage/`, and renders the
answer. Usage text lives with each subcommand's docstring (see bot.commands).
"""

from __future__ import annotations

from slack_bolt import App

from bot.commands import SlashCommand
from bot.services import Services
from handlers import creator, digest, feedback, feedback_actions, home, imports, kpi, shopbot
from handlers.slash import register_command

COMMANDS: list[SlashCommand] = [
    shopbot.SHOPBOT,
    kpi.KPI,
    feedback.FEEDBACK,
    creator.CREATOR,
    digest.DIGEST,
]


def register(app: App, services: Services) -> None:
    for command in COMMANDS:
        register_command(app, services, command, COMMANDS)
    home.register(app, services, COMMANDS)
    imports.register(app, services)
    feedback_actions.register(app, services)
    creator.register(app, services)
