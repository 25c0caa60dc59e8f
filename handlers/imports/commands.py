"""`/kpi import`: the import form, opened from the command the imports feature adds a word to
(`/kpi`, the kpi feature's); declared here, attached to `/kpi` when the app collects its
commands (bot.features)."""

from __future__ import annotations

from bot.imports.form import import_form
from bot.services import Services
from bot.shared.commands import AddedSubcommands, CommandRequest
from bot.shared.language import N_, _
from bot.shared.replies import Reply

KPI_IMPORT = AddedSubcommands("/kpi")
SUMMARIES = (N_("import a team file from a form"),)
"""The subcommand's summary (its docstring's first line), for the catalogs: help shows it in
the answer's language."""


@KPI_IMPORT.subcommand("import")
def kpi_import(services: Services, request: CommandRequest) -> Reply:
    """`/kpi import`: import a team file from a form

    Any kind of file storage.importers.kinds declares, recognised from its columns.
    """
    request.slack.views_open(trigger_id=request.trigger_id, view=import_form(request.channel_id))
    return Reply(text=_("Opening the import form… (you can also share the file with me in a DM)"))
