"""Benchmark: /match, /match pipeline and /creator levels with 20,000 creators (a year of
monthly performance snapshots each) and 5,000 sellers, over signed HTTP; and a 20,000-row
creator file imported.

    .venv/bin/python bench/match.py [--requests 200] [--scale 1.0] [--postgres ADMIN_URL]
                                    [--short] [--json]

The data is bulk inserted; then the real app answers through the Slack sandbox. Each command's
p50/p99 is printed beside two floors measured in the same run: a bare Bolt app answering the
same signed command through the same HTTP server, and the bare SQL of the command's main read
(the latest snapshots of a category; a person's pipeline; the month's level changes); `ratio`
is p50 over the sum of the two floors' p50. The import is printed beside pandas reading the
same file. Targets (issue 14): /match either way ≤ 200 ms p99, /match pipeline ≤ 150 ms p99,
/creator levels ≤ 300 ms p99, the 20,000-row import ≤ 10 s. `--short` (scale 0.05: 1,000
creators, 250 sellers; 60 requests) runs in seconds; `--json` ends the output with the figures
for bench/run.py's table, each p99 beside the sum of the two floors' p99.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from figures import Figure, emit, json_option  # bench/figures.py, beside this file
from foundation import bare_bolt, percentile, timed  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from app import build_app
from bot.server import freeze_startup_objects
from bot.settings import load_settings
from devkit.offline import OfflineBot
from storage.creators.models import Creator, CreatorLevelChange
from storage.db import make_engine
from storage.feedback.models import FeedbackNote
from storage.importers import ImportOptions, importer_for
from storage.kpis.models import DailySellerKpi, WeeklySellerKpi
from storage.matchmaking.models import Collaboration, CreatorPerformance, Outreach
from storage.names import match_key
from storage.schema import upgrade
from storage.sellers.models import Seller

TEAM = "TBENCH"
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
CATEGORIES = [
    "Kitchenware",
    "Home Décor",
    "Bedding",
    "Bath",
    "Storage & Organisation",
    "Personal Care",
    "Beauty",
    "Pet Supplies",
]
OWNERS = [f"U0BENCH{n:02d}" for n in range(12)]
IMPORT_LIMIT_S = 10.0
MONTHS = [date(2025 + (11 + i) // 12, (11 + i) % 12 + 1, 1) for i in range(12)]  # Dec 2025…Nov 2026


def _chunked(connection: object, model: type, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 20_000):
        connection.execute(insert(model), rows[start : start + 20_000])  # type: ignore[attr-defined]


def _figures(rng: random.Random, level: int) -> dict[str, object]:
    content = rng.choice(("live", "video", "live,video"))
    gmv = rng.randint(100, 60_000) * 100 * (level + 1)
    shipped = rng.randint(0, 12)
    return {
        "gmv_cents": gmv,
        "orders": max(1, gmv // rng.choice((1_500, 2_500, 4_000))),
        "items_sold": max(1, gmv // 1_800),
        "live_gpm_cents": rng.randint(300, 9_000) if "live" in content else None,
        "video_gpm_cents": rng.randint(100, 4_000) if "video" in content else None,
        "engagement_rate": round(rng.uniform(0.002, 0.12), 4),
        "followers": rng.randint(1_000, 3_000_000),
        "samples_shipped": shipped,
        "posts_after_samples": rng.randint(0, shipped),
        "response_rate": round(rng.uniform(0.3, 1.0), 2),
        "content_types": content,
    }


def seed(engine: Engine, rng: random.Random, creators: int, sellers: int) -> float:
    """Bulk insert the workspace; the seconds it took."""
    started = time.perf_counter()
    with engine.begin() as connection:
        _chunked(
            connection,
            Seller,
            [
                {
                    "team_id": TEAM,
                    "number": n,
                    "seller_key": f"{7_000_000_000 + n}",
                    "name": f"Shop {n:04d} {CATEGORIES[n % 8].split()[0]}",
                    "name_key": match_key(f"Shop {n:04d} {CATEGORIES[n % 8].split()[0]}"),
                    "category": CATEGORIES[n % 8],
                    "categories": [CATEGORIES[n % 8]],
                    "status": "active",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for n in range(sellers)
            ],
        )
        seller_ids = list(
            connection.execute(select(Seller.id).where(Seller.team_id == TEAM)).scalars()
        )
        weeks = [TODAY - timedelta(days=TODAY.weekday() + 7 * w) for w in range(1, 13)]
        _chunked(
            connection,
            WeeklySellerKpi,
            [
                {
                    "team_id": TEAM,
                    "week": week,
                    "category": CATEGORIES[i % 8],
                    "seller_id": seller_id,
                    "gmv_cents": rng.randint(10_000, 5_000_000),
                    "orders": rng.randint(10, 2_000),
                }
                for i, seller_id in enumerate(seller_ids)
                for week in weeks
            ],
        )
        _chunked(
            connection,
            DailySellerKpi,
            [
                {
                    "team_id": TEAM,
                    "day": TODAY - timedelta(days=d),
                    "seller_id": seller_id,
                    "category": CATEGORIES[i % 8],
                    "gmv_cents": 100_000,
                    "live_gmv_cents": rng.randint(0, 100_000),
                    "orders": 10,
                    "updated_at": NOW,
                }
                for i, seller_id in enumerate(seller_ids)
                for d in range(1, 15)
            ],
        )
        levels = [rng.randint(0, 8) for _ in range(creators)]
        _chunked(
            connection,
            Creator,
            [
                {
                    "team_id": TEAM,
                    "handle": f"creator{n:05d}",
                    "display_name": f"Creator {n}",
                    "name_key": f"creator {n}",
                    "level": levels[n],
                    "stage": "active" if n % 3 else "prospect",
                    "owner_user_id": OWNERS[n % 12] if n % 3 else None,
                    "categories": rng.sample(CATEGORIES, k=rng.choice((1, 1, 2))),
                    "tags": [],
                    "created_at": NOW - timedelta(days=400),
                    "updated_at": NOW,
                }
                for n in range(creators)
            ],
        )
        rows = connection.execute(
            select(Creator.id, Creator.categories, Creator.level).where(Creator.team_id == TEAM)
        ).all()
        snapshots = []
        for creator_id, categories, level in rows:
            for month in MONTHS:
                snapshots.append(
                    {"team_id": TEAM, "creator_id": creator_id, "as_of": month,
                     "category": "", "category_key": "", "latest": month == MONTHS[-1],
                     **_figures(rng, level)}
                )  # fmt: skip
            for category in categories:
                snapshots.append(
                    {"team_id": TEAM, "creator_id": creator_id, "as_of": MONTHS[-1],
                     "category": category, "category_key": match_key(category), "latest": True,
                     **_figures(rng, level)}
                )  # fmt: skip
        _chunked(connection, CreatorPerformance, snapshots)
        ids = [r[0] for r in rows]
        _chunked(
            connection,
            CreatorLevelChange,
            [
                {"team_id": TEAM, "creator_id": cid, "level": rng.randint(0, 8),
                 "previous_level": rng.randint(0, 8), "effective_on": rng.choice(MONTHS),
                 "source": "bench", "recorded_at": NOW}
                for cid in ids
                for _ in range(2)
            ],
        )  # fmt: skip
        _chunked(
            connection,
            FeedbackNote,
            [
                {"team_id": TEAM, "creator_id": rng.choice(ids),
                 "author_user_id": rng.choice(OWNERS), "text": "bench note",
                 "sentiment": rng.choice(("positive", "neutral", "negative")),
                 "tags": [], "created_at": NOW - timedelta(days=rng.randint(0, 200)),
                 "updated_at": NOW}
                for _ in range(creators)
            ],
        )  # fmt: skip
        pairs = {(rng.choice(ids), rng.choice(seller_ids)) for _ in range(creators // 2)}
        _chunked(
            connection,
            Collaboration,
            [{"team_id": TEAM, "creator_id": c, "seller_id": s} for c, s in pairs],
        )
        outreach = {
            (rng.choice(ids), rng.choice(seller_ids)) for _ in range(creators // 10)
        } - pairs
        _chunked(
            connection,
            Outreach,
            [
                {"team_id": TEAM, "creator_id": c, "seller_id": s,
                 "stage": rng.choice(("contacted", "sample sent", "content posted", "selling")),
                 "owner_user_id": rng.choice(OWNERS),
                 "stage_since": NOW - timedelta(days=rng.randint(0, 40)),
                 "follow_up_on": TODAY + timedelta(days=rng.randint(-30, 14)),
                 "created_at": NOW, "updated_at": NOW}
                for c, s in outreach
            ],
        )  # fmt: skip
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def creator_file(rows: int, rng: random.Random) -> bytes:
    """An Affiliate Center export with the performance columns, `rows` creators."""
    lines = [
        "Creator name,Creator username,GMV,Orders,Videos,Samples shipped,Est. commission,"
        "Followers,Level,Items sold,LIVE GPM,Video GPM,Engagement rate,Posts after samples,"
        "Response rate,Content type,Date"
    ]
    for n in range(rows):
        shipped = rng.randint(0, 12)
        lines.append(
            f'Creator {n},newcreator{n:05d},"${rng.randint(0, 90_000):,}.{rng.randint(0, 99):02d}",'
            f"{rng.randint(0, 900)},{rng.randint(0, 60)},{shipped},${rng.randint(0, 900)}.00,"
            f"{rng.randint(1, 900)}.{rng.randint(0, 9)}K,L{rng.randint(0, 8)},"
            f"{rng.randint(0, 2_000)},${rng.randint(1, 90)}.{rng.randint(0, 99):02d},"
            f"${rng.randint(1, 40)}.00,{rng.uniform(0.1, 12):.1f}%,{rng.randint(0, shipped)},"
            f'{rng.randint(30, 100)}%,"{rng.choice(("LIVE", "Video", "LIVE, video"))}",2026-11-01'
        )
    return ("\n".join(lines) + "\n").encode()


def report(label: str, samples: list[float], bolt: float, sql: float, target: int) -> None:
    p50, p99 = statistics.median(samples), percentile(samples, 99)
    met = "met" if p99 <= target else "MISSED"
    print(
        f"{label:<30} {len(samples):>5} {p50:>7.1f} {percentile(samples, 95):>7.1f} "
        f"{p99:>7.1f} {sql:>7.2f} {bolt:>8.2f} {p50 / (bolt + sql):>5.1f}×  ≤ {target} p99: {met}"
    )


def run(url: str, requests: int, scale: float) -> list[Figure]:
    creators, sellers = round(20_000 * scale), round(5_000 * scale)
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(20261130)
    load = seed(engine, rng, creators, sellers)
    settings = load_settings(
        {"DATABASE_URL": url, "SHOPBOT_TIMEZONE": "UTC"}, env_file=None, require_slack=False
    )
    print(
        f"database: {engine.dialect.name}; {creators:,} creators × {len(MONTHS)} monthly "
        f"snapshots, {sellers:,} sellers, bulk inserted in {load:.1f} s"
    )
    print(
        f"{'command':<30} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'SQL p50':>7} "
        f"{'Bolt p50':>8} {'ratio':>6}  target"
    )
    shop_names = [
        f"Shop {n:04d} {CATEGORIES[n % 8].split()[0]}" for n in rng.sample(range(sellers), 50)
    ]
    handles = [f"@creator{n:05d}" for n in rng.sample(range(creators), 50)]

    def sql(statement: str, **params: object) -> Callable[[], object]:
        def read() -> object:
            with engine.connect() as connection:
                return connection.execute(text(statement), params).all()

        return read

    latest = sql(
        "SELECT * FROM creatorperformance WHERE team_id = :t AND category_key = :k AND latest",
        t=TEAM, k="kitchenware",
    )  # fmt: skip
    mine = sql(
        "SELECT * FROM outreach WHERE team_id = :t AND owner_user_id = :o", t=TEAM, o=OWNERS[0]
    )
    moves = sql(
        "SELECT * FROM creatorlevelchange WHERE team_id = :t AND effective_on >= :d",
        t=TEAM, d=TODAY.replace(day=1),
    )  # fmt: skip
    cases = [
        ("/match <seller>", [f"{name} 10" for name in shop_names], latest, 200),
        ("/match @handle", [f"{h} 10" for h in handles], latest, 200),
        ("/match pipeline mine", ["pipeline mine"], mine, 150),
        ("/match pipeline <seller>", [f"pipeline {n}" for n in shop_names], mine, 150),
        ("/creator levels", ["levels"], moves, 300),
    ]
    with (
        OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        bot.services.clock = lambda: NOW
        freeze_startup_objects()  # as `shopbot run` does before serving
        bolt_samples = timed(lambda: floor.slash_command("/match", "x"), requests)
        bolt = statistics.median(bolt_samples)
        figures = []
        for label, texts, read, target in cases:
            command = "/creator" if label.startswith("/creator") else "/match"

            def ask(command: str = command, texts: list[str] = texts) -> None:
                response = bot.client.slash_command(command, rng.choice(texts), user_id=OWNERS[0])
                assert response.status == 200 and "Sorry" not in response.body, response.body[:300]

            samples, sql_samples = timed(ask, requests, warm_up=10), timed(read, requests)
            report(label, samples, bolt, statistics.median(sql_samples), target)
            floor_p99 = percentile(sql_samples, 99) + percentile(bolt_samples, 99)
            figures.append(
                Figure(f"{label} p99", percentile(samples, 99), "ms", floor_p99,
                       "bare SQL + bare Bolt, p99", target, absolute=True)
            )  # fmt: skip
    data = creator_file(round(20_000 * scale), rng)
    t0 = time.perf_counter()
    pd.read_csv(io.BytesIO(data), dtype=str)
    floor_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = importer_for("creators")(
        engine, data, ImportOptions(team_id="TIMPORT", filename="creators.csv")
    )
    seconds = time.perf_counter() - t0
    met = "met" if seconds <= 10 else "MISSED"
    print(
        f"{'import ' + format(summary.rows, ',') + ' creators':<30} {1:>5} {seconds * 1000:>7.0f} "
        f"{'':>15} {floor_seconds * 1000:>7.0f} (pandas read) {seconds / floor_seconds:>5.0f}×  "
        f"≤ 10000: {met}"
    )
    figures.append(
        Figure(f"import {summary.rows:,} creators", seconds, "s", floor_seconds,
               "pandas read of the same file", IMPORT_LIMIT_S, absolute=True)
    )  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    if args.short:
        args.requests, args.scale = 60, 0.05
    with scratch_database(args.postgres) as url:
        figures = run(url, args.requests, args.scale)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
