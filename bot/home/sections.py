"""The Home's own sections: the title with the picker of the categories to follow, the buttons
for the common forms, and what shopbot holds with every command's usage (the features' sections
are in their packages, bot/<feature>/home_sections.py)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    Option,
    StaticMultiSelectElement,
)

from bot.shared.days import weekday_day
from bot.shared.help import render_overview
from bot.shared.home_section import HomeContext
from bot.shared.language import _, ngettext
from bot.shared.numbers import style_of
from bot.shared.replies import context, divider, header, truncate
from storage.kpis import reads as kpi_reads
from storage.kpis.reads import Scope
from storage.overview import people_counts

NEW_NOTE, IMPORT_FILE, SUBSCRIBE_CHANNEL = "home_new_note", "home_import", "home_subscribe"
NEW_REVIEW = "home_new_review"
PICK_CATEGORIES = "home_categories"
MAX_OPTIONS = 100  # Slack's limit for a static select


def category_picker(home: HomeContext) -> list[Block]:
    """The title and the multi-select of the categories to follow (none chosen: all)."""
    blocks: list[Block] = [header(_("Your shopbot"))]
    if not home.categories:
        return blocks
    options = [
        Option(text=truncate(name, 75), value=truncate(name, 150))
        for name in home.categories[:MAX_OPTIONS]
    ]
    chosen = [o for o in options if o.value in home.followed]
    picker = StaticMultiSelectElement(
        placeholder=_("All categories"),
        action_id=PICK_CATEGORIES,
        options=options,
        initial_options=chosen or None,
    )
    blocks.append(ActionsBlock(block_id="home_picker", elements=[picker]))
    return blocks


def buttons_section(home: HomeContext) -> list[Block]:
    """Buttons for the forms people open most."""
    return [
        divider(),
        ActionsBlock(
            block_id="home_buttons",
            elements=[
                ButtonElement(text=_("Add a creator note"), action_id=NEW_NOTE, style="primary"),
                ButtonElement(text=_("Review a livestream"), action_id=NEW_REVIEW),
                ButtonElement(text=_("Import a file"), action_id=IMPORT_FILE),
                ButtonElement(
                    text=_("Subscribe a channel to the digest"), action_id=SUBSCRIBE_CHANNEL
                ),
            ],
        ),
        context(_("Alerts: `/alert add gmv` · `/alert list` · `/alert help`")),
    ]


def status_section(home: HomeContext) -> list[Block]:
    """What shopbot holds at a glance (`/shopbot status` says more), and every command's usage."""
    sellers, categories, creators = people_counts(home.services.engine, home.team_id)
    latest = kpi_reads.latest_day(home.services.engine, Scope(home.team_id))
    style = style_of(home.services)
    until = (
        _("data up to {day}").format(day=weekday_day(latest)) if latest else _("no KPI data yet")
    )
    glance = ngettext(
        "*Sellers:* {sellers} in {count} category · *Creators:* {creators} · {until} · "
        "`/shopbot status` for the rest",
        "*Sellers:* {sellers} in {count} categories · *Creators:* {creators} · {until} · "
        "`/shopbot status` for the rest",
        categories,
    ).format(
        sellers=style.count(sellers),
        count=style.count(categories),
        creators=style.count(creators),
        until=until,
    )
    help_blocks = render_overview(home.commands, title=_("Commands")).blocks
    return [divider(), context(glance), *help_blocks]
