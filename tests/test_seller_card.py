"""`/seller <name or id>`: the card's figures against an independent computation of the rows,
the text trend line, LIVE activity, reviews, creators, contacts, and what unknown names get."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sellers.card import ADD_SELLER_NOTE, EDIT_SELLER, SELLER_CHART
from bot.sellers.trend import sparkline
from bot.shared.numbers import NumberStyle
from bot.shared.sources import LIVE_DAYS
from devkit.offline import OfflineBot
from devkit.sandbox.blocks import validate_blocks
from storage.creators.models import Creator
from storage.db import transaction
from storage.matchmaking.models import Collaboration
from storage.reviews.models import LivestreamReview
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import Seller
from tests import kpi_data
from tests.feedback_support import answers, click
from tests.kpi_data import FIRST_DAY, cents, window
from tests.slack_support import action_ids, button_value, markup

TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)
LAST = TODAY - timedelta(days=1)  # the newest day of the sheet
STYLE = NumberStyle("USD", "en_US")
UNICODE = "Seller 03 Ünïcode Shop"


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    return kpi_data.load_sheet(bot, engine, kpi_data.generate(), TODAY)


def _change(now: Decimal | int | None, before: Decimal | int | None) -> str:
    if now is None or not before:
        return STYLE.change(None)
    return STYLE.change((Decimal(now) - Decimal(before)) / Decimal(before))


def _expected(rows: pd.DataFrame, key: str) -> dict[str, str]:
    """The card's figures; a seller whose data stops before LAST is compared on its days with
    data against the same days from the start of the 28 days before, its later days missing."""
    first = LAST - timedelta(days=27)
    stops = date.fromisoformat(max(rows[rows["seller_id"] == key]["date"]))
    now = window(rows, first, LAST, seller=key)
    with_data = 28 if stops >= LAST else max((stops - first).days + 1, 0)
    before_first = first - timedelta(days=28)
    before = window(rows, before_first, before_first + timedelta(days=with_data - 1), seller=key)

    def totals(frame: pd.DataFrame) -> tuple[int, int, Decimal | None]:
        gmv, orders = cents(frame["gmv"]), int(frame["orders"].astype(int).sum())
        return gmv, orders, (Decimal(gmv) / orders if orders else None)

    (gmv, orders, aov), (gmv_b, orders_b, aov_b) = totals(now), totals(before)
    per_day = {d: cents(g["gmv"]) for d, g in now.groupby("date")}
    days = [(first + timedelta(days=i)).isoformat() for i in range(28)]
    views = int(now["live_views"].astype(int).sum())
    engaged = sum(
        int(now[c].astype(int).sum()) for c in ("live_likes", "live_comments", "live_shares")
    )
    live_gmv = cents(now["live_gmv"])
    compared = (
        "vs the 28 days before"
        if stops >= LAST
        else f"· no data since {stops:%a %d %b %Y} ({(LAST - stops).days} days)"
    )
    return {
        "compared": compared,
        "gmv": f"GMV {STYLE.money(gmv)} {_change(gmv, gmv_b)}",
        "orders": f"Orders {STYLE.count(orders)} {_change(orders, orders_b)}",
        "aov": f"AOV {STYLE.money(aov)} {_change(aov, aov_b)}",
        "trend": sparkline([per_day.get(d, 0) if d <= stops.isoformat() else None for d in days]),
        "sessions": f"{STYLE.count(int(now['live_sessions'].astype(int).sum()))} sessions",
        "hours": f"{Decimal(int(now['live_minutes'].astype(int).sum())) / 60:.1f} hours",
        "engagement": f"engagement {STYLE.rate(Decimal(engaged) / views if views else None)}",
        "gpm": f"GPM {STYLE.money(Decimal(live_gmv) * 1000 / views if views else None)}",
    }


@pytest.mark.parametrize("typed", ["S001", "seller 01 shop", "SELLER 03 ÜNÏCODE SHOP", "S005"])
def test_the_card_shows_28_days_against_the_28_before(
    bot: OfflineBot, rows: pd.DataFrame, typed: str
) -> None:
    seen = bot.say(f"/seller {typed}")
    reply = seen.reply
    assert validate_blocks(reply["blocks"]) == []
    shown = markup(reply)
    key = {"S001": "S001", "seller 01 shop": "S001", "S005": "S005"}.get(typed, "S003")
    for fragment in _expected(rows, key).values():
        assert fragment in shown
    assert f"*LIVE* ({LIVE_DAYS}) · " in shown
    assert action_ids(reply) == [ADD_SELLER_NOTE, EDIT_SELLER, SELLER_CHART]


def test_days_since_the_last_live_counts_back_from_the_newest_day(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    for key in ("S000", "S002"):
        mine = rows[(rows["seller_id"] == key) & (rows["live_sessions"].astype(int) > 0)]
        last_live = date.fromisoformat(max(mine["date"]))
        shown = markup(bot.say(f"/seller {key}").reply)
        days = (LAST - last_live).days
        if days == 0:
            assert f"last LIVE on {LAST.day} {LAST:%b %Y}, the newest day of data" in shown
        else:
            assert f"last LIVE {days} day{'s' if days != 1 else ''} before" in shown


def test_sparkline_runs_from_the_lowest_to_the_highest_day() -> None:
    assert sparkline([0, 7, 14]) == "▁▅█"
    assert sparkline([5, 5]) == "▁▁"
    assert sparkline([]) == ""
    assert len(sparkline(list(range(28)))) == 28


def test_reviews_creators_and_store_details(
    bot: OfflineBot, rows: pd.DataFrame, engine: Engine
) -> None:
    with transaction(engine) as session:
        seller = session.exec(select(Seller).where(Seller.seller_key == "S001")).one()
        seller.owner_user_id, seller.tier, seller.market = "U0TOM", "A", "DE"
        seller.programs, seller.tags = ["live"], ["key-account"]
        seller.contacts = [{"name": "Ana <Lima>", "role": "owner", "reach": "ana@shop.example"}]
        session.add(seller)
        session.flush()
        for n, (day, score) in enumerate([(date(2026, 11, 1), 4), (date(2026, 11, 5), 2)]):
            session.add(
                LivestreamReview(
                    team_id=bot.sandbox.team_id,
                    seller_id=seller.id,
                    stream_date=day,
                    stream_started_at=datetime.combine(day, time(19)),
                    host_name=f"Host {n}",
                    reviewer_user_id="U0MARIA",
                    **{f"score_{item}": score for item in SCORECARD},
                )
            )
        creator = Creator(team_id=bot.sandbox.team_id, handle="maria.makes")
        session.add(creator)
        session.flush()
        assert creator.id is not None and seller.id is not None
        session.add(
            Collaboration(team_id=bot.sandbox.team_id, creator_id=creator.id, seller_id=seller.id)
        )
    shown = markup(bot.say("/seller S001").reply)
    assert "Ana &lt;Lima&gt; · owner · ana@shop.example" in shown
    assert "<@U0TOM>" in shown and "DE · A" in shown and "LIVE" in shown
    assert "latest 2, average 3.0/5" in shown
    assert "5 Nov 2026 Host 1: 2.0/5" in shown
    assert "@maria.makes" in shown
    assert "no contact on record" in shown


def test_an_unknown_seller_gets_close_matches(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/seller Seller 03 Unicode").reply)
    assert "I don't know the seller `Seller 03 Unicode`" in shown
    assert "Seller 03 Ünïcode Shop" in shown


def test_an_empty_card_request_shows_the_help(bot: OfflineBot) -> None:
    assert "/seller <name or shop id>" in bot.say("/seller").text


@pytest.mark.parametrize("typed", ["<!channel>", "🛍️🛍️", "x" * 3000])
def test_hostile_names_are_answered_briefly(
    bot: OfflineBot, rows: pd.DataFrame, typed: str
) -> None:
    reply = bot.say(f"/seller {typed}").reply
    shown = markup(reply)
    assert ":warning:" in shown
    assert "<!channel>" not in shown
    assert len(shown) < 600


def test_the_chart_button_posts_the_90_day_trend(bot: OfflineBot, rows: pd.DataFrame) -> None:
    card = bot.say("/seller S001").reply
    click(bot, SELLER_CHART, button_value(card, SELLER_CHART), channel="C0KPI")
    [answer] = answers(bot, 1)
    assert answer["text"] == "Posted the 90-day chart of Seller 01 Shop."
    [chart] = bot.sandbox.files.values()
    first = LAST - timedelta(days=89)
    assert chart.filename == f"seller-seller-01-shop-{first.isoformat()}-{LAST.isoformat()}.png"
    assert chart.channels == ["C0KPI"] and chart.content and chart.content[:4] == b"\x89PNG"


def test_a_live_on_the_newest_day_and_none_since_the_live_data_starts(
    bot: OfflineBot, engine: Engine
) -> None:
    frame = kpi_data.generate()
    live = [c for c in frame.columns if c.startswith("live_")]
    silent = frame["seller_id"] == "S003"  # Seller 03 Ünïcode Shop: never a LIVE
    for column in live:
        frame.loc[silent, column] = "0.00" if column == "live_gmv" else 0
    on_last = frame[(frame["date"] == LAST.isoformat()) & ~silent]
    key = on_last["seller_id"].iloc[0]
    newest = (frame["seller_id"] == key) & (frame["date"] == LAST.isoformat())
    frame.loc[newest, "live_sessions"] = 2
    rows = kpi_data.load_sheet(bot, engine, frame, TODAY)
    starts = date.fromisoformat(min(rows[rows["live_sessions"].astype(int) > 0]["date"]))

    same_day = markup(bot.say(f"/seller {key}").reply)
    assert f"last LIVE on {LAST.day} {LAST:%b %Y}, the newest day of data" in same_day
    assert "0 days before" not in same_day
    never = markup(bot.say(f"/seller {UNICODE}").reply)
    assert f"no LIVE since the LIVE data starts ({starts.day} {starts:%b %Y})" in never
    assert "in the last year" not in never
