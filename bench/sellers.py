"""Benchmark: /seller with 5,000 sellers, a year of KPIs, 50,000 LIVE sessions and 100,000
seller notes, over signed HTTP.

    .venv/bin/python bench/sellers.py [--sellers 5000] [--days 365] [--requests 200]
                                      [--notes 100000] [--postgres ADMIN_URL] [--short] [--json]

The registry (with contacts and programs) and the KPI sheet go through their importers (so the
sum tables are kept as in production); notes, reviews and creators are bulk inserted. Then the
real app answers through the Slack sandbox, side by side with two floors measured in the same
run: the bare SQL of the request's main read (for search, the same ranked full-text query for
the same words), and a bare Bolt app acknowledging the same signed
command behind the same HTTP server; `ratio` is p50 over the sum of the floors' p50.
Targets (issue 13): the card ≤ 150 ms p99, gaps for all categories ≤ 300 ms p99, search
≤ 100 ms p99 (in bench/run.py's table beside the sum of the floors' p99). `--short` (300 sellers
× 60 days, 5,000 notes, 60 requests) runs in seconds; `--json` ends the output with the figures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from figures import Figure, emit, json_option  # bench/figures.py, beside this file
from foundation import bare_bolt, percentile, timed  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from app import build_app
from bot.server import freeze_startup_objects
from bot.settings import load_settings
from devkit.demo.data import PRODUCTS
from devkit.demo.sellers import FIRST_NAMES, LAST_NAMES, NOTE_TAGS, NOTE_TEXTS
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import make_engine
from storage.importers import ImportOptions, importer_for
from storage.matchmaking.models import Collaboration
from storage.note_search import ranked_note_ids, search_words
from storage.reviews.models import LivestreamReview
from storage.reviews.scorecard import SCORECARD
from storage.schema import upgrade
from storage.sellers.models import Seller, SellerNote

TEAM = "TBENCH"
LAST_DAY = date(2026, 11, 29)
LIVE_SESSIONS = 50_000
CATEGORIES = ["Home & Living", "Personal Care", "Kitchenware", "Home Textiles", "Pet Supplies"]
OWNERS = [f"U0BENCH{n:02d}" for n in range(12)]
WORDS = [
    "Lena vouchers",
    "candle set stock",
    "commission Rossi",
    "samples weighted blanket",
    "LIVE sessions Tanaka",
    "keywords knife set",
]


def registry(sellers: int) -> bytes:
    rows = [
        {
            "shop id": f"749{n:010d}",
            "store name": f"Seller {n}",
            "categories": CATEGORIES[n % len(CATEGORIES)],
            "market": "DE",
            "tier": "ABC"[n % 3],
            "owner": OWNERS[n % len(OWNERS)],
            "status": "active",
            "contacts": f"Contact {n}, owner, c{n}@shop.example" if n % 7 else "",
            "programs": "live; affiliate" if n % 5 else "live",
            "tags": "bench",
        }
        for n in range(sellers)
    ]
    return pd.DataFrame(rows).to_csv(index=False).encode()


def kpi_sheet(sellers: int, days: int, path: Path) -> int:
    """sellers × days rows with about LIVE_SESSIONS sessions in all."""
    rng = np.random.default_rng(13)
    n = sellers * days
    day_list = [(LAST_DAY - timedelta(days=d)).isoformat() for d in range(days)][::-1]
    seller_ids = np.repeat(np.arange(sellers), days)
    orders = rng.integers(0, 60, n)
    gmv = orders * rng.integers(800, 6000, n)
    live = rng.random(n) < LIVE_SESSIONS / n
    views = live * rng.integers(100, 5000, n)
    frame = pd.DataFrame(
        {
            "date": np.tile(np.array(day_list), sellers),
            "seller_id": [f"749{i:010d}" for i in seller_ids],
            "seller_name": [f"Seller {i}" for i in seller_ids],
            "category": [CATEGORIES[i % len(CATEGORIES)] for i in seller_ids],
            "gmv": [f"{g // 100}.{g % 100:02d}" for g in gmv],
            "orders": orders,
            "items_sold": orders,
            "buyers": orders,
            "live_sessions": live.astype(int),
            "live_minutes": live * 75,
            "live_views": views,
            "live_likes": views // 10,
            "live_comments": views // 50,
            "live_shares": views // 200,
            "live_gmv": [f"{g // 300}.00" for g in gmv * live],
            "video_gmv": "0.00",
            "affiliate_gmv": [f"{g // 500}.00" for g in gmv * (seller_ids % 9 != 0)],
            "new_followers": 0,
        }
    )
    frame.to_csv(path, index=False)
    return int(live.sum())


def seed_rest(engine: Engine, rng: random.Random, notes: int) -> None:
    """Notes, reviews and creators in bulk."""
    now = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 18, tzinfo=UTC)
    contacts = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    products = [p for names in PRODUCTS.values() for p in names]
    with engine.begin() as connection:
        ids = list(connection.execute(select(Seller.id).where(Seller.team_id == TEAM)).scalars())
        for start in range(0, notes, 10_000):
            batch = []
            for _ in range(start, min(notes, start + 10_000)):
                written = now - timedelta(minutes=rng.randint(1, 365 * 24 * 60))
                batch.append(
                    {
                        "team_id": TEAM,
                        "seller_id": rng.choice(ids),
                        "author_user_id": rng.choice(OWNERS),
                        "text": rng.choice(NOTE_TEXTS).format(contact=rng.choice(contacts))
                        + f" ({rng.choice(products)})",
                        "tags": rng.sample(NOTE_TAGS, k=rng.randint(0, 2)),
                        "follow_up_on": written.date() + timedelta(days=7)
                        if rng.random() < 0.1
                        else None,
                        "created_at": written,
                        "updated_at": written,
                    }
                )
            connection.execute(insert(SellerNote), batch)
        connection.execute(
            insert(LivestreamReview),
            [
                {
                    "team_id": TEAM,
                    "seller_id": rng.choice(ids),
                    "stream_date": (day := LAST_DAY - timedelta(days=rng.randint(0, 120))),
                    "stream_started_at": datetime.combine(day, datetime.min.time()).replace(
                        hour=19
                    ),
                    "reviewer_user_id": OWNERS[0],
                    "host_name": "Host",
                    "improvement_tags": [],
                    **{f"score_{item}": rng.randint(1, 5) for item in SCORECARD},
                    "created_at": now,
                }
                for _ in range(5_000)
            ],
        )
        connection.execute(
            insert(Creator),
            [
                {
                    "team_id": TEAM,
                    "handle": f"creator{n:05d}",
                    "display_name": f"Creator {n}",
                    "stage": "active",
                    "categories": [],
                    "tags": [],
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(5_000)
            ],
        )
        creators = list(
            connection.execute(select(Creator.id).where(Creator.team_id == TEAM)).scalars()
        )
        pairs = {(rng.choice(creators), rng.choice(ids)) for _ in range(15_000)}
        connection.execute(
            insert(Collaboration),
            [{"team_id": TEAM, "creator_id": c, "seller_id": s} for c, s in pairs],
        )


def load(url: str, sellers: int, days: int, notes: int, work: Path) -> str:
    engine = make_engine(url)
    upgrade(engine)
    sheet = work / "kpi.csv"
    sessions = kpi_sheet(sellers, days, sheet)
    options = ImportOptions(team_id=TEAM, filename="x.csv")
    timings = []
    for kind, data in (("sellers", registry(sellers)), ("kpi-sheet", sheet.read_bytes())):
        started = time.perf_counter()
        importer_for(kind)(engine, data, options)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    seed_rest(engine, random.Random(13), notes)
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: without statistics the planner reads
        # the notes through the seller index rather than the search index.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    timings.append(time.perf_counter() - started)
    engine.dispose()
    return (
        f"{sellers:,} sellers (import {timings[0]:.1f} s), {sellers * days:,} seller-days with "
        f"{sessions:,} LIVE sessions (import {timings[1]:.1f} s), {notes:,} seller notes, 5,000 "
        f"reviews and 15,000 collaborations (bulk {timings[2]:.1f} s)"
    )


def measure(url: str, sellers: int, requests: int) -> list[Figure]:
    engine = make_engine(url)
    settings = load_settings({"DATABASE_URL": url}, env_file=None, require_slack=False)
    noon = datetime(2026, 11, 30, 11, tzinfo=UTC)
    rng = random.Random(7)
    probe_days = ", ".join(
        f"'{LAST_DAY - timedelta(days=d)}'" for d in range(56)
    )  # the card's two 28-day windows, one index probe per day
    cases = [
        (
            "/seller <name>",
            [f"Seller {rng.randrange(sellers)}" for _ in range(100)],
            "SELECT day, gmv_cents, orders, live_sessions, live_views FROM dailysellerkpi "
            f"WHERE team_id = 'TBENCH' AND day IN ({probe_days}) AND seller_id = "
            "(SELECT id FROM seller WHERE team_id = 'TBENCH' AND name_key = 'seller 42')",
            150,
        ),
        (
            "/seller gaps",
            ["gaps"],
            "SELECT day, sellers, gmv_cents FROM dailycategorysellers WHERE team_id = 'TBENCH' "
            f"AND day BETWEEN '{LAST_DAY - timedelta(days=29)}' AND '{LAST_DAY}'",
            300,
        ),
        (
            "/seller search <words>",
            [f"search {w}" for w in WORDS],
            None,
            100,
        ),
    ]
    print(
        f"{'request':<24} {'n':>4} {'p50 ms':>7} {'p99 ms':>7} {'SQL p50':>8} {'Bolt p50':>8} "
        f"{'ratio':>6}  target"
    )
    figures = []
    with (
        OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        bot.services.clock = lambda: noon
        freeze_startup_objects()  # as `shopbot run` does before serving
        for label, texts, sql, target in cases:
            turn = iter(range(10**9))

            def ask(texts: list[str] = texts, turn: Iterator[int] = turn) -> None:
                words = texts[next(turn) % len(texts)]
                response = bot.client.slash_command("/seller", words)
                assert response.status == 200 and ":warning:" not in response.body, response.body[
                    :300
                ]

            def bolt() -> None:
                response = floor.slash_command("/seller", "gaps")
                assert response.status == 200 and "ok" in response.body, response.body

            def bare(sql: str | None = sql, turn: Iterator[int] = turn) -> None:
                with engine.connect() as connection:
                    if sql is not None:
                        connection.execute(text(sql)).all()
                        return
                    # Search: the app's own ranked query for the same words, in the same turn.
                    words = search_words(WORDS[next(turn) % len(WORDS)])
                    ranked_note_ids(connection, TEAM, words, 21, table="sellernote")

            http = timed(ask, requests, warm_up=5)
            raw = timed(bare, requests, warm_up=5)
            bolt_only = timed(bolt, requests, warm_up=5)
            p50, sql_p50, bolt_p50 = (statistics.median(x) for x in (http, raw, bolt_only))
            p99 = percentile(http, 99)
            floor_p99 = percentile(raw, 99) + percentile(bolt_only, 99)
            figures.append(
                Figure(f"{label} p99", p99, "ms", floor_p99, "bare SQL + bare Bolt, p99", target,
                       absolute=True)
            )  # fmt: skip
            met = "met" if p99 <= target else "MISSED"
            print(
                f"{label:<24} {requests:>4} {p50:>7.1f} {p99:>7.1f} {sql_p50:>8.1f} "
                f"{bolt_p50:>8.2f} {p50 / (bolt_p50 + sql_p50):>5.1f}×  ≤ {target} p99: {met}"
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sellers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    if args.short:
        args.sellers, args.days, args.notes, args.requests = 300, 60, 5_000, 60
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="shopbot-bench-") as work,
        scratch_database(args.postgres) as url,
    ):
        described = load(url, args.sellers, args.days, args.notes, Path(work))
        print(f"database: {url.split(':')[0]}; {described}")
        figures = measure(url, args.sellers, args.requests)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
