"""The App Home shows the person's own work from elsewhere in shopbot: their seller-note
follow-ups due, the gaps of the sellers they own and the outreach pairs they run, and none of
these to someone who has none."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.matchmaking.outreach import start_outreach
from storage.sellers.models import SellerNote
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
        session.add(
            SellerNote(
                team_id=team,
                seller_id=sellers["B1"],
                author_user_id="U0TOM",
                text="Asked for the LIVE plan <b>&</b> the samples",
                follow_up_on=TODAY - timedelta(days=2),
            )
        )
    now = datetime.combine(TODAY, time(9), tzinfo=UTC)
    start_outreach(engine, team, creator_id, sellers["A1"], "U0TOM", now)

    home = open_home(bot, "U0TOM")
    assert home is not None
    shown = markup(home)
    assert "*Your sellers' gaps*" in shown
    assert "*Bravo Living* · " in shown and "last LIVE 20 days ago" in shown
    assert "Alpha Home" not in shown.split("*Your sellers' gaps*")[1].split("*Your outreach")[0]
    assert "*Seller follow-ups due* (1)" in shown
    assert "*Bravo Living*: Asked for the LIVE plan &lt;b&gt;&amp;&lt;/b&gt; the samples" in shown
    assert "2 days overdue" in shown
    assert "*Your outreach pipeline* (1)" in shown
    assert "*@maria.makes × Alpha Home* — contacted" in shown

    other = open_home(bot, "U0PRIYA")
    assert other is not None
    assert "Your sellers' gaps" not in markup(other)
    assert "Your outreach pipeline" not in markup(other)
    assert "Seller follow-ups" not in markup(other)
