"""The App Home: each person's dashboard, built from a list of sections, and published on
app_home_opened, after an import that wrote days, and when the person changes what they follow.

A feature adds its part of the Home as one section function
(`bot.shared.home_section.Section`: the person's `HomeContext` in, a few blocks out), written
in bot/<feature>/home_sections.py and placed by its declaration (bot.features:
`Feature.home`, e.g. seller gaps after the follow-ups); the Home shows the sections of the
features the services carry, in the order of their places. Each section keeps to a few blocks
whatever the data's size (lists are cut and name the command that shows them whole);
`home_blocks` also cuts the whole at Slack's 100 blocks, so a section that grows too much
cannot make the view fail.

Automatic publishes (opening the tab, imports) reach a person at most once a minute
(`REPUBLISH_GAP`, claimed in the database, so replicas respect it too); a change the person
makes on the Home itself is shown at once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.services import Services, slack_client
from bot.shared.carried import carried_choice
from bot.shared.home_section import HomeContext
from bot.shared.language import _, speaking
from bot.shared.replies import context
from bot.shared.speakers import person_speech
from storage import home as store
from storage.kpis import reads as kpi_reads

log = logging.getLogger(__name__)
MAX_BLOCKS = 100  # Slack's limit for a view
REPUBLISH_GAP = timedelta(minutes=1)


def home_context(services: Services, team_id: str, user_id: str) -> HomeContext:
    return HomeContext(
        services=services,
        team_id=team_id,
        user_id=user_id,
        followed=tuple(store.followed_categories(services.engine, team_id, user_id)),
        categories=tuple(kpi_reads.categories(services.engine, team_id)),
        commands=services.features.commands,
        today=services.today(),
    )


def follow_categories(
    services: Services, team_id: str, user_id: str, chosen: Sequence[str]
) -> None:
    """Save the categories the person's Home follows: the menu offers the workspace's own, so
    any other (a forged option) is refused."""
    known = set(kpi_reads.categories(services.engine, team_id))
    for category in chosen:
        carried_choice(category, known, "a category", "/shopbot status")
    store.follow_categories(services.engine, team_id, user_id, list(chosen))


def home_blocks(home: HomeContext) -> list[Block]:
    """Every section of the features' (`Services.features`), in order of place, cut to the
    view's limit if they ever exceed it."""
    sections = home.services.features.home_sections
    blocks: list[Block] = [block for part in sections for block in part(home)]
    if len(blocks) > MAX_BLOCKS:
        log.warning(
            "the Home of %s had %d blocks; cut to %d", home.user_id, len(blocks), MAX_BLOCKS
        )
        blocks = [*blocks[: MAX_BLOCKS - 1], context("_" + _("More in `/shopbot help`.") + "_")]
    return blocks


def home_view(home: HomeContext) -> dict[str, Any]:
    return View(type="home", blocks=home_blocks(home)).to_dict()


def publish_home(
    services: Services, client: WebClient, team_id: str, user_id: str, *, asked: bool = False
) -> bool:
    """Build and publish the person's Home; False when an automatic publish is skipped
    because the last one is less than a minute old. `asked`: the person changed it."""
    now = services.clock()
    if not store.claim_publish(
        services.engine, team_id, user_id, now, timedelta(0) if asked else REPUBLISH_GAP
    ):
        return False
    with speaking(person_speech(services, client, team_id, user_id)):  # theirs, whoever asked
        view = home_view(home_context(services, team_id, user_id))
    client.views_publish(user_id=user_id, view=view)
    return True


def refresh_homes(services: Services, client: WebClient, team_id: str) -> int:
    """Republish the Home of everyone in the workspace who has opened it; a Home published
    less than a minute ago is refreshed once the minute is up (`publish_due_homes`). How
    many were published now."""
    published = 0
    for user_id in store.home_viewers(services.engine, team_id):
        if publish_home(services, client, team_id, user_id):
            published += 1
        else:
            store.mark_refresh_due(services.engine, team_id, user_id)
    return published


def publish_due_homes(services: Services, client: WebClient) -> int:
    """The refreshes that waited for their minute (the scheduler runs this every minute)."""
    published = 0
    due = store.due_refreshes(
        services.engine, services.workspace(), services.clock(), REPUBLISH_GAP
    )
    for team_id, user_id in due:
        try:
            published += publish_home(services, client, team_id, user_id)
        except Exception:
            log.exception("the waiting App Home refresh of %s in %s failed", user_id, team_id)
    return published


def add_home_jobs(scheduler: BaseScheduler, services: Services) -> None:
    """Every minute, the App Home refreshes that waited for their minute to pass."""
    client = slack_client(services.settings, retries=False)
    scheduler.add_job(
        lambda: publish_due_homes(services, client),
        "interval",
        minutes=1,
        id="home-refresh",
        max_instances=1,
        coalesce=True,
    )


def refresh_after_import(services: Services, client: WebClient, team_id: str) -> None:
    """An import wrote days: the Homes that show its figures are refreshed (`refresh_homes`)."""
    refresh_homes(services, client, team_id)
