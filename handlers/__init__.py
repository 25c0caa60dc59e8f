"""Bolt listeners, one module per command or surface; `register` wires them all.

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

from handlers import (
    alert,
    catalog,
    creator,
    feedback_actions,
    home,
    imports,
    kpi,
    match,
    pages,
    review_actions,
    seller_actions,
)
from handlers.answers import acknowledge, provide_viewer
from handlers.slash import answer_slash_command, answer_slow_command, asks_for_slow_work

__all__ = ["register"]


def register(app: App) -> None:
    app.middleware(provide_viewer)
    for command in catalog.COMMANDS:
        slow = [asks_for_slow_work]
        app.command(command.name, matchers=slow)(ack=acknowledge, lazy=[answer_slow_command])
        app.command(command.name)(answer_slash_command)
    home.register(app)
    imports.register(app)
    kpi.register(app)
    feedback_actions.register(app)
    creator.register(app)
    review_actions.register(app)
    alert.register(app)
    seller_actions.register(app)
    match.register(app)
    pages.register(app)
