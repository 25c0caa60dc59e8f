"""The alerts' part of the Home: the alerts that fired this week in the person's scope (placed
by the alerts feature's declaration, handlers/alerts)."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import Block

from bot.shared.home_section import HomeContext
from bot.shared.language import _
from bot.shared.replies import escape, section
from storage.alerts import rules as alert_store

SHOWN = 8  # alerts listed; the rest are counted


def alerts_section(home: HomeContext) -> list[Block]:
    """The alerts that fired this week on the workspace or the categories followed."""
    fired = alert_store.fired_since(
        home.services.engine, home.team_id, home.today - timedelta(days=7), home.followed
    )
    if not fired:
        return [section(_("*Alerts this week* · none fired."))]
    lines = []
    for firing, _rule in fired[:SHOWN]:
        seen = (
            " · " + _("acknowledged by {user}").format(user=f"<@{firing.acknowledged_by}>")
            if firing.acknowledged_by
            else ""
        )
        lines.append(f"• {escape(firing.summary)}{seen}")
    more = (
        "\n" + _("_…and {count} more_").format(count=len(fired) - SHOWN)
        if len(fired) > SHOWN
        else ""
    )
    heading = _("*Alerts this week* ({count})").format(count=len(fired))
    return [section(heading + "\n" + "\n".join(lines) + more)]
