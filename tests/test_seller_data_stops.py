"""A seller whose data stops is a signal, not a shifted window (issue 23, finding 3): `/kpi`
and the card keep the team's window and say since when the seller has no data, draw its missing
days as missing, and compare its days with data with the same days before; a working seller
silent for SHOPBOT_GAP_SILENT_DAYS is a gap, in `/seller gaps`, on its card and on its owner's
Home. Figures are checked against the KPI sheet's rows, summed here."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.sellers.gaps import GapKind, seller_gaps
from bot.sellers.thresholds import GapThresholds
from bot.sellers.trend import MISSING_DAY, sparkline
from bot.settings import SettingsError, read_section
from bot.shared.kpis.definitions import KPIS
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.kpis.reads import last_days_with_data, seller_last_day
from storage.sellers.models import Seller
from tests.kpi_data import cents, window
from tests.seller_support import LAST, TODAY, Plan, build_sellers, kpi_csv
from tests.slack_support import markup
from tests.test_app_home import open_home
from tests.test_kpi_headline import click_details

STYLE = NumberStyle("USD", "en_US")
GMV = next(kpi for kpi in KPIS if kpi.key == "gmv")
HISTORY = 70  # days of figures: the 28 days before the last 28 are all there
STOPS = LAST - timedelta(days=14)  # Sun 15 Nov 2026, while the team's data runs to Sun 29 Nov
FIRST = LAST - timedelta(days=27)  # the 28 days to the team's last day: 2 – 29 Nov
PLANS = [
    Plan("A1", "Alpha Home", gmv=lambda day: 100_000 + 700 * (day % 9), history=HISTORY),
    Plan(
        "S1",
        "Sierra Stops",
        gmv=lambda day: 90_000 + 1_000 * day,
        history=HISTORY,
        silent_days=14,
        owner="U0TOM",
    ),
    Plan("T1", "Tango Late", history=HISTORY, silent_days=2),
]


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """The sheet the sellers were imported from, as rows to sum independently."""
    build_sellers(bot, engine, PLANS)
    frame = pd.read_csv(io.BytesIO(kpi_csv(PLANS)), dtype=str)
    return frame


def said(bot: OfflineBot, command: str) -> str:
    return markup(bot.say(command).reply)


def _gmv(rows: pd.DataFrame, key: str, first: date, last: date) -> int:
    return cents(window(rows, first, last, seller=key)["gmv"])


def _per_day(rows: pd.DataFrame, key: str, days: int) -> list[int]:
    """The seller's GMV on each of the first `days` days of the window."""
    return [_gmv(rows, key, day, day) for day in (FIRST + timedelta(days=i) for i in range(days))]


def _gaps(engine: Engine, team: str, limits: GapThresholds) -> dict[tuple[str, GapKind], str]:
    return {
        (r.seller.key, r.kind): r.evidence for r in seller_gaps(engine, team, TODAY, limits).rows
    }


def test_the_last_day_with_data_is_read_per_seller(
    bot: OfflineBot, engine: Engine, rows: pd.DataFrame
) -> None:
    team = bot.sandbox.team_id
    with Session(engine) as session:
        sellers = {s.seller_key: s for s in session.exec(select(Seller)).all()}
    numbers = {key: s.number for key, s in sellers.items()}
    expected = {key: date.fromisoformat(max(g["date"])) for key, g in rows.groupby("seller_id")}
    assert expected["S1"] == STOPS and expected["A1"] == LAST
    found = last_days_with_data(engine, team, [n for n in numbers.values() if n is not None])
    assert {key: found[n] for key, n in numbers.items()} == expected
    for key, seller in sellers.items():
        assert seller.id is not None
        assert seller_last_day(engine, team, seller.id) == expected[key]


def test_kpi_and_the_card_agree_on_the_teams_window_and_the_same_days_before(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    """Sierra Stops has data to Sun 15 Nov: its 14 days with data, 2 – 15 Nov, against the
    same days from the start of the 28 days before, 5 – 18 Oct."""
    before_first = FIRST - timedelta(days=28)
    now = _gmv(rows, "S1", FIRST, LAST)
    assert now == _gmv(rows, "S1", FIRST, STOPS)  # nothing after the stop
    before = _gmv(rows, "S1", before_first, before_first + timedelta(days=13))
    moved = (Decimal(now) - before) / before
    stop = "no data since Sun 15 Nov 2026 (14 days)"

    kpi = " ".join(said(bot, "/kpi 28d seller:Sierra Stops").split())
    assert "KPIs · Sierra Stops · last 28 days (02 Nov – 29 Nov 2026)" in kpi
    assert "No data since Sun 15 Nov 2026 (14 days) for this seller" in kpi
    assert "its figures are of 02 Nov – 15 Nov, its days with data" in kpi
    assert "vs *05 Oct – 18 Oct*, the same days of the 28 days before" in kpi
    assert f"*GMV* {STYLE.money(now)} {STYLE.kpi_change(GMV, moved)}" in kpi
    assert "Today's data is not in yet" not in kpi

    card = said(bot, "/seller Sierra Stops")
    assert (
        f"*Sales* · 2 Nov 2026 – 29 Nov 2026 · {stop}: 2 Nov 2026 – 15 Nov 2026 vs the same "
        "days of the 28 before, 5 Oct 2026 – 18 Oct 2026" in card
    )
    assert f"GMV {STYLE.money(now)} {STYLE.change(moved)}" in card
    trend = sparkline(_per_day(rows, "S1", 14))
    assert f"`{trend}{MISSING_DAY * 14}` GMV per day ({MISSING_DAY} no data)" in card
    assert "▁" * 3 not in trend  # the missing days are not drawn as zeros

    # Its chart covers the same days: the line stops where the data does.
    charted = bot.say("/kpi chart gmv 28d seller:Sierra Stops").reply["text"]
    assert charted.startswith("Posted GMV · Sierra Stops · last 28 days (02 Nov – 29 Nov 2026)")
    [complete] = bot.sandbox.calls("files.completeUploadExternal")
    assert f"14 days with data, total {STYLE.money(now)}" in complete.params["initial_comment"]

    details = " ".join(markup(click_details(bot, bot.say("/kpi 28d seller:S1").reply)).split())
    assert "last 28 days (02 Nov – 29 Nov 2026)" in details
    assert "Compared with 05 Oct – 18 Oct, the same days of the 28 days before" in details
    assert f"*GMV* {STYLE.money(now)}" in details


def test_a_seller_whose_data_is_current_is_answered_as_before(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    now = _gmv(rows, "A1", FIRST, LAST)
    before = _gmv(rows, "A1", FIRST - timedelta(days=28), FIRST - timedelta(days=1))
    moved = (Decimal(now) - before) / before
    kpi = " ".join(said(bot, "/kpi 28d seller:Alpha Home").split())
    assert "last 28 days (02 Nov – 29 Nov 2026)" in kpi
    assert "vs *05 Oct – 01 Nov*, the 28 days before" in kpi
    assert f"*GMV* {STYLE.money(now)} {STYLE.kpi_change(GMV, moved)}" in kpi
    assert "No data since" not in kpi
    card = said(bot, "/seller Alpha Home")
    assert "*Sales* · 2 Nov 2026 – 29 Nov 2026 vs the 28 days before" in card
    assert f"GMV {STYLE.money(now)} {STYLE.change(moved)}" in card
    assert f"`{sparkline(_per_day(rows, 'A1', 28))}` GMV per day\n" in card
    # A category keeps its own latest day: only a seller's answer is about the seller.
    assert "No data since" not in said(bot, "/kpi 28d category:Home & Living")


def test_a_seller_silent_for_the_setting_is_a_gap_in_the_list_the_card_and_the_home(
    bot: OfflineBot, engine: Engine, rows: pd.DataFrame
) -> None:
    team = bot.sandbox.team_id
    found = _gaps(engine, team, GapThresholds())
    assert found[("S1", GapKind.NO_DATA)] == "no data since Sun 15 Nov 2026 (14 days)"
    # Two days late is not yet silent; the figure rules do not judge the days it has not sent.
    assert ("T1", GapKind.NO_DATA) not in found and ("A1", GapKind.NO_DATA) not in found
    assert ("S1", GapKind.NO_LIVE) not in found and ("S1", GapKind.GMV_DROP) not in found
    # Nor the opportunities read from its last 28 days, which lack the days it has not sent.
    every_gmv_high = _gaps(engine, team, GapThresholds(high_gmv_cents=1, few_creators=10))
    assert ("S1", GapKind.FEW_CREATORS) not in every_gmv_high
    assert ("A1", GapKind.FEW_CREATORS) in every_gmv_high

    row = "⚠️ Data stopped: no data since Sun 15 Nov 2026 (14 days)"
    listed = said(bot, "/seller gaps")
    assert row in listed and "ask the seller if it still trades, or check the KPI export" in listed
    assert listed.count("Data stopped") == 1
    card = said(bot, "/seller Sierra Stops")
    assert "*Data stopped*: no data since Sun 15 Nov 2026 (14 days) → Ask the seller" in card
    home = open_home(bot, "U0TOM")
    assert home is not None
    assert "*Sierra Stops*" in markup(home) and row in markup(home)

    limits = read_section(GapThresholds, {"SHOPBOT_GAP_SILENT_DAYS": "2"})
    assert limits.silent_days == 2
    late = _gaps(engine, team, limits)
    assert late[("T1", GapKind.NO_DATA)] == "no data since Fri 27 Nov 2026 (2 days)"
    with pytest.raises(SettingsError) as refused:
        read_section(GapThresholds, {"SHOPBOT_GAP_SILENT_DAYS": "0"})
    assert (
        str(refused.value)
        == "SHOPBOT_GAP_SILENT_DAYS is invalid: expected a whole number from 1 to 365"
    )
