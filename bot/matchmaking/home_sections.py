"""Matchmaking's part of the Home: the outreach pairs the person runs, cut to a few lines with
the command that lists them whole (placed by the matchmaking feature's declaration,
handlers/matchmaking)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.matchmaking.pipeline import item_line
from bot.shared.home_section import HomeContext
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
        f"\n_…and {len(items) - SHOWN} more: `/match pipeline mine`_" if len(items) > SHOWN else ""
    )
    return [section(f"*Your outreach pipeline* ({len(items)})\n" + "\n".join(lines) + more)]
