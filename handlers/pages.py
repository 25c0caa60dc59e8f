"""The pager's buttons (bot.shared.pages): Previous and Next ask for the same list again at another
page and the answer replaces the list; a card's "All notes" opens a list's first page beside it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import Services
from bot.shared.commands import CommandRequest
from bot.shared.language import _
from bot.shared.pages import NEXT, OPEN, PREVIOUS, REFUSED, Asked
from bot.shared.viewer import Viewer
from handlers.answers import Answer, acknowledge, answer_at, answer_url, carried
from storage.errors import UserError


def page_clicked(
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> Answer:
        asked, page = Asked.from_value(carried(action))
        command = services.features.command_named(asked.command)
        typed = asked.typed(page)
        subcommand, args, _word = command.resolve(typed.text) if command else (None, "", "")
        if subcommand is None or not subcommand.paged:
            raise UserError(_(REFUSED))
        request = CommandRequest(
            team_id=who.team_id,
            user_id=who.user_id,
            channel_id=str(context.channel_id or ""),
            args=args,
            slack=client,
            typed=typed,
            is_admin=who.is_admin,
            response_url=answer_url(respond),
        )
        reply = subcommand.run(services, request)
        return Answer(reply, replace=action["action_id"] != OPEN)

    answer_at(respond, "list page", who, work)


def register(app: App) -> None:
    for action_id in (PREVIOUS, NEXT, OPEN):
        app.action(action_id)(ack=acknowledge, lazy=[page_clicked])
