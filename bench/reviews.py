"""Benchmark: livestream reviews with 5,000 sellers, 50,000 LIVE sessions and 10,000 reviews.

    .venv/bin/python bench/reviews.py [--requests 300] [--postgres ADMIN_URL] [--short] [--json]

SQLite runs on a temporary file; with --postgres (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a fresh database is created on that server
for the run and dropped afterwards (see bench/scratch.py).

The data is bulk inserted, then the real app answers signed requests through the Slack sandbox.
Each figure is printed beside a floor measured in the same run, and the ratio:
- `/review` (the form opens, views.open included), `/review list`, `/review show <n>`: latency
  from the signed request to the app's answer; floor: a bare Bolt app acknowledging the same
  signed command through the same HTTP server. Target ≤ 150 ms at p99.
- `/review show <n>`'s database work alone against bare SQL reading the review by id.
- `/review report month`: from the request to the report's post (chart uploaded); floor: the
  bare SQL that reads the month's reviews. Target ≤ 1.5 s.
- a 10,000-row tracker import (`shopbot import FILE --kind reviews`); floor: pandas reading the
  same CSV. Target ≤ 5 s.

`--short` (500 sellers, 5,000 sessions, 1,000 reviews, a 1,000-row tracker, 60 requests) runs in
seconds; `--json` ends the output with the figures for bench/run.py's table.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pandas as pd
from figures import Figure, emit, json_option, p99_figure  # bench/figures.py, beside this file
from foundation import bare_bolt, percentile, timed  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from app import build_app
from bot.imports.run import import_file
from bot.settings import load_settings
from devkit.offline import OfflineBot
from storage.db import make_engine
from storage.importers import ImportOptions
from storage.reviews.live_sessions import SESSION_FIGURES
from storage.reviews.models import LiveSession, LivestreamReview
from storage.reviews.records import get_live_review
from storage.reviews.scorecard import CRITERIA, IMPROVEMENT_TAGS, SCORECARD
from storage.schema import upgrade
from storage.sellers.models import Seller

TEAM = "TBENCH"
CATEGORIES = ("Home & Living", "Personal Care", "Kitchenware", "Pet Supplies", "Beauty Tools")
REVIEWERS = [f"U0BENCH{n:02d}" for n in range(8)]
TODAY = date(2026, 11, 30)
DAYS = 365
LIST_LIMIT_MS = 150.0
REPORT_LIMIT_MS = 1500.0
IMPORT_LIMIT_MS = 5000.0


@dataclass(frozen=True)
class Size:
    sellers: int
    sessions: int
    reviews: int
    tracker_rows: int


FULL = Size(sellers=5_000, sessions=50_000, reviews=10_000, tracker_rows=10_000)
SHORT = Size(sellers=500, sessions=5_000, reviews=1_000, tracker_rows=1_000)


def seed(engine: Engine, rng: random.Random, size: Size) -> float:
    """Sellers, their LIVE sessions over a year, and reviews of a fifth of the sessions."""
    started = time.perf_counter()
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Seller),
            [
                {
                    "team_id": TEAM,
                    "number": n,
                    "seller_key": f"7000{n:06d}",
                    "name": f"Bench Seller {n:04d}",
                    "name_key": f"bench seller {n:04d}",
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "categories": [CATEGORIES[n % len(CATEGORIES)]],
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(size.sellers)
            ],
        )
        statement = select(Seller.id).where(Seller.team_id == TEAM)
        sellers = list(connection.execute(statement).scalars())
        sessions = []
        for n in range(size.sessions):
            views = rng.randint(500, 50_000)
            sessions.append(
                {
                    "team_id": TEAM,
                    "seller_id": sellers[n % size.sellers],
                    "started_at": datetime.combine(
                        TODAY - timedelta(days=1 + (n // size.sellers) * 36 + rng.randint(0, 30)),
                        datetime.min.time(),
                    ).replace(hour=rng.choice((11, 18, 19, 20))),
                    "host_name": "own host",
                    "duration_minutes": rng.randint(40, 150),
                    "views": views,
                    "peak_viewers": views // 20,
                    "avg_view_seconds": rng.randint(30, 120),
                    "gmv_cents": views * rng.randint(5, 40),
                    "orders": views // 300,
                    "comments": views // 90,
                    "new_followers": views // 400,
                    "product_clicks": views // 20,
                }
            )
        for start in range(0, size.sessions, 10_000):
            connection.execute(insert(LiveSession), sessions[start : start + 10_000])
        picked = rng.sample(
            list(connection.execute(select(LiveSession).where(LiveSession.team_id == TEAM))),
            size.reviews,
        )
        reviews = [
            {
                "team_id": TEAM,
                "seller_id": s.seller_id,
                "host_name": "own host",
                "stream_url": f"https://www.tiktok.com/live/{s.id}",
                "stream_date": s.started_at.date(),
                "stream_started_at": s.started_at,
                "live_session_id": s.id,
                "reviewer_user_id": rng.choice(REVIEWERS),
                **{f"score_{key}": rng.randint(1, 5) for key in SCORECARD},
                "strengths": "Good close-ups and a clear price.",
                "improvements": "Open with the offer.",
                "improvement_tags": rng.sample(list(IMPROVEMENT_TAGS), 2),
                "best_practice": "At 12:40 the voucher is pinned" if rng.random() < 0.1 else None,
                **{name: getattr(s, name) for name in SESSION_FIGURES},
                "created_at": now,
            }
            for s in picked
        ]
        connection.execute(insert(LivestreamReview), reviews)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    return time.perf_counter() - started


def tracker_csv(rng: random.Random, size: Size) -> bytes:
    """A tracker as a team keeps it (10,000 rows at full size): one stream per row, criteria
    as columns."""
    header = ["Date", "Start time", "Seller", "Reviewer", *(c.label for c in CRITERIA)]
    header += ["Strengths", "Improvements", "Tags", "Views", "GMV"]
    lines = []
    for n in range(size.tracker_rows):
        day = TODAY - timedelta(days=400 + n % 300)  # before the seeded reviews
        lines.append(
            [
                day.isoformat(),
                f"{10 + n % 12}:{n % 60:02d}",
                f"Bench Seller {n % size.sellers:04d}",
                REVIEWERS[n % len(REVIEWERS)],
                *(str(rng.randint(1, 5)) for _ in CRITERIA),
                "Clear price",
                "Slow start",
                "#hook #audio",
                str(rng.randint(500, 50_000)),
                f"{rng.randint(10, 5000)}.{rng.randint(0, 99):02d}",
            ]
        )
    frame = pd.DataFrame(lines, columns=header)
    return frame.to_csv(index=False).encode()


def row(label: str, samples: list[float], floor: list[float], target: str) -> None:
    p50, floor_p50 = statistics.median(samples), statistics.median(floor)
    print(
        f"{label:<30} {len(samples):>5} {p50:>8.1f} {percentile(samples, 99):>8.1f} "
        f"{floor_p50:>9.2f} {percentile(floor, 99):>9.2f} {p50 / floor_p50:>7.1f}×  {target}"
    )


def run(url: str, requests: int, size: Size) -> list[Figure]:
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(20261130)
    load = seed(engine, rng, size)
    settings = load_settings(
        {"DATABASE_URL": url, "SHOPBOT_TIMEZONE": "Europe/Berlin"},
        env_file=None,
        require_slack=False,
    )
    print(
        f"database: {engine.dialect.name}; {size.sellers:,} sellers, {size.sessions:,} LIVE "
        f"sessions and {size.reviews:,} reviews bulk inserted in {load:.1f} s"
    )
    print(
        f"{'what':<30} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'floor p50':>9} {'floor p99':>9} "
        f"{'ratio':>8}  target"
    )
    first_id = min(get_ids(engine))
    numbers = [first_id + rng.randrange(size.reviews) for _ in range(200)]
    sellers = [f"Bench Seller {rng.randrange(size.sellers):04d}" for _ in range(200)]
    cases = [
        ("/review (form opens)", [""]),
        ("/review list", ["list"]),
        ("/review list <seller>", [f"list {s}" for s in sellers]),
        ("/review show <n>", [f"show {n}" for n in numbers]),
    ]
    figures = []
    with (
        OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        # The app's today is the data's, so `month` names the month the reviews were made in.
        bot.services.clock = lambda: datetime.combine(TODAY, datetime.min.time(), UTC)
        for label, texts in cases:
            positions = count()

            def ask(texts: list[str] = texts, position: Iterator[int] = positions) -> None:
                response = bot.client.slash_command("/review", texts[next(position) % len(texts)])
                assert response.status == 200 and "Sorry" not in response.body, response.body

            def bare() -> None:
                response = floor.slash_command("/review", "list")
                assert response.status == 200, response.body

            samples, bare_samples = timed(ask, requests), timed(bare, requests)
            row(label, samples, bare_samples, "≤ 150 p99")
            figures.append(
                p99_figure(label, samples, bare_samples, "bare Bolt, same command", LIST_LIMIT_MS)
            )

        ids = iter(numbers * 10)
        work = timed(lambda: bot.client.slash_command("/review", f"show {next(ids)}"), 100)
        sql_ids = iter(numbers * 10)
        bare_sql = timed(lambda: get_live_review(engine, TEAM, next(sql_ids)), 100)
        row("/review show vs bare SQL by id", work, bare_sql, "")
        figures.append(
            Figure("/review show p50", statistics.median(work), "ms",
                   statistics.median(bare_sql), "bare SQL, the review by id")
        )  # fmt: skip

        report, month_sql = [], []
        for _ in range(5):
            before = len(bot.sandbox.calls("response_url"))
            started = time.perf_counter()
            response = bot.client.slash_command("/review", "report month")
            assert response.status == 200
            answer = bot.sandbox.wait_for("response_url", before + 1, timeout=60)[-1]
            report.append((time.perf_counter() - started) * 1000)
            assert "streams reviewed" in answer.params["text"], answer.params["text"][:300]
            started = time.perf_counter()
            with engine.connect() as connection:
                connection.execute(
                    select(LivestreamReview).where(
                        LivestreamReview.team_id == TEAM,
                        LivestreamReview.stream_date >= TODAY.replace(day=1),  # type: ignore[operator]
                        LivestreamReview.stream_date < TODAY,  # type: ignore[operator]
                    )
                ).all()
            month_sql.append((time.perf_counter() - started) * 1000)
        row("/review report month", report, month_sql, "≤ 1500")
        figures.append(
            Figure("/review report month p50", statistics.median(report), "ms",
                   statistics.median(month_sql), "bare SQL, the month's reviews", REPORT_LIMIT_MS,
                   absolute=True)
        )  # fmt: skip

    data = tracker_csv(rng, size)
    started = time.perf_counter()
    pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    floor_ms = (time.perf_counter() - started) * 1000
    options = ImportOptions(team_id=TEAM, filename="tracker.csv", user_id="U0BENCH00")
    started = time.perf_counter()
    summary = import_file(engine, settings, data, options, kind="reviews")
    import_ms = (time.perf_counter() - started) * 1000
    assert summary.new == size.tracker_rows, summary
    label = f"import {size.tracker_rows:,}-row tracker"
    row(label, [import_ms], [floor_ms], "≤ 5000")
    figures.append(
        Figure(label, import_ms, "ms", floor_ms, "pandas read of the same CSV", IMPORT_LIMIT_MS,
               absolute=True)
    )  # fmt: skip
    return figures


def get_ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(LivestreamReview.id).where(LivestreamReview.team_id == TEAM)  # type: ignore[arg-type]
            ).scalars()
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    size, requests = (SHORT, 60) if args.short else (FULL, args.requests)
    with scratch_database(args.postgres) as url:
        figures = run(url, requests, size)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
