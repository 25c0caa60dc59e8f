"""KPI data built for the alert tests: sellers whose GMV follows a weekly pattern (a quiet
Saturday) within ±3%, one big seller, and ways to plant a drop or leave a seller's day out;
and the checker the tests run (the scheduled check, as a replica would run it)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from bot.alerts.check import AlertChecker, CheckReport
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, importer_for
from tests.kpi_data import COLUMNS, WEEKDAY_GMV, to_csv

FIRST = date(2026, 8, 3)  # a Monday
WEEKS = 16
LAST = FIRST + timedelta(weeks=WEEKS) - timedelta(days=1)  # Sunday 22 Nov 2026
NO_LIVE: list[Any] = [0, 0, 0, 0, 0, 0, "0.00", "0.00", "0.00", 0]  # LIVE, video, followers
BIG = "Casa Grande"  # half the workspace's GMV, in Home & Living
SELLERS = [
    ("S00", BIG, "Home & Living", 500_000),
    *[
        (
            f"S{n:02d}",
            f"Seller {n:02d}",
            ["Home & Living", "Personal Care"][n % 2],
            40_000 + n * 3_000,
        )
        for n in range(1, 11)
    ],
]


def build(first: date = FIRST, last: date = LAST, seed: int = 5) -> pd.DataFrame:
    """One row per seller per day, GMV = base × weekday factor × (1 ± 3%)."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    day = first
    while day <= last:
        for key, name, category, base in SELLERS:
            gmv = int(base * WEEKDAY_GMV[day.weekday()] * rng.uniform(0.97, 1.03))
            orders = max(1, gmv // 2_500)
            rows.append(
                [
                    day.isoformat(),
                    key,
                    name,
                    category,
                    _money(gmv),
                    orders,
                    orders,
                    orders,
                    *NO_LIVE,
                ]
            )
        day += timedelta(days=1)
    return pd.DataFrame(rows, columns=COLUMNS)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def cut(frame: pd.DataFrame, day: date, seller: str | None, keep: float) -> pd.DataFrame:
    """The seller's GMV on `day` cut to `keep` of it (every seller's, for None)."""
    frame = frame.copy()
    at = frame["date"] == day.isoformat()
    if seller is not None:
        at &= frame["seller_name"] == seller
    cents = [round(float(v) * 100 * keep) for v in frame.loc[at, "gmv"]]
    frame.loc[at, "gmv"] = [_money(c) for c in cents]
    return frame


def without(frame: pd.DataFrame, day: date, seller: str) -> pd.DataFrame:
    """The rows, less the seller's row of `day` (its file is late)."""
    return frame[~((frame["date"] == day.isoformat()) & (frame["seller_name"] == seller))]


def only(frame: pd.DataFrame, day: date, seller: str | None = None) -> pd.DataFrame:
    at = frame["date"] == day.isoformat()
    if seller is not None:
        at &= frame["seller_name"] == seller
    return frame[at]


def load(engine: Engine, team_id: str, frame: pd.DataFrame) -> None:
    importer_for("kpi-sheet")(
        engine, to_csv(frame), ImportOptions(team_id=team_id, filename="kpi.csv")
    )


def morning_after(bot: OfflineBot, day: date) -> None:
    """The bot's clock at 09:00 UTC the day after `day` (day is then the latest full day)."""
    after = day + timedelta(days=1)
    moment = datetime(after.year, after.month, after.day, 9, tzinfo=UTC)
    bot.services.clock = lambda: moment


def checker(bot: OfflineBot, name: str = "replica-1") -> AlertChecker:
    return AlertChecker(bot.services, name=name)


def check(bot: OfflineBot, name: str = "replica-1") -> CheckReport:
    report = checker(bot, name).check()
    bot.settle()
    return report


def alert_posts(bot: OfflineBot, channel: str = "C0KPI") -> list[dict[str, Any]]:
    """The alerts the bot posted in the channel (not the charts in their threads)."""
    return [
        m
        for m in bot.sandbox.messages[channel]
        if ":rotating_light:" in str(m.get("text", "")) and not m.get("thread_ts")
    ]
