"""Gaps that count once: one row per seller and fact, each seller's GMV at stake once wherever
rows are summed up (the list, the digest, the App Home, the export), the KPI data over the
registry's programs, creators counted from affiliate sales as well as collaborations; and
affiliate and video GMV with their shares in `/kpi`, on the seller card and in the digest,
each against an independent Decimal computation of the rows."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from app import FEATURES
from bot.digest.content import compose_digest
from bot.features import Features
from bot.sellers.gaps import GapKind, seller_gaps
from bot.sellers.thresholds import GapThresholds
from bot.settings import read_section
from bot.shared.digest_section import DigestSpec
from bot.shared.kpis.definitions import KPIS
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from bot.shared.schedule import last_full_week
from bot.shared.sources import LIVE_DAYS
from devkit.offline import OfflineBot
from storage.sellers import signals as seller_signals
from tests import kpi_data
from tests.digest_support import TEAM, import_kpis
from tests.kpi_data import FIRST_DAY, cents, expected_change, reference, window
from tests.seller_support import FULL, LAST, TODAY, Plan, build_sellers
from tests.slack_support import markup
from tests.test_app_home import open_home

SECTIONS = Features(FEATURES).digest_sections

STYLE = NumberStyle("USD", "en_US")
KPI = {kpi.key: kpi for kpi in KPIS}
NOT_IN_LIVE = {**FULL, "programs": "affiliate"}

PLANS = [
    # Neither the registry nor the data has it in LIVE (two rules, one fact), and no contact.
    Plan("N1", "Nova Home", gmv=lambda day: 300_000, live=lambda day: False, profile=NOT_IN_LIVE,
         contact_days_ago=40, owner="U0TOM"),
    # The registry has it out of LIVE, the data shows a LIVE every third day.
    Plan("R1", "Romeo Live", profile=NOT_IN_LIVE, owner="U0TOM"),
    # High GMV and no creator on record, but affiliates sell 29% and 57% of GMV.
    Plan("S1", "Sierra Sells", gmv=lambda day: 500_000, creators=0, affiliate_pct=29,
         video_pct=12),
    Plan("S2", "Sierra Two", gmv=lambda day: 400_000, creators=0, affiliate_pct=57),
    # High GMV, no creator on record and 4% through affiliates: the opportunity, saying why.
    Plan("T1", "Tango Few", gmv=lambda day: 450_000, creators=0, affiliate_pct=4),
]  # fmt: skip


def gmv_28(plan: Plan) -> Decimal:
    """The plan's GMV of the 28 days to LAST, in currency units."""
    return Decimal(sum(plan.gmv(day) for day in range(28))) / 100


@pytest.fixture
def sellers(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    return build_sellers(bot, engine, PLANS)


def rows_of(engine: Engine, team: str, limits: GapThresholds | None = None) -> dict[str, list]:
    report = seller_gaps(engine, team, TODAY, limits or GapThresholds())
    found: dict[str, list] = {}
    for row in report.rows:
        found.setdefault(row.seller.key, []).append((row.kind, row.evidence))
    return found


def test_the_live_fact_is_one_row(bot: OfflineBot, engine: Engine, sellers: dict) -> None:
    found = rows_of(engine, bot.sandbox.team_id)
    assert found["N1"] == [
        (GapKind.LIVE_NOT_JOINED, "not in LIVE; no LIVE in 30+ days"),
        (GapKind.NO_CONTACT, "last contact 40 days ago"),
    ]
    shown = markup(bot.say("/seller gaps").reply)
    nova = shown.split("*Nova Home*")[1].split("\n→")[0]
    assert nova.count("LIVE") == 2 and "No recent LIVE" not in nova  # one line says both
    assert "Walk the seller through joining LIVE" in markup(bot.say("/seller N1").reply)


def test_the_gmv_at_stake_counts_once_per_seller_everywhere(
    bot: OfflineBot, engine: Engine, sellers: dict
) -> None:
    report = seller_gaps(engine, bot.sandbox.team_id, TODAY, GapThresholds())
    keys = list(dict.fromkeys(row.seller.key for row in report.rows))
    assert len(report.rows) > len(keys)  # Nova Home has two rows
    stakes = {p.key: gmv_28(p) for p in PLANS if p.key in keys}
    # The export: the column adds up to each seller's GMV of 28 days once.
    bot.say("/seller export")
    [upload] = bot.sandbox.files.values()
    assert upload.content
    sheet = load_workbook(io.BytesIO(upload.content)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert sum(Decimal(str(r[8])) for r in cells if r[8] is not None) == sum(stakes.values())
    nova = [r for r in cells if r[0] == "Nova Home"]
    assert len(nova) == 2 and [r[8] is None for r in nova] == [False, True]
    # The list, the digest and the Home: each seller's stake said once, beside its name.
    week = Period(TODAY - timedelta(days=7), TODAY - timedelta(days=1), "last week")
    spec = DigestSpec(bot.sandbox.team_id, week, None, "UTC", sections=("seller-gaps",))
    home = open_home(bot, "U0TOM")
    assert home is not None
    for text in (
        markup(bot.say("/seller gaps").reply),
        compose_digest(engine, spec, SECTIONS).text,
        markup(home),
    ):
        named = [line for line in text.splitlines() if line.endswith(" at stake")]
        assert len(named) == len({line.split("*")[1] for line in named})
        nova_line = f"*Nova Home* · {STYLE.money(int(gmv_28(PLANS[0]) * 100))} at stake"
        assert text.count(nova_line) == 1
    tom = [row for row in report.rows if row.owner_user_id == "U0TOM"]
    assert f"*Your sellers' gaps* ({len(tom)}, 2 sellers)" in markup(home)


def test_the_data_wins_over_the_registry_and_both_are_said(
    bot: OfflineBot, engine: Engine, sellers: dict
) -> None:
    # The 28 days of the card and of the GMV at stake, to the newest day of data.
    first = LAST - timedelta(days=27)
    sessions = sum(PLANS[1].live(day) for day in range(28))
    said = f"registry: not in LIVE, but {sessions} LIVE sessions in the data since 2 Nov 2026"
    assert first.isoformat() == "2026-11-02" and sessions == 10
    assert rows_of(engine, bot.sandbox.team_id)["R1"] == [(GapKind.LIVE_UNRECORDED, said)]
    card = markup(bot.say("/seller R1").reply)
    assert said in card and "Program not joined" not in card
    assert f"*LIVE* ({LIVE_DAYS}) · {sessions} sessions" in card  # the card counts the same days
    assert "Add LIVE to the seller's programs (Edit on the card)" in card


def test_affiliate_sales_count_as_creators_selling(
    bot: OfflineBot, engine: Engine, sellers: dict
) -> None:
    found = rows_of(engine, bot.sandbox.team_id)
    assert "S1" not in found and "S2" not in found  # 29% and 57% through affiliates
    assert found["T1"] == [
        (GapKind.FEW_CREATORS, "0 creators on record, affiliate sales 4% of GMV")
    ]
    card = markup(bot.say("/seller S1").reply)
    assert (
        "*Creators working with the seller* · none on record · affiliate sales are 29.0% of GMV: "
        "creators are selling for it"
    ) in card
    assert "High GMV, few creators" not in card
    limits = read_section(GapThresholds, {"SHOPBOT_GAP_CREATOR_AFFILIATE_PCT": "30"})
    assert limits.creator_affiliate_pct == 30
    stricter = rows_of(engine, bot.sandbox.team_id, limits)
    assert stricter["S1"] == [
        (GapKind.FEW_CREATORS, "0 creators on record, affiliate sales 29% of GMV")
    ]
    assert "S2" not in stricter


def _source_changes(now: pd.DataFrame, before: pd.DataFrame, column: str) -> tuple[str, ...]:
    """A channel's GMV and share of GMV over `now`, and their changes on `before`, as shown:
    computed here from the raw cells (money exact), formatted by the locale helpers."""
    gmv, gmv_before = cents(now[column]), cents(before[column])
    share = Decimal(gmv) / cents(now["gmv"])
    share_before = Decimal(gmv_before) / cents(before["gmv"])
    key = column.removesuffix("_gmv")
    return (
        STYLE.money(gmv),
        STYLE.kpi_change(KPI[f"{key}_gmv"], (Decimal(gmv) - gmv_before) / gmv_before),
        STYLE.rate(share),
        STYLE.kpi_change(KPI[f"{key}_share"], share - share_before),
    )


def test_affiliate_and_video_gmv_in_kpi_and_on_the_card(bot: OfflineBot, engine: Engine) -> None:
    today = FIRST_DAY + timedelta(days=kpi_data.DAYS)
    rows = kpi_data.load_sheet(bot, engine, kpi_data.generate(), today)
    last = today - timedelta(days=1)
    first = last - timedelta(days=27)
    before = (first - timedelta(days=28), first - timedelta(days=1))

    table = markup(bot.say("/kpi last 28 days full").reply)
    now, then = window(rows, first, last), window(rows, *before)
    expected, previous = reference(now), reference(then)
    for key, label in (
        ("affiliate_gmv", "Affiliate GMV"),
        ("affiliate_share", "Affiliate share"),
        ("video_gmv", "Video GMV"),
        ("video_share", "Video share"),
    ):
        value = STYLE.value(KPI[key], expected[key])
        change = STYLE.kpi_change(KPI[key], expected_change(key, expected[key], previous[key]))
        assert f"*{label}*  {value}\n{change} vs previous" in table, key
    headline = markup(bot.say("/kpi last 28 days").reply)
    assert f"*Affiliate share*  {STYLE.rate(expected['affiliate_share'])}" in headline

    card = markup(bot.say("/seller S001").reply)
    mine = window(rows, first, last, seller="S001")
    # S001's data stops before the team's: the card compares its days with data with the same
    # days of the 28 before (as /kpi seller:S001 does).
    stops = max(pd.to_datetime(mine["date"]).dt.date)
    mine_before = window(rows, before[0], before[0] + (stops - first), seller="S001")
    for column, label in (("affiliate_gmv", "Affiliate GMV"), ("video_gmv", "Video GMV")):
        gmv, moved, share, share_moved = _source_changes(mine, mine_before, column)
        assert f"{label} {gmv} {moved} · {share} of GMV {share_moved}" in card, column


def test_affiliate_and_video_gmv_in_the_digest(engine: Engine) -> None:
    rows = import_kpis(engine)
    week = last_full_week(date(2026, 10, 19))  # 12–18 Oct 2026, a full week of data
    text = compose_digest(engine, DigestSpec(TEAM, week, None, "UTC"), SECTIONS).text
    now = window(rows, week.start, week.end)
    before = window(rows, week.start - timedelta(days=7), week.end - timedelta(days=7))
    for column, label in (("affiliate_gmv", "Affiliate GMV"), ("video_gmv", "Video GMV")):
        gmv, moved, share, share_moved = _source_changes(now, before, column)
        assert f"*{label}* {gmv} · {moved} · {share} of GMV · {share_moved}" in text, column


def test_seller_sums_are_the_same_probed_or_scanned(
    bot: OfflineBot, engine: Engine, sellers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = LAST - timedelta(days=27)
    columns = ("affiliate_gmv_cents", "live_sessions")
    probed = seller_signals.seller_sums(
        engine, bot.sandbox.team_id, first, LAST, list(sellers.values()), columns
    )
    monkeypatch.setattr(seller_signals, "MANY_SELLERS", 0)
    scanned = seller_signals.seller_sums(
        engine, bot.sandbox.team_id, first, LAST, [sellers["S1"], sellers["R1"]], columns
    )
    assert scanned == {k: probed[k] for k in (sellers["S1"], sellers["R1"])}
    s1 = PLANS[2]
    assert scanned[sellers["S1"]] == (sum(s1.gmv(d) * 29 // 100 for d in range(28)), 10)
