"""Matchmaking's part of the Home: the outreach pairs the person runs, cut to a few lines with
the command that lists them whole (placed by the matchmaking feature's declaration,
handlers/matchmaking)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.matchmaking.pipeline import item_line
from bot.shared.home_section import HomeContext
from bot.shared.language import _
from bot.shared.replies import section
from storage.matchmaking.outreach import pipeline_items

SHOWN = 5


def pipeline_section(home: HomeContext) -> list[Block]:
    """The outreach pairs the person runs, overdue first."""
    items = pipeline_items(home.services.engine, home.team_id, owner_user_id=home.user_id)
    if not items:
        return []
    lines = [f"• {item_line(item, home.today)}" for item in items[:SHOWN]]
    more = (
        "\n_"
        + _("…and {count} more: `/match pipeline mine`").format(count=len(items) - SHOWN)
        + "_"
        if len(items) > SHOWN
        else ""
    )
    title = _("*Your outreach pipeline* ({count})").format(count=len(items))
    return [section(title + "\n" + "\n".join(lines) + more)]
