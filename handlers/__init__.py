"""Bolt listeners, one module per command or surface; `register` wires them all.

A listener is a named module-level function: it parses the request, calls the application in
`bot/` or `storage/`, and renders the answer. What it needs (the services, the decoded text)
comes from Bolt's context, put there by the app's middleware. Usage text lives with each
subcommand's docstring (see bot.commands).
"""

from __future__ import annotations

from slack_bolt import App

from handlers import catalog, creator, feedback_actions, home, imports
from handlers.slash import answer_slash_command

__all__ = ["register"]


def register(app: App) -> None:
    for command in catalog.COMMANDS:
        app.command(command.name)(answer_slash_command)
    home.register(app)
    imports.register(app)
    feedback_actions.register(app)
    creator.register(app)
