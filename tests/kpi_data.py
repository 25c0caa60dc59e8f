"""Generated KPI data for tests, an independent pandas computation of every figure, and the
check of a snapshot's top sellers and movers against the rows.

The reference works on the generated rows directly (never on the database), in the plainest
way: filter, sum, divide — so the engine's SQL and arithmetic are checked against it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from sqlalchemy.engine import Engine

from bot.shared.kpis.engine import Snapshot
from bot.shared.periods import Period
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, importer_for

COLUMNS = [
    "date",
    "seller_id",
    "seller_name",
    "category",
    "gmv",
    "orders",
    "items_sold",
    "buyers",
    "live_sessions",
    "live_minutes",
    "live_views",
    "live_likes",
    "live_comments",
    "live_shares",
    "live_gmv",
    "video_gmv",
    "affiliate_gmv",
    "new_followers",
]
FIRST_DAY = date(2026, 9, 1)
DAYS = 75
EMPTY_DAY = date(2026, 10, 4)  # nobody reported: no rows at all
CATEGORIES = ["Home & Living", "Personal Care", "Kitchenware"]


def generate(seed: int = 7, sellers: int = 14) -> pd.DataFrame:
    """Seller-days with zeros, new sellers, sellers that stop, and one empty day."""
    rng = random.Random(seed)
    rows = []
    for n in range(sellers):
        key, name = f"S{n:03d}", f"Seller {n:02d} {'Ünïcode ' if n == 3 else ''}Shop"
        category = CATEGORIES[n % len(CATEGORIES)]
        starts = FIRST_DAY + timedelta(days=rng.choice([0, 0, 0, 20, 40]))
        stops = FIRST_DAY + timedelta(days=rng.choice([DAYS, DAYS, DAYS, 50]))
        for offset in range(DAYS):
            day = FIRST_DAY + timedelta(days=offset)
            if day < starts or day >= stops or day == EMPTY_DAY:
                continue
            orders = rng.choice([0, rng.randint(1, 40)])
            gmv_cents = orders * rng.randint(500, 9000) + rng.randint(0, 99)
            sessions = rng.choice([0, 0, 1, 2])
            views = sessions * rng.randint(0, 5000)
            live_gmv = min(gmv_cents, sessions * rng.randint(0, 30000))
            rows.append(
                [
                    day.isoformat(),
                    key,
                    name,
                    category,
                    _money(gmv_cents),
                    orders,
                    orders + rng.randint(0, orders),
                    max(0, orders - rng.randint(0, 3)),
                    sessions,
                    sessions * rng.randint(20, 120),
                    views,
                    views // rng.randint(5, 20),
                    views // rng.randint(20, 90),
                    views // rng.randint(50, 200),
                    _money(live_gmv),
                    _money(rng.randint(0, gmv_cents)),
                    _money(rng.randint(0, gmv_cents)),
                    rng.randint(0, 50),
                ]
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def cents(values: pd.Series) -> int:
    """Money strings summed exactly (no floats): '12.05' → 1205."""
    return sum(int(v.replace(".", "")) for v in values)


def window(
    frame: pd.DataFrame,
    first: date,
    last: date,
    category: str | None = None,
    seller: str | None = None,
) -> pd.DataFrame:
    days = pd.to_datetime(frame["date"]).dt.date
    selected = frame[(days >= first) & (days <= last)]
    if category:
        selected = selected[selected["category"] == category]
    if seller:
        selected = selected[selected["seller_id"] == seller]
    return selected


def ratio(numerator: int, denominator: int, scale: int = 1) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) * scale / Decimal(denominator)


def reference(rows: pd.DataFrame, daily_average: bool = False) -> dict[str, Decimal | int | None]:
    """Every KPI over `rows`, computed from the raw cells."""
    if rows.empty:
        return dict.fromkeys(
            [
                "gmv",
                "orders",
                "items_sold",
                "aov",
                "buyers",
                "live_gmv",
                "live_share",
                "live_sessions",
                "live_engagement",
                "gpm",
                "affiliate_gmv",
                "affiliate_share",
                "video_gmv",
                "video_share",
                "adoption",
            ]
        )
    gmv, live_gmv = cents(rows["gmv"]), cents(rows["live_gmv"])
    affiliate_gmv, video_gmv = cents(rows["affiliate_gmv"]), cents(rows["video_gmv"])
    total = {
        c: int(rows[c].astype(int).sum())
        for c in [
            "orders",
            "items_sold",
            "buyers",
            "live_sessions",
            "live_views",
            "live_likes",
            "live_comments",
            "live_shares",
        ]
    }
    days = rows["date"].nunique()
    per_day = (lambda v: Decimal(v) / days) if daily_average else (lambda v: v)
    managed = rows["seller_id"].nunique()
    adopted = rows[rows["live_sessions"].astype(int) > 0]["seller_id"].nunique()
    engaged = total["live_likes"] + total["live_comments"] + total["live_shares"]
    return {
        "gmv": per_day(gmv),
        "orders": per_day(total["orders"]),
        "items_sold": per_day(total["items_sold"]),
        "aov": ratio(gmv, total["orders"]),
        "buyers": per_day(total["buyers"]),
        "live_gmv": per_day(live_gmv),
        "live_share": ratio(live_gmv, gmv),
        "live_sessions": per_day(total["live_sessions"]),
        "live_engagement": ratio(engaged, total["live_views"]),
        "gpm": ratio(live_gmv, total["live_views"], 1000),
        "affiliate_gmv": per_day(affiliate_gmv),
        "affiliate_share": ratio(affiliate_gmv, gmv),
        "video_gmv": per_day(video_gmv),
        "video_share": ratio(video_gmv, gmv),
        "adoption": ratio(adopted, managed),
    }


RATES = {
    "live_share",
    "live_engagement",
    "adoption",
    "affiliate_share",
    "video_share",
}  # changes in percentage points


def relative(current: Decimal | int | None, before: Decimal | int | None) -> Decimal | None:
    if current is None or before is None or before == 0:
        return None
    return (Decimal(current) - Decimal(before)) / abs(Decimal(before))


def expected_change(
    key: str, current: Decimal | int | None, before: Decimal | int | None
) -> Decimal | None:
    """A rate's change in points (as a fraction), anything else's relative change."""
    if key in RATES:
        return None if current is None or before is None else Decimal(current) - Decimal(before)
    return relative(current, before)


def mean_of_days(
    frame: pd.DataFrame,
    first: date,
    last: date,
    key: str,
    category: str | None = None,
    seller: str | None = None,
) -> Decimal | None:
    """The mean of a KPI's values on each day with data first..last, where it is defined."""
    rows = window(frame, first, last, category, seller)
    values = [reference(day_rows)[key] for _, day_rows in rows.groupby("date")]
    defined = [Decimal(v) for v in values if v is not None]
    return sum(defined, Decimal(0)) / len(defined) if defined else None


def check_sellers(
    snap: Snapshot, frame: pd.DataFrame, period: Period, category: str | None = None
) -> None:
    """Top sellers (GMV, orders) and movers (GMV change) as the rows say, ties by name."""
    current = window(frame, period.start, period.end, category)
    before = window(frame, period.previous().start, period.previous().end, category)
    assert not current.empty, "a period without data shows no sellers"
    now = {k: cents(g["gmv"]) for k, g in current.groupby("seller_id")}
    orders = {k: int(g["orders"].sum()) for k, g in current.groupby("seller_id")}
    then = {k: cents(g["gmv"]) for k, g in before.groupby("seller_id")}
    names = dict(zip(frame["seller_id"], frame["seller_name"], strict=False))
    top = sorted(
        ((names[k], v, orders[k]) for k, v in now.items() if v > 0), key=lambda x: (-x[1], x[0])
    )
    assert [(s.name, s.gmv_cents, s.orders) for s in snap.top_sellers] == top[:5]
    moves = {k: now.get(k, 0) - then.get(k, 0) for k in set(now) | set(then)}
    movers = sorted(
        ((names[k], d) for k, d in moves.items() if d), key=lambda x: (-abs(x[1]), x[0])
    )
    assert [(s.name, s.change_cents) for s in snap.movers] == movers[:5]


def with_outage(frame: pd.DataFrame, day: date, keep: float) -> pd.DataFrame:
    """The rows with every seller's GMV (and LIVE GMV) on `day` cut to `keep` of it."""
    frame = frame.copy()
    on_day = frame["date"] == day.isoformat()
    for column in ("gmv", "live_gmv"):
        cut = [int(Decimal(v) * 100 * Decimal(str(keep))) for v in frame.loc[on_day, column]]
        frame.loc[on_day, column] = [_money(c) for c in cut]
    return frame


def gmv_by_day(frame: pd.DataFrame) -> dict[date, int]:
    return {date.fromisoformat(d): cents(g["gmv"]) for d, g in frame.groupby("date")}


WEEKDAY_GMV = (1.0, 1.0, 1.05, 1.1, 1.2, 0.6, 0.8)  # Monday to Sunday: a quiet Saturday


def steady(frame: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """The sellers present on every day, with GMV that follows the weekday pattern within ±3%:
    data whose usual range per weekday is known, for judging unusual days."""
    rng = random.Random(seed)
    spans = frame.groupby("seller_id")["date"].agg(["min", "max"])
    whole = spans[(spans["min"] == FIRST_DAY.isoformat()) & (spans["max"] == spans["max"].max())]
    frame = frame[frame["seller_id"].isin(whole.index)].copy()
    base = {seller: rng.randint(20_000, 90_000) for seller in sorted(whole.index)}
    gmv = [
        int(base[s] * WEEKDAY_GMV[date.fromisoformat(d).weekday()] * rng.uniform(0.97, 1.03))
        for s, d in zip(frame["seller_id"], frame["date"], strict=True)
    ]
    live = [min(int(Decimal(v) * 100), g) for v, g in zip(frame["live_gmv"], gmv, strict=True)]
    frame["gmv"], frame["live_gmv"] = [_money(g) for g in gmv], [_money(v) for v in live]
    return frame


def load_sheet(bot: OfflineBot, engine: Engine, frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """`frame` imported as a KPI sheet into the sandbox's workspace, and the bot's clock at
    noon on `today`; returns the frame."""
    importer_for("kpi-sheet")(
        engine,
        to_csv(frame),
        ImportOptions(team_id=bot.sandbox.team_id, filename="kpi.csv"),
    )
    noon = datetime(today.year, today.month, today.day, 11, tzinfo=UTC)
    bot.services.clock = lambda: noon
    return frame
