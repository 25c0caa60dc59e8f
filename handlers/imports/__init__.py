"""Imports: files shared with the bot, direct messages about them, and the import form (opened
by `/kpi import`, the word this feature adds to `/kpi`)."""

from __future__ import annotations

from slack_bolt import App

from bot.features import Feature
from bot.imports.form import CALLBACK_ID
from bot.imports.gate import ImportSettings
from handlers.answers import acknowledge
from handlers.imports.commands import KPI_IMPORT
from handlers.imports.listeners import (
    DIRECT_MESSAGE,
    FILE_SHARED,
    answer_direct_messages,
    check_import_form,
    import_from_form,
    import_shared_files,
)


def register(app: App) -> None:
    app.event(FILE_SHARED)(ack=acknowledge, lazy=[import_shared_files])
    app.event(DIRECT_MESSAGE)(ack=acknowledge, lazy=[answer_direct_messages])
    app.view(CALLBACK_ID)(ack=check_import_form, lazy=[import_from_form])


FEATURE = Feature(
    "imports",
    added_subcommands=(KPI_IMPORT,),
    register=register,
    settings=(ImportSettings,),
)
