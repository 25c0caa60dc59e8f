"""The App Home tab: what shopbot knows here and every command's usage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.views import View

from bot.commands import SlashCommand
from bot.help import render_help
from bot.settings import Settings
from bot.status import render_status
from storage.overview import DataOverview


def home_view(
    commands: Sequence[SlashCommand], overview: DataOverview, settings: Settings
) -> dict[str, Any]:
    status = render_status(overview, settings)
    help_reply = render_help(commands, title="Commands")
    view = View(type="home", blocks=[*status.blocks, *help_reply.blocks])
    return view.to_dict()
