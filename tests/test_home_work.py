"""The App Home shows the person's own work from elsewhere in shopbot: the gaps of the sellers
they own and the outreach pairs they run, and nothing of either to someone who has none."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy.engine import Engine

from bot.offline import OfflineBot
from storage.db import transaction
from storage.models import Creator
from storage.outreach import start_outreach
from tests.seller_support import TODAY, build_sellers
from tests.slack_support import markup
from tests.test_app_home import open_home


def test_the_home_lists_your_sellers_gaps_and_your_outreach_pairs(
    bot: OfflineBot, engine: Engine
) -> None:
    sellers = build_sellers(bot, engine)
    team = bot.sandbox.team_id
    with transaction(engine) as session:
        creator = Creator(team_id=team, handle="maria.makes", display_name="Maria")
        session.add(creator)
        session.flush()
        assert creator.id is not None
        creator_id = creator.id
    now = datetime.combine(TODAY, time(9), tzinfo=UTC)
    start_outreach(engine, team, creator_id, sellers["A1"], "U0TOM", now)

    home = open_home(bot, "U0TOM")
    assert home is not None
    shown = markup(home)
    assert "*Your sellers' gaps*" in shown
    assert "*Bravo Living* · " in shown and "last LIVE 20 days ago" in shown
    assert "Alpha Home" not in shown.split("*Your sellers' gaps*")[1].split("*Your outreach")[0]
    assert "*Your outreach pipeline* (1)" in shown
    assert "*@maria.makes × Alpha Home* — contacted" in shown

    other = open_home(bot, "U0PRIYA")
    assert other is not None
    assert "Your sellers' gaps" not in markup(other)
    assert "Your outreach pipeline" not in markup(other)
