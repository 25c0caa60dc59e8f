"""The Home's lists: the person's follow-ups due, the alerts of the week in their scope, the
buttons for the common forms, and what shopbot holds with every command's usage."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.feedback.cards import creator_ref
from bot.home.context import HomeContext
from bot.shared.follow_ups import follow_up_text
from bot.shared.help import render_overview
from bot.shared.replies import context, divider, escape, section, truncate
from storage.alerts import rules as alert_store
from storage.feedback import notes
from storage.kpis import reads as kpi_reads
from storage.kpis.reads import Scope
from storage.overview import people_counts

SHOWN = 8  # items listed per section; the rest are counted, with the command that lists them
NEW_NOTE, IMPORT_FILE, SUBSCRIBE_CHANNEL = "home_new_note", "home_import", "home_subscribe"
NEW_REVIEW = "home_new_review"


def follow_ups_section(home: HomeContext) -> list[Block]:
    """The person's creator-note follow-ups due today and overdue."""
    due, total = notes.due_follow_ups(
        home.services.engine, home.team_id, home.user_id, home.today, SHOWN
    )
    if total == 0:
        return [divider(), section("*Follow-ups* · nothing due today.")]
    lines = [
        f"• {creator_ref(note)}: {escape(truncate(note.text, 90))} — "
        f"{follow_up_text(note, home.today)}"
        for note in due
    ]
    more = f"\n_…and {total - len(due)} more: `/feedback mine`_" if total > len(due) else ""
    return [
        divider(),
        section(f"*Follow-ups due* ({total})\n" + "\n".join(lines) + more),
    ]


def alerts_section(home: HomeContext) -> list[Block]:
    """The alerts that fired this week on the workspace or the categories followed."""
    fired = alert_store.fired_since(
        home.services.engine, home.team_id, home.today - timedelta(days=7), home.followed
    )
    if not fired:
        return [section("*Alerts this week* · none fired.")]
    lines = []
    for firing, _rule in fired[:SHOWN]:
        seen = f" · acknowledged by <@{firing.acknowledged_by}>" if firing.acknowledged_by else ""
        lines.append(f"• {escape(firing.summary)}{seen}")
    more = f"\n_…and {len(fired) - SHOWN} more_" if len(fired) > SHOWN else ""
    return [section(f"*Alerts this week* ({len(fired)})\n" + "\n".join(lines) + more)]


def buttons_section(home: HomeContext) -> list[Block]:
    """Buttons for the forms people open most."""
    return [
        divider(),
        ActionsBlock(
            block_id="home_buttons",
            elements=[
                ButtonElement(text="Add a creator note", action_id=NEW_NOTE, style="primary"),
                ButtonElement(text="Review a livestream", action_id=NEW_REVIEW),
                ButtonElement(text="Import a file", action_id=IMPORT_FILE),
                ButtonElement(
                    text="Subscribe a channel to the digest", action_id=SUBSCRIBE_CHANNEL
                ),
            ],
        ),
        context("Alerts: `/alert add gmv` · `/alert list` · `/alert help`"),
    ]


def status_section(home: HomeContext) -> list[Block]:
    """What shopbot holds at a glance (`/shopbot status` says more), and every command's usage."""
    sellers, categories, creators = people_counts(home.services.engine, home.team_id)
    latest = kpi_reads.latest_day(home.services.engine, Scope(home.team_id))
    until = f"data up to {latest:%a %d %b %Y}" if latest else "no KPI data yet"
    glance = (
        f"*Sellers:* {sellers:,} in {categories} categories · *Creators:* "
        f"{creators:,} · {until} · `/shopbot status` for the rest"
    )
    help_blocks = render_overview(home.commands, title="Commands").blocks
    return [divider(), context(glance), *help_blocks]
