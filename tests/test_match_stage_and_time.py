"""`/match` and the seller card know a creator's stage and a collaboration's dates (issue 23,
point 7): paused creators are left out unless asked for, and marked; a collaboration counts
only between its start and end; the seller card names the pairs in outreach with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.db import transaction
from storage.matchmaking.models import Outreach
from tests.feedback_support import NOW, TODAY, set_clock
from tests.match_support import add_collaboration, add_creator, add_seller
from tests.slack_support import markup

SELLER = "Ökoladen Küche & Co"


@pytest.fixture
def shop(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    """A kitchenware seller; an active, a paused and a former partner creator; a past, a
    current and a future collaboration; a pair in outreach."""
    set_clock(bot, NOW)
    team = bot.sandbox.team_id
    ids = {
        "seller": add_seller(engine, team, SELLER, "Kitchenware"),
        "active": add_creator(engine, team, "juergen.kocht", display_name="Jürgen 🍳"),
        "paused": add_creator(
            engine,
            team,
            "ruhe.kueche",
            stage="paused",
            display_name="Ruhe Küche",
            overall={"live_gpm_cents": 9_000},
        ),
        "former": add_creator(engine, team, "frueher.partner", overall={"live_gpm_cents": 8_000}),
        "current": add_creator(engine, team, "jetzt.partner"),
        "future": add_creator(engine, team, "bald.partner"),
        "asked": add_creator(engine, team, "ryori.yuki", display_name="料理ユキ"),
    }
    add_collaboration(
        engine,
        team,
        ids["former"],
        ids["seller"],
        since=TODAY - timedelta(days=400),
        until=TODAY - timedelta(days=150),  # ended five months ago
    )
    add_collaboration(engine, team, ids["current"], ids["seller"], since=TODAY - timedelta(days=30))
    add_collaboration(engine, team, ids["future"], ids["seller"], since=TODAY + timedelta(days=9))
    with transaction(engine) as session:
        session.add(
            Outreach(
                team_id=team,
                creator_id=ids["asked"],
                seller_id=ids["seller"],
                stage="sample sent",
                owner_user_id="U0TOM",
            )
        )
    return ids


def _row(reply: dict, handle: str) -> str:
    """The text of the ranking row of the creator with `handle`."""
    [row] = [
        b["text"]["text"]
        for b in reply["blocks"]
        if b["type"] == "section" and f"@{handle}*" in b.get("text", {}).get("text", "")
    ]
    return str(row)


def test_paused_creators_are_left_out_and_said(bot: OfflineBot, shop: dict[str, int]) -> None:
    text = markup(bot.say(f"/match {SELLER} 20").reply)
    assert "@ruhe.kueche" not in text
    assert "1 paused, left out (add `all` to see)" in text
    assert "@juergen.kocht" in text


def test_all_shows_paused_creators_marked(bot: OfflineBot, shop: dict[str, int]) -> None:
    reply = bot.say(f"/match {SELLER} 20 all").reply
    assert "⏸ paused in the registry" in _row(reply, "ruhe.kueche")
    assert "(Ruhe Küche)" in _row(reply, "ruhe.kueche")
    assert "paused" not in _row(reply, "juergen.kocht")
    assert "paused, left out" not in markup(reply)


def test_a_collaboration_counts_only_between_its_dates(
    bot: OfflineBot, shop: dict[str, int]
) -> None:
    text = markup(bot.say(f"/match {SELLER} 20").reply)
    assert "@frueher.partner" in text  # ended five months ago: a candidate again
    assert "@bald.partner" in text  # starts next week: not working together yet
    assert "@jetzt.partner" not in text  # the one current collaboration
    assert "1 already works together, left out" in text
    marked = bot.say(f"/match {SELLER} 20 all").reply
    assert "🤝 already working together" in _row(marked, "jetzt.partner")
    assert "🤝" not in _row(marked, "frueher.partner")
    assert "🤝" not in _row(marked, "bald.partner")
    partner = markup(bot.say("/match @frueher.partner").reply)
    assert "Ökoladen" in partner and "left out" not in partner
    assert "Ökoladen" not in markup(bot.say("/match @jetzt.partner").reply)


def test_the_seller_card_shows_current_creators_and_outreach(
    bot: OfflineBot, shop: dict[str, int]
) -> None:
    text = markup(bot.say(f"/seller {SELLER}").reply)
    working = text[text.index("*Creators working with the seller*") :].split("\n", 1)[0]
    assert "@jetzt.partner" in working
    assert "@frueher.partner" not in working and "@bald.partner" not in working
    assert "*In outreach* · @ryori.yuki (sample sent)" in text


def test_sellers_for_a_creator_give_the_sellers_reasons(
    bot: OfflineBot, engine: Engine, shop: dict[str, int]
) -> None:
    add_seller(engine, bot.sandbox.team_id, "Glanz 美容 ✨", "Beauty", aov=9_000)
    reply = bot.say("/match @juergen.kocht").reply
    kitchen = _seller_row(reply, "Ökoladen Küche &amp; Co")
    beauty = _seller_row(reply, "Glanz 美容 ✨")
    # three weekly rows in the last four weeks, 100 orders each; 60% of the day's GMV in LIVE
    assert (
        "✓ Kitchenware, where the creator sells · AOV $26.00, near the creator's typical order"
        in kitchen
    )
    assert "60% of GMV from LIVE · GMV $7,800.00 in the last 4 weeks" in kitchen
    assert "AOV $90.00 vs the creator's typical order $25.00" in beauty
    assert "GMV $27,000.00 in the last 4 weeks" in beauty
    assert "where the creator sells" not in beauty  # no sales in Beauty
    for row in (kitchen, beauty):  # the creator's own figures are not repeated on each row
        assert "level L4" not in row and "GPM" not in row


def _seller_row(reply: dict, name: str) -> str:
    [row] = [
        b["text"]["text"]
        for b in reply["blocks"]
        if b["type"] == "section" and f". {name}*" in b.get("text", {}).get("text", "")
    ]
    return str(row)
