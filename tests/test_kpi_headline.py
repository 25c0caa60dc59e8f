"""`/kpi` leads with the headline: eight figures, each with its one most telling comparison, the
unusual days and the top category or seller, on one phone screen; Details (or `full`) gives the
full table. Every figure and change is checked against pandas on generated rows, and the change's
baseline, arrow, colour and unit against a computation of their own here."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.kpi.headline import DETAILS
from bot.shared.kpis.definitions import HEADLINE, KPIS, Kpi
from bot.shared.numbers import NumberStyle, Unit
from bot.shared.sources import SELLER_DAYS
from devkit.offline import OfflineBot
from devkit.sandbox.blocks import validate_blocks
from devkit.terminal import phone_screens
from tests import kpi_data
from tests.kpi_data import (
    FIRST_DAY,
    cents,
    expected_change,
    gmv_by_day,
    reference,
    steady,
    window,
    with_outage,
)
from tests.slack_support import button_value, markup

STYLE = NumberStyle("USD", "en_US")
LAST_DAY = FIRST_DAY + timedelta(days=kpi_data.DAYS - 1)  # Sat 14 Nov 2026, the newest data
TODAY = LAST_DAY + timedelta(days=1)  # Sunday; its data is not in yet
OUTAGE = date(2026, 10, 31)  # a Saturday cut to 30% of its GMV
SELLER = "Küche & Café 東京 🌸"
MOND = "Mond Full"  # a name that ends in the switch
D = date


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """Steady sellers with a Saturday outage; two of them renamed (non-ASCII, and `… Full`)."""
    frame = with_outage(steady(kpi_data.generate()), OUTAGE, 0.3)
    first, second = sorted(frame["seller_id"].unique())[:2]
    frame.loc[frame["seller_id"] == first, "seller_name"] = SELLER
    frame.loc[frame["seller_id"] == second, "seller_name"] = MOND
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def _seller_id(rows: pd.DataFrame, name: str) -> str:
    return str(rows.loc[rows["seller_name"] == name, "seller_id"].iloc[0])


def independent_change(kpi: Kpi, moved: Decimal | None) -> str:
    """The change as the headline must show it, worked out here: rates in points, the rest in
    percent; ▲/▼ for the direction, 🟢 when it is good for the KPI, ⚪ ■ when it rounds to 0."""
    if moved is None:
        return "—"
    size = abs(moved) * 100
    shown = f"{size:,.2f} pt" if kpi.unit is Unit.RATE else f"{size:,.1f}%"
    if shown in ("0.00 pt", "0.0%"):
        return f"⚪ ■ {shown}"
    good = (moved > 0) == kpi.higher_is_better
    return f"{'🟢' if good else '🔴'} {'▲' if moved > 0 else '▼'} {shown}"


def expected_lines(
    now: pd.DataFrame, before: pd.DataFrame, *, one_seller: bool = False
) -> list[str]:
    """`*GMV*  $1,234.56  🟢 ▲ 3.1%` for each headline KPI, from the rows (for one seller, all
    but seller adoption, a share of sellers)."""
    lines = []
    for kpi in HEADLINE:
        if one_seller and kpi.key == "adoption":
            continue
        value, then = reference(now)[kpi.key], reference(before)[kpi.key]
        moved = expected_change(kpi.key, value, then)
        lines.append(f"*{kpi.label}*  {STYLE.value(kpi, value)}  {independent_change(kpi, moved)}")
    return lines


def figure_lines(reply: dict[str, Any]) -> list[str]:
    """The lines of the section with the figures: the baseline, then one per figure."""
    texts = [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]
    return next(text for text in texts if "*GMV*" in text).splitlines()


def click_details(bot: OfflineBot, reply: dict[str, Any], value: str | None = None) -> Any:
    """Press the reply's Details button (or one carrying `value`), signed as Slack sends it;
    the answer posted to its response URL."""
    mark = len(bot.sandbox.calls("response_url"))
    carried = button_value(reply, DETAILS) if value is None else value
    response = bot.client.block_action(DETAILS, carried, message=reply)
    assert response.status == 200, response.body
    bot.settle()
    [call] = bot.sandbox.calls("response_url")[mark:]
    assert call.ok, call.response  # Slack took it: valid blocks, within its limits
    return call.params


def screens(reply: dict[str, Any]) -> float:
    return phone_screens(reply.get("blocks") or [], str(reply.get("text", "")))


def test_the_headline_is_eight_kpis_that_grow_with_the_business() -> None:
    assert [kpi.key for kpi in HEADLINE] == [
        "gmv",
        "orders",
        "aov",
        "live_share",
        "live_engagement",
        "adoption",
        "affiliate_share",
        "video_share",
    ]
    assert all(kpi in KPIS and kpi.higher_is_better for kpi in HEADLINE)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("today", LAST_DAY), ("2026-11-07", D(2026, 11, 7)), ("11/3", D(2026, 11, 3))],
)
def test_a_day_is_compared_with_the_same_day_last_week(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, day: date
) -> None:
    seen = bot.say(f"/kpi {typed}")
    reply = seen.reply
    before = day - timedelta(days=7)
    lines = figure_lines(reply)
    assert lines[0] == f"vs *{before:%a %d %b}*, the same day last week"
    assert lines[1:] == expected_lines(window(rows, day, day), window(rows, before, before))
    assert "vs previous" not in seen.text and "7-day" not in seen.text
    assert SELLER_DAYS in markup(reply)  # where the figures come from
    assert seen.phone_screens <= 1.0
    assert reply["response_type"] == "ephemeral"
    assert validate_blocks(reply["blocks"]) == []


@pytest.mark.parametrize(
    ("typed", "now", "before", "named"),
    [
        (
            "last week",
            (D(2026, 11, 2), D(2026, 11, 8)),
            (D(2026, 10, 26), D(2026, 11, 1)),
            "vs *26 Oct – 01 Nov*, the 7 days before",
        ),
        (
            "month",  # to date: the same days of October
            (D(2026, 11, 1), LAST_DAY),
            (D(2026, 10, 1), D(2026, 10, 14)),
            "vs *01 Oct – 14 Oct*, the same days of the month before",
        ),
        (
            "2026-10-01..2026-10-20",
            (D(2026, 10, 1), D(2026, 10, 20)),
            (D(2026, 9, 11), D(2026, 9, 30)),
            "vs *11 Sep – 30 Sep*, the 20 days before",
        ),
    ],
)
def test_a_longer_period_is_compared_with_the_one_before(
    bot: OfflineBot,
    rows: pd.DataFrame,
    typed: str,
    now: tuple[date, date],
    before: tuple[date, date],
    named: str,
) -> None:
    seen = bot.say(f"/kpi {typed}")
    lines = figure_lines(seen.reply)
    assert lines[0] == named
    assert lines[1:] == expected_lines(window(rows, *now), window(rows, *before))
    assert seen.phone_screens <= 1.0


def _below_usual(frame: pd.DataFrame, day: date) -> int:
    """How far below the median of the same weekday in the 8 weeks before `day` its GMV is."""
    totals = gmv_by_day(frame)
    history = [totals[d] for d in (day - timedelta(weeks=n) for n in range(1, 9)) if d in totals]
    usual = Decimal(str(pd.Series(history).median()))
    return round((usual - totals[day]) / usual * 100)


def test_unusual_days_of_the_period_and_its_baseline_are_named(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    share = _below_usual(rows, OUTAGE)
    assert share >= 60
    usual = f"Sat 31 Oct, {share}% below a usual Saturday"
    assert f":warning: Unusual: {usual} (in the comparison)." in markup(
        bot.say("/kpi 2026-11-07").reply
    )
    assert f":warning: Unusual: {usual}." in markup(bot.say("/kpi 2026-10-31").reply)
    assert f":warning: Unusual: {usual} (in the comparison)." in markup(
        bot.say("/kpi 2026-11-02..2026-11-08").reply
    )
    # Sun 1 Nov: the full table compares with the day before, the outage; the headline does not
    sunday = bot.say("/kpi 2026-11-01")
    assert "Unusual" not in sunday.text
    assert "The comparison includes Sat 31 Oct" in " ".join(
        bot.say("/kpi 2026-11-01 full").text.split()
    )


def test_the_top_category_or_the_top_seller_of_a_category(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    day = window(rows, LAST_DAY, LAST_DAY)
    by_category = {c: cents(g["gmv"]) for c, g in day.groupby("category")}
    top = max(by_category, key=lambda c: (by_category[c], c))
    share = STYLE.rate(Decimal(by_category[top]) / sum(by_category.values()))
    assert f"Top category: {top.replace('&', '&amp;')}, {share} of GMV" in markup(
        bot.say("/kpi today").reply
    )
    kitchen = day[day["category"] == "Kitchenware"]
    by_seller = {n: cents(g["gmv"]) for n, g in kitchen.groupby("seller_name")}
    leader = max(by_seller, key=lambda n: (by_seller[n], n))
    shown = markup(bot.say("/kpi today category:Kitchenware").reply)
    assert f"Top seller: {leader}, {STYLE.money(by_seller[leader])}" in shown


@pytest.mark.parametrize(
    "typed", ["today", "last week category:Kitchenware", "month", "gmv 2026-10-01..2026-10-20"]
)
def test_details_shows_what_full_shows(bot: OfflineBot, rows: pd.DataFrame, typed: str) -> None:
    headline = bot.say(f"/kpi {typed}")
    full = bot.say(f"/kpi {typed} full")
    details = click_details(bot, headline.reply)
    assert details["replace_original"] is True  # the table takes the headline's place
    assert (details["text"], details["blocks"]) == (full.reply["text"], full.reply["blocks"])
    assert details["response_type"] == "ephemeral"
    assert DETAILS not in json.dumps(full.reply)
    assert "Categories" in full.text or "Top sellers" in full.text
    assert headline.phone_screens <= 1.0 < full.phone_screens


def test_details_shows_the_day_the_headline_showed_after_new_data(
    bot: OfflineBot, engine: Engine, rows: pd.DataFrame
) -> None:
    headline = bot.say("/kpi today")
    full = bot.say("/kpi today full")
    assert "Today's data is not in yet; showing Sat 14 Nov." in full.text
    sunday = window(kpi_data.generate(), D(2026, 11, 8), D(2026, 11, 8)).assign(
        date=TODAY.isoformat()
    )
    kpi_data.load_sheet(bot, engine, sunday, TODAY)
    assert "(SUN 15 NOV 2026)" in bot.say("/kpi today").text
    details = click_details(bot, headline.reply)
    assert (details["text"], details["blocks"]) == (full.reply["text"], full.reply["blocks"])


def test_a_category_typed_as_slack_sends_it(bot: OfflineBot, rows: pd.DataFrame) -> None:
    response = bot.client.slash_command("/kpi", "today category:Home &amp; Living", wire=True)
    reply = response.json()
    shown = markup(reply)
    title = "KPIs · Home & Living · latest complete day (Sat 14 Nov 2026)"
    assert reply["blocks"][0]["text"]["text"] == title  # plain text: not escaped
    assert reply["text"].startswith(title.replace("&", "&amp;"))  # mrkdwn: escaped once
    assert "&amp;amp;" not in shown
    now = window(rows, LAST_DAY, LAST_DAY, category="Home & Living")
    before = window(
        rows, LAST_DAY - timedelta(days=7), LAST_DAY - timedelta(days=7), "Home & Living"
    )
    assert figure_lines(reply)[1:] == expected_lines(now, before)
    assert "`/kpi today category:Home &amp; Living full`" in shown
    assert json.loads(button_value(reply, DETAILS))["w"] == "today category:Home & Living"
    assert screens(reply) <= 1.0
    details = click_details(bot, reply)
    full = bot.say("/kpi today category:Home & Living full").reply
    assert (details["text"], details["blocks"]) == (full["text"], full["blocks"])


def test_a_seller_with_a_name_in_any_script(bot: OfflineBot, rows: pd.DataFrame) -> None:
    key = _seller_id(rows, SELLER)
    seen = bot.say("/kpi last week seller:KÜCHE & café 東京 🌸")
    shown = markup(seen.reply)
    assert "KPIs · Küche & Café 東京 🌸 · last week (02 Nov – 08 Nov 2026)" in shown
    now = window(rows, D(2026, 11, 2), D(2026, 11, 8), seller=key)
    before = window(rows, D(2026, 10, 26), D(2026, 11, 1), seller=key)
    assert figure_lines(seen.reply)[1:] == expected_lines(now, before, one_seller=True)
    assert "Top category" not in shown and "Top seller" not in shown  # one seller, one category
    assert "adoption" not in shown.lower()
    assert seen.phone_screens <= 1.0
    details = click_details(bot, seen.reply)
    full = bot.say(f"/kpi last week seller:{SELLER} full").reply
    assert (details["text"], details["blocks"]) == (full["text"], full["blocks"])
    table = markup(full)
    assert "*GMV*" in table and "*LIVE GMV*" in table
    for left_out in ("Seller adoption", "Top sellers", "Biggest movers"):
        assert left_out not in table  # of one seller, always 100% (or 0%) and that seller


def test_a_name_ending_in_full_is_still_a_name(bot: OfflineBot, rows: pd.DataFrame) -> None:
    headline = bot.say(f"/kpi yesterday seller:{MOND}")
    assert f"KPIS · {MOND.upper()} · YESTERDAY" in headline.text
    assert button_value(headline.reply, DETAILS)
    full = bot.say(f"/kpi yesterday seller:{MOND} full")
    assert f"KPIS · {MOND.upper()} · YESTERDAY" in full.text and "vs previous" in full.text


@pytest.mark.parametrize(
    "value",
    [
        "",
        "42",
        "not json",
        "[1, 2]",
        '{"w": 7, "d": "2026-11-15", "l": null}',
        '{"w": "today", "d": "2026-02-30", "l": null}',
        '{"w": "today", "d": "2026-11-15"}',
        '{"w": "today", "d": "2026-11-15", "l": "yesterday"}',
        '{"w": "today", "d": "2099-01-01", "l": null}',  # asked after today
        json.dumps({"w": "x" * 1500, "d": "2026-11-15", "l": None}),
    ],
)
def test_a_forged_details_value_is_refused(bot: OfflineBot, rows: pd.DataFrame, value: str) -> None:
    answer = click_details(bot, {"ts": "", "text": ""}, value)
    assert answer["text"].startswith(":warning: That button does not hold a KPI question.")
    assert "Try: `/kpi today full`" in answer["text"]
    assert "*GMV*" not in json.dumps(answer)


def test_a_details_value_with_words_that_name_nothing_is_refused_as_typing_them_is(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    value = json.dumps({"w": "seller:Nobody <!here>", "d": "2026-11-15", "l": "2026-11-14"})
    answer = click_details(bot, {"ts": "", "text": ""}, value)
    assert "I don't know the seller `Nobody &lt;!here&gt;`" in answer["text"]
    assert "<!here>" not in json.dumps(answer)


def test_full_and_details_in_help_and_usage(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi help").reply)
    assert "[seller:&lt;name or id&gt;] [full]`" in shown
    assert "*Details* under it, or `full` after the period (`/kpi today full`)" in shown
    assert "GMV, Orders, AOV, LIVE share, LIVE engagement, Seller adoption" in shown
    refused = bot.say("/kpi today fulll").text
    assert "I don't know `fulll`" in refused and "[full]" in refused


DEMO_TODAY = D(2026, 12, 7)  # a Monday: Sunday's data is the newest


@pytest.mark.parametrize(
    ("typed", "full_screens"),
    # The headlines take 0.72, 0.80, 0.80, 0.76 and 0.80 screens with the affiliate and
    # video shares (0.08 more than without); the full tables grew by their four figures and
    # the three lines that name the figures' source.
    [
        ("today", 3.84),
        ("week", 3.00),
        ("month", 3.48),
        ("today category:Home & Living", 3.36),
        ("today seller:Café & Co. Casa", 2.24),  # no adoption, top sellers or movers of one
    ],
)
def test_common_answers_fit_a_phone_screen_on_the_demo_data(
    bot: OfflineBot, seed_demo_copy: Callable[..., object], typed: str, full_screens: float
) -> None:
    """The headline of each common question fits one phone screen (42 characters by 25
    lines); the full table it replaces took `full_screens` and still does, behind Details."""
    seed_demo_copy(team_id=bot.sandbox.team_id, today=DEMO_TODAY)
    bot.services.clock = lambda: datetime(2026, 12, 7, 9, tzinfo=UTC)
    headline = bot.say(f"/kpi {typed}")
    assert "*GMV*" in markup(headline.reply)
    assert headline.phone_screens <= 1.0
    full = bot.say(f"/kpi {typed} full")
    assert full.phone_screens == pytest.approx(full_screens, abs=0.05)
