"""`/shopbot`: the bot's own command (help for every command, and status)."""

from __future__ import annotations

from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.language import N_
from bot.shared.numbers import style_of
from bot.shared.replies import Reply
from bot.status import render_status
from handlers.shopbot.language import language_answer
from storage.overview import data_overview

SHOPBOT = SlashCommand(
    "/shopbot", N_("help for every command and the bot's status"), lists_all_commands=True
)


@SHOPBOT.subcommand("status")
def status(services: Services, request: CommandRequest) -> Reply:
    """`/shopbot status`: what data shopbot has and how it is set up"""
    overview = data_overview(services.engine, request.team_id)
    return render_status(overview, services.settings, style_of(services))


@SHOPBOT.subcommand("language")
def language(services: Services, request: CommandRequest) -> Reply:
    """`/shopbot language [#channel] [en|de|auto]`: the language shopbot writes you or a channel"""
    return language_answer(services, request)
