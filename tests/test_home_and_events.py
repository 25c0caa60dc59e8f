"""The App Home tab, and Slack's event redelivery handled exactly once."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.offline import OfflineBot
from bot.services import system_clock
from storage.db import transaction
from storage.events import claim_event, prune_processed_events
from storage.models import ProcessedSlackEvent, Seller
from tests.slack_support import markup

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


def test_opening_home_publishes_status_and_commands(bot: OfflineBot, engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Seller(
                team_id=bot.sandbox.team_id, seller_key="S1", name="Casa", category="Home & Living"
            )
        )
    assert bot.client.event(HOME_OPENED).status == 200
    bot.settle()
    [publish] = bot.sandbox.calls("views.publish")
    assert publish.ok
    assert publish.params["user_id"] == "U0TOM"
    home = bot.sandbox.home_views["U0TOM"]
    shown = markup(home)
    assert "*Sellers:* 1 in 1 categories" in shown
    assert "/shopbot status" in shown


def test_the_messages_tab_publishes_nothing(bot: OfflineBot) -> None:
    assert bot.client.event({**HOME_OPENED, "tab": "messages"}).status == 200
    bot.settle()
    assert bot.sandbox.calls("views.publish") == []


def test_a_redelivered_event_is_handled_once(bot: OfflineBot) -> None:
    assert bot.client.event(HOME_OPENED, event_id="Ev0SAME").status == 200
    bot.settle()
    assert len(bot.sandbox.calls("views.publish")) == 1
    redelivered = bot.client.event(HOME_OPENED, event_id="Ev0SAME", retry_num=1)
    assert redelivered.status == 200
    bot.settle()
    assert len(bot.sandbox.calls("views.publish")) == 1


def test_event_claims_are_per_workspace_and_pruned(engine: Engine) -> None:
    assert claim_event(engine, "T1", "Ev1")
    assert not claim_event(engine, "T1", "Ev1")
    assert claim_event(engine, "T2", "Ev1")
    assert prune_processed_events(engine, system_clock()) == 2
    assert claim_event(engine, "T1", "Ev1")
    with transaction(engine) as session:
        assert len(session.exec(select(ProcessedSlackEvent)).all()) == 1
