"""`/match` end to end (issue 14, point 2): creators for a seller and sellers for a creator,
with scores, reasons, warnings and buttons; pairs working together left out or marked; bad
input answered with what to type instead."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from tests.feedback_support import NOW, set_clock
from tests.match_support import add_collaboration, add_creator, add_seller
from tests.slack_support import action_ids, button_value, markup


@pytest.fixture
def shop(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    """A kitchenware seller and five creators whose right order is known."""
    set_clock(bot, NOW)
    team = bot.sandbox.team_id
    ids = {
        "seller": add_seller(engine, team, "Ökoladen Küche & Co", "Kitchenware"),
        "beauty": add_seller(engine, team, "Glow Lab", "Beauty", aov=9_000),
        "star": add_creator(
            engine,
            team,
            "star.cooks",
            level=7,
            overall={"live_gpm_cents": 9_000, "engagement_rate": 0.09},
            by_category={
                "Kitchenware": {
                    "live_gpm_cents": 4_100,
                    "engagement_rate": 0.08,
                    "gmv_cents": 200_000,
                    "orders": 80,
                }
            },
            notes=("positive", "positive"),
        ),
        "steady": add_creator(engine, team, "steady.home"),
        "flaky": add_creator(
            engine,
            team,
            "flaky.finds",
            overall={"samples_shipped": 10, "posts_after_samples": 3},
            notes=("negative", "negative", "neutral"),
        ),
        "outsider": add_creator(engine, team, "glow.girl", categories=("Beauty",)),
        "partner": add_creator(
            engine, team, "old.partner", level=8, overall={"live_gpm_cents": 8_000}
        ),
    }
    for handle in ("a.one", "b.two", "c.three"):  # the category's crowd
        add_creator(engine, team, handle, level=2, overall={"live_gpm_cents": 1_000})
    add_collaboration(engine, team, ids["partner"], ids["seller"])
    return ids


def test_creators_for_a_seller_in_the_known_order(bot: OfflineBot, shop: dict[str, int]) -> None:
    seen = bot.say("/match ökoladen küche & co")
    reply = seen.reply
    text = markup(reply)
    order = [h for h in ("star.cooks", "steady.home", "flaky.finds") if f"@{h}" in text]
    assert order == ["star.cooks", "steady.home", "flaky.finds"]
    assert text.index("@star.cooks") < text.index("@steady.home") < text.index("@flaky.finds")
    # $41 in Kitchenware against the others' GPM there (overall where they have no category
    # figures: 10, 10, 10, 20, 20 and 80 dollars): 5 below → 5.5 of 7 → the top 21%.
    assert "Kitchenware LIVE GPM $41.00, top 21% of the category" in text
    assert "overall LIVE GPM $20.00" in text
    assert "sells in Kitchenware" in text
    assert "samples posted 3 of 10" in text and "recent notes mostly negative" in text
    assert "@old.partner" not in text  # already works with the seller
    assert "1 already works together, left out (add `all` to see)" in text
    assert "Ökoladen Küche &amp; Co" in text  # escaped once
    assert action_ids(reply).count("match_start_outreach") == 5
    assert action_ids(reply).count("feedback_add_note") == 5
    value = button_value(reply, "match_start_outreach")
    assert value == f"{shop['star']}:{shop['seller']}"


def test_all_marks_the_pairs_working_together(bot: OfflineBot, shop: dict[str, int]) -> None:
    text = markup(bot.say("/match Ökoladen Küche & Co 10 all").reply)
    assert "@old.partner" in text and "🤝 already working together" in text
    assert "left out" not in text


def test_the_count_and_content_options(bot: OfflineBot, shop: dict[str, int]) -> None:
    reply = bot.say("/match Ökoladen Küche & Co 2").reply
    assert action_ids(reply).count("feedback_add_note") == 2
    video = markup(bot.say("/match ökoladen küche & co video").reply)
    assert "video only" in video and "makes no videos" in video


def test_sellers_for_a_creator(bot: OfflineBot, engine: Engine, shop: dict[str, int]) -> None:
    from storage.db import transaction
    from storage.sellers.models import Seller

    closed = add_seller(engine, bot.sandbox.team_id, "Closed Kitchen", "Kitchenware")
    with transaction(engine) as session:
        seller = session.get(Seller, closed)
        assert seller is not None
        seller.status = "inactive"
        session.add(seller)
    reply = bot.say("/match @Star.Cooks").reply
    text = markup(reply)
    assert "Sellers for @star.cooks" in text
    assert text.index("Ökoladen Küche &amp; Co") < text.index("Glow Lab")
    assert "no sales in Beauty yet" in text
    assert "AOV $26.00, near the creator's typical order $25.00" in text
    assert "no price data" not in text
    assert "Closed Kitchen" not in text  # it stopped trading
    assert button_value(reply, "match_start_outreach") == f"{shop['star']}:{shop['seller']}"
    partner = markup(bot.say("/match @old.partner").reply)
    assert "Ökoladen" not in partner and "left out" in partner


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        (
            "/match Okoladen Kuche",
            "I don't know the seller `Okoladen Kuche`. Did you mean `Ökoladen Küche &amp; Co`?",
        ),
        ("/match Ökoladen Küche & Co 0", "`0` is not a number of rows I can show: say 1 to 20."),
        ("/match Ökoladen Küche & Co 500", "`500` is not a number of rows I can show"),
        ("/match @star.cook", "`@star.cook` is not in the registry. Did you mean `@star.cooks`?"),
        ("/match @star.cooks video", "`live` and `video` choose creators for a seller."),
        ("/match 🍳 Кухня 厨房", "I don't know the seller `🍳 Кухня 厨房`."),
        ("/match @bad!handle", "is not a TikTok handle"),
    ],
)
def test_bad_input_says_what_to_type(
    bot: OfflineBot, shop: dict[str, int], typed: str, says: str
) -> None:
    reply = bot.say(typed).reply
    assert says in markup(reply)
    assert "Try:" in markup(reply)


def test_a_slack_mention_is_not_a_creator(bot: OfflineBot, shop: dict[str, int]) -> None:
    response = bot.client.slash_command("/match", "<@U0TOM|tom> 3", wire=True)
    assert "`@tom` is a person in this workspace, not a TikTok creator" in markup(response.json())


def test_help_shows_the_components_and_current_weights(bot: OfflineBot) -> None:
    assert bot.say("/match").text == bot.say("/match help").text
    text = markup(bot.say("/match help").reply)
    for words in ("*category* (weight 3", "*gpm* (weight 3", "*price* (weight 1", "no GPM data"):
        assert words in text
    assert "/match &lt;seller or @handle&gt; [n] [live|video] [all]" in text
