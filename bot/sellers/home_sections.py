"""The sellers' part of the Home: the person's seller-note follow-ups due and the open gaps of
the sellers they own (bot.sellers.gaps), each cut to a few lines with the command that lists
them whole (placed by the sellers feature's declaration, handlers/sellers)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.sellers.gaps import seller_gaps
from bot.sellers.listing import by_seller, seller_gaps_text
from bot.sellers.thresholds import GapThresholds
from bot.shared.commands import usage_of
from bot.shared.home_section import HomeContext
from bot.shared.language import _, ngettext
from bot.shared.replies import escape, section, truncate
from storage.sellers.notes import due_seller_follow_ups

SHOWN = 5


def seller_follow_ups_section(home: HomeContext) -> list[Block]:
    """The person's seller-note follow-ups due today and overdue."""
    due, total = due_seller_follow_ups(
        home.services.engine, home.team_id, home.user_id, home.today, SHOWN
    )
    if total == 0:
        return []
    lines = [
        f"• *{escape(note.seller_name)}*: {escape(truncate(note.text, 90))} — "
        f"{_when(note.follow_up_on, home.today)}"
        for note in due
        if note.follow_up_on is not None
    ]
    log_usage = escape(usage_of(home.commands, "/seller", "log"))
    more = (
        "\n" + _("_…and {count} more: `{usage}`_").format(count=total - len(due), usage=log_usage)
        if total > len(due)
        else ""
    )
    heading = _("*Seller follow-ups due* ({count})").format(count=total)
    return [section(heading + "\n" + "\n".join(lines) + more)]


def _when(day: date, today: date) -> str:
    late = (today - day).days
    if late == 0:
        return _("due today")
    return ngettext("{count} day overdue", "{count} days overdue", late).format(count=late)


def seller_gaps_section(home: HomeContext) -> list[Block]:
    """The open gaps and opportunities of the sellers the person owns, most GMV at stake first."""
    settings = home.services.settings
    rows = seller_gaps(
        home.services.engine,
        home.team_id,
        home.today,
        settings.section(GapThresholds),
        owner_user_id=home.user_id,
    ).rows
    if not rows:
        return []
    sellers = by_seller(rows)
    shown = "\n".join(seller_gaps_text(gaps, home.style) for gaps in sellers[:SHOWN])
    more = len(sellers) - SHOWN
    rest = (
        "\n"
        + ngettext(
            "_…and {count} more seller: `/seller gaps owner:me`_",
            "_…and {count} more sellers: `/seller gaps owner:me`_",
            more,
        ).format(count=more)
        if more > 0
        else ""
    )
    counted = ngettext("{count} seller", "{count} sellers", len(sellers)).format(
        count=home.style.count(len(sellers))
    )
    heading = _("*Your sellers' gaps* ({rows}, {sellers})").format(
        rows=home.style.count(len(rows)), sellers=counted
    )
    return [section(f"{heading}\n{shown}{rest}")]
