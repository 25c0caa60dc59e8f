"""Bolt listeners: one package per feature (`handlers/<feature>/`, whose `FEATURE` declares its
commands, listeners, jobs and sections: see bot.features), and the plumbing they share
(answers, slash, forms, pages, events, workspaces); `register` wires the features' listeners.

A listener is a named module-level function: it parses the request, calls the application in
`bot/` or `storage/`, and renders the answer. It names what it needs as parameters, and Bolt
passes them: what Bolt parsed (`action`, `view`, `command`, `respond`, `client`, `context`…)
and what the app's middleware put in the context (`services`, `typed`, and `who`, which
`register` adds; see handlers.answers). Usage text lives with each subcommand's docstring (see
bot.shared.commands).

A listener whose answer is the acknowledgement (a quick command, a type-ahead, a modal's
submission) runs before the HTTP answer; one that is slow or calls Slack is registered as
`ack=acknowledge, lazy=[...]` and runs after it.
"""

from __future__ import annotations

from slack_bolt import App

from bot.features import Features
from handlers import pages
from handlers.answers import acknowledge, provide_viewer
from handlers.slash import answer_slash_command, answer_slow_command, asks_for_slow_work

__all__ = ["register"]


def register(app: App, features: Features) -> None:
    """Every feature's slash commands (answered by handlers.slash) and listeners, in the
    features' order, then the list pages' buttons, which serve every command."""
    app.middleware(provide_viewer)
    for command in features.commands:
        slow = [asks_for_slow_work]
        app.command(command.name, matchers=slow)(ack=acknowledge, lazy=[answer_slow_command])
        app.command(command.name)(answer_slash_command)
    for feature in features.features:
        feature.register(app)
    pages.register(app)
