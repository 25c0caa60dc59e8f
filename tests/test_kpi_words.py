"""What a new user types, answered: the period words people already speak, and categories,
sellers and metrics named without a prefix, checked against the generated rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.kpi.scope import resolve_words, understand
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.errors import UserError
from storage.importers import ImportOptions, importer_for
from storage.sellers.registry import close_matches
from tests import kpi_data
from tests.feedback_support import answers
from tests.kpi_data import FIRST_DAY, reference, window
from tests.slack_support import markup

TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)  # Sun 15 Nov 2026; data up to the 14th
LATEST = TODAY - timedelta(days=1)
STYLE = NumberStyle("USD", "en_US")
NAMES = {"S005": "Sable Living", "S004": "Sable Tools", "S007": "Sol Table",
         "S010": "Küchenwelt GmbH", "S002": "Sable Clean"}  # fmt: skip


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """The generated sheet with a few sellers renamed, and the clock at noon on TODAY."""
    frame = kpi_data.generate()
    frame["seller_name"] = frame["seller_id"].map(NAMES).fillna(frame["seller_name"])
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def _gmv(rows: pd.DataFrame, first: date, last: date, **scope: str) -> str:
    return f"*GMV*  {STYLE.money(reference(window(rows, first, last, **scope))['gmv'])}"


@pytest.mark.parametrize(
    ("typed", "header", "first", "last"),
    [
        ("last 7 days", "last 7 days (08 Nov – 14 Nov 2026)", date(2026, 11, 8), LATEST),
        ("7d", "last 7 days (08 Nov – 14 Nov 2026)", date(2026, 11, 8), LATEST),
        ("past 30 days", "last 30 days (16 Oct – 14 Nov 2026)", date(2026, 10, 16), LATEST),
        ("oct", "October 2026 (01 Oct – 31 Oct 2026)", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026-10", "October 2026 (01 Oct – 31 Oct 2026)", date(2026, 10, 1), date(2026, 10, 31)),
        ("11/10", "Tue 10 Nov 2026", date(2026, 11, 10), date(2026, 11, 10)),
        ("2026-11-02 - 2026-11-08", "02 Nov – 08 Nov 2026", date(2026, 11, 2), date(2026, 11, 8)),
        ("sep to oct", "01 Sep – 31 Oct 2026", date(2026, 9, 1), date(2026, 10, 31)),
    ],
)
def test_periods_people_already_speak(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, header: str, first: date, last: date
) -> None:
    shown = markup(bot.say(f"/kpi {typed}").reply)
    assert f"KPIs · all sellers · {header}" in shown
    assert _gmv(rows, first, last) in shown


@pytest.mark.parametrize(
    ("typed", "label", "first"),
    [
        ("mtd", "month to date", date(2026, 11, 1)),
        ("nov", "November 2026", date(2026, 11, 1)),
        ("November", "November 2026", date(2026, 11, 1)),
        ("2026-11", "November 2026", date(2026, 11, 1)),
        ("ytd", "year to date", date(2026, 1, 1)),
    ],
)
def test_periods_to_date_run_up_to_the_data(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, label: str, first: date
) -> None:
    shown = markup(bot.say(f"/kpi {typed}").reply)
    assert f"KPIs · all sellers · {label} ({first:%d %b} – 1" in shown  # to the 14th or 15th
    assert _gmv(rows, first, TODAY) in shown  # nothing on the 15th yet


def test_a_day_written_as_the_team_writes_it(bot: OfflineBot, rows: pd.DataFrame) -> None:
    bot.services.settings = replace(bot.services.settings, locale="de_DE")
    shown = bot.say("/kpi 10/11").text
    assert "KPIS · ALL SELLERS · TUE 10 NOV 2026" in shown
    refused = bot.say("/kpi 11/25").text
    assert "not a date as de_DE writes them (D/M, such as `25/11`)" in refused
    assert "D/M" in refused.split("Try:")[1]


def test_a_bare_category(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi kitchenware").reply)
    assert f"KPIs · Kitchenware · latest complete day ({LATEST:%a %d %b %Y})" in shown
    assert _gmv(rows, LATEST, LATEST, category="Kitchenware") in shown


def test_a_bare_seller_and_period(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi sable living last week").reply)
    assert "KPIs · Sable Living · last week (02 Nov – 08 Nov 2026)" in shown
    assert _gmv(rows, date(2026, 11, 2), date(2026, 11, 8), seller="S005") in shown


@pytest.mark.parametrize(
    ("typed", "label"), [("gmv last week", "GMV"), ("aov last week", "AOV"),
                         ("last week live share", "LIVE share"), ("orders last week", "Orders")],
)  # fmt: skip
def test_a_bare_metric_leads_the_snapshot(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, label: str
) -> None:
    reply = bot.say(f"/kpi {typed} full").reply
    shown = markup(reply)
    assert "KPIs · all sellers · last week (02 Nov – 08 Nov 2026)" in shown
    [figures] = [b for b in reply["blocks"] if b.get("fields")][:1]
    assert figures["fields"][0]["text"].startswith(f"*{label}*  ")
    assert reply["text"].split(": ", 1)[1].startswith(f"{label} ")
    assert _gmv(rows, date(2026, 11, 2), date(2026, 11, 8)) in shown
    headline = bot.say(f"/kpi {typed}").reply
    [figures] = [b for b in headline["blocks"] if "*GMV*" in b.get("text", {}).get("text", "")]
    assert figures["text"]["text"].splitlines()[1].startswith(f"*{label}*  ")
    assert headline["text"].split(": ", 1)[1].startswith(f"{label} ")


def test_gmv_alone_is_today(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi gmv").reply)
    assert f"KPIs · all sellers · latest complete day ({LATEST:%a %d %b %Y})" in shown
    assert _gmv(rows, LATEST, LATEST) in shown


@pytest.mark.parametrize(
    ("typed", "title", "first"),
    [
        ("gmv 30d", "GMV · all sellers · last 30 days (16 Oct – 14 Nov 2026)", date(2026, 10, 16)),
        ("live share month", "LIVE share · all sellers · this month (01 Nov – 1", None),
        ("kitchenware live gmv last week", "LIVE GMV · Kitchenware · last week", None),
    ],
)
def test_charts_of_metric_words(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, title: str, first: date | None
) -> None:
    seen = bot.say(f"/kpi chart {typed}")
    assert seen.reply["text"].startswith(f"Posted {title}"), seen.reply["text"]
    [complete] = bot.sandbox.calls("files.completeUploadExternal")
    comment = complete.params["initial_comment"]
    if first is not None:
        total = kpi_data.cents(window(rows, first, LATEST)["gmv"])
        assert comment.endswith(f"total {STYLE.money(total)}"), comment


def test_chart_help_shows_the_metrics_and_periods(bot: OfflineBot, rows: pd.DataFrame) -> None:
    reply = bot.say("/kpi chart help").reply
    shown = markup(reply)
    assert "`/kpi chart [metric] [period] [category:&lt;name&gt;]`" in shown
    assert "`live_share` (or `live share` or `share`)" in shown
    assert "`Nd` (such as `7d`, `30d`" in shown
    assert "I can't chart" not in reply["text"]
    assert bot.sandbox.calls("files.getUploadURLExternal") == []


@pytest.mark.parametrize(
    ("typed", "says", "not_said"),
    [
        ("seller:sable", "`seller:Sable Living`", "Sol Table"),
        ("sable", "`seller:Sable Living`", "Sol Table"),
        ("seller:kuchenwelt", "Did you mean `seller:Küchenwelt GmbH`?", ""),
        ("kichenware yesterday", "Did you mean `category:Kitchenware`?", ""),
        ("yesterdy", "Did you mean `yesterday`?", ""),
        ("sable livng last week", "it is not a period, a category, a seller or a metric", ""),
    ],
)
def test_unknown_words_get_the_right_suggestions_first(
    bot: OfflineBot, rows: pd.DataFrame, typed: str, says: str, not_said: str
) -> None:
    reply = bot.say(f"/kpi {typed}").reply
    assert says in reply["text"]
    if not_said:
        assert not_said not in reply["text"]
    assert "Try: `/kpi [period]" in reply["text"]


def test_a_word_that_names_two_things_asks_which(
    bot: OfflineBot, rows: pd.DataFrame, engine: Engine
) -> None:
    sheet = (
        "date,seller_id,seller_name,category,gmv,orders\n2026-11-10,K1,Kitchenware,Pets,1.00,1\n"
    )
    importer_for("kpi-sheet")(
        engine, sheet.encode(), ImportOptions(team_id=bot.sandbox.team_id, filename="k.csv")
    )
    reply = bot.say("/kpi kitchenware").reply
    assert "is both a category and a seller" in reply["text"]
    assert "`category:Kitchenware` or `seller:Kitchenware`" in reply["text"]
    assert "KPIs · Kitchenware" in markup(bot.say("/kpi category:kitchenware").reply)


def test_a_name_that_looks_like_a_period_or_metric_is_still_found(
    bot: OfflineBot, engine: Engine
) -> None:
    sheet = (
        "date,seller_id,seller_name,category,gmv,orders\n"
        "2026-11-10,T1,Today Shop,Pets,1.00,1\n2026-11-10,L1,Live Shop,Pets,2.00,1\n"
    )
    importer_for("kpi-sheet")(
        engine, sheet.encode(), ImportOptions(team_id=bot.sandbox.team_id, filename="k.csv")
    )
    team = bot.sandbox.team_id
    assert resolve_words(engine, team, "live shop").seller is not None
    assert "KPIs · Today Shop · " in markup(bot.say("/kpi today shop").reply)
    assert "KPIs · Live Shop · Tue 10 Nov 2026" in markup(
        bot.say("/kpi live shop 2026-11-10").reply
    )
    with pytest.raises(UserError, match="Give one seller at most"):
        understand(engine, team, "live shop seller:Today Shop", TODAY)


def test_suggestions_rank_partial_and_accent_blind_names_first() -> None:
    names = ["Sol Table", "Vela Table", "Sable Tools", "Sable Clean", "Home Sable", "Sable Living"]
    found = close_matches(names, "sable")
    assert set(found) == {"Sable Tools", "Sable Clean", "Sable Living"}
    assert close_matches(names, "sable", limit=5)[3:] == ["Home Sable", "Sol Table"]
    assert close_matches(["Oak Garden", "Ökoladen Botanics"], "okoladen")[0] == "Ökoladen Botanics"
    assert close_matches(["Küchenwelt GmbH", "Kitchen World"], "KUCHENWELT")[0] == (
        "Küchenwelt GmbH"
    )
    assert close_matches(["Sable Living"], "SABLE LIVING") == []  # never the typed name


def test_feedback_takes_the_same_periods(bot: OfflineBot) -> None:
    bot.services.clock = lambda: datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    bot.client.slash_command("/feedback", "export last month")
    assert (
        answers(bot, 1)[-1]["text"] == "No notes since 2026-11-01, so there is nothing to export."
    )
    recent = bot.say("/feedback recent today").text
    assert "No notes in the last day." in recent
    bot.client.slash_command("/feedback", "report last month")
    assert "No notes in 1 Nov – 30 Nov 2026" in answers(bot, 2)[-1]["text"]
