"""Benchmark: /feedback and /creator with 100,000 notes and 5,000 creators, over signed HTTP.

    .venv/bin/python bench/feedback.py [--requests 300] [--postgres ADMIN_URL]

SQLite runs on a temporary file; with --postgres (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a fresh database is created on that server
for the run and dropped afterwards (see bench/scratch.py).

The data is bulk inserted (the search index is kept up by the database, as in production), then
the real app answers through the Slack sandbox: the latency is what Slack would wait for, from
the signed request to the app's answer. The export is timed from the request to the moment the
workbook has been uploaded and the user told. Targets (issue 3): quick note ≤ 50 ms at p99,
search and the creator card ≤ 100 ms at p99, an export of 100,000 notes ≤ 10 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from foundation import percentile  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from bot.demo import NOTE_TOPICS, PRODUCTS
from bot.offline import OfflineBot
from bot.settings import load_settings
from storage.db import make_engine
from storage.models import Creator, FeedbackNote
from storage.schema import upgrade

TEAM = "TBENCH"
CREATORS = 5_000
NOTES = 100_000
AUTHORS = [f"U0BENCH{n:02d}" for n in range(12)]
SEARCHES = [
    "damaged",
    "sample posted",
    "commission too low",
    "arrived late",
    "payout calendar",
    "LIVE violation appeal",
    "size guide",
    "lamp",
]
SENTIMENTS = ("positive", "neutral", "negative")


def seed(engine: Engine, rng: random.Random) -> float:
    """Insert the creators and notes in bulk; the seconds it took."""
    started = time.perf_counter()
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    products = [p for names in PRODUCTS.values() for p in names]
    with engine.begin() as connection:
        connection.execute(
            insert(Creator),
            [
                {
                    "team_id": TEAM,
                    "handle": f"creator{n:05d}",
                    "display_name": f"Creator {n}",
                    "level": rng.randint(0, 8),
                    "stage": "active",
                    "owner_user_id": rng.choice(AUTHORS),
                    "categories": ["Home & Living"],
                    "tags": ["bench"],
                    "followers": rng.randint(1_000, 2_000_000),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(CREATORS)
            ],
        )
        ids = list(connection.execute(select(Creator.id).where(Creator.team_id == TEAM)).scalars())
        batch = []
        for _ in range(NOTES):
            topic = rng.choice(list(NOTE_TOPICS))
            sentiment = rng.choice(SENTIMENTS)
            template = NOTE_TOPICS[topic][1 + SENTIMENTS.index(sentiment)]
            text = template.format(
                seller="Casa Bonita",
                product=rng.choice(products),
                days=rng.randint(3, 21),
                rate=rng.choice((8, 10, 15)),
            )
            written = now - timedelta(minutes=rng.randint(1, 365 * 24 * 60))
            follow = written.date() + timedelta(days=7) if rng.random() < 0.15 else None
            batch.append(
                {
                    "team_id": TEAM,
                    "creator_id": rng.choice(ids),
                    "author_user_id": rng.choice(AUTHORS),
                    "text": text,
                    "topic": topic,
                    "sentiment": sentiment,
                    "tags": NOTE_TOPICS[topic][0].split()[:2],
                    "follow_up_on": follow,
                    "created_at": written,
                    "updated_at": written,
                }
            )
            if len(batch) == 10_000:
                connection.execute(insert(FeedbackNote), batch)
                batch = []
        if batch:
            connection.execute(insert(FeedbackNote), batch)
    return time.perf_counter() - started


def timed(bot: OfflineBot, command: str, texts: list[str], requests: int) -> list[float]:
    for text in texts[:20]:  # warm up connections and caches
        bot.client.slash_command(command, text)
    samples = []
    for i in range(requests):
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        response = bot.client.slash_command(command, text)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status == 200 and "Sorry" not in response.body, response.body[:300]
    return samples


def export_seconds(bot: OfflineBot) -> tuple[float, int]:
    """Seconds from `/feedback export` to the user's answer, and the workbook's size."""
    before = len(bot.sandbox.calls("response_url"))
    t0 = time.perf_counter()
    response = bot.client.slash_command("/feedback", "export")
    assert response.status == 200
    answer = bot.sandbox.wait_for("response_url", before + 1, timeout=120)[-1]
    seconds = time.perf_counter() - t0
    assert answer.params["text"].startswith("Sent you 10"), answer.params  # 100,000 and more
    [upload] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".xlsx")]
    return seconds, upload.length


def run(url: str, requests: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(20261203)
    load = seed(engine, rng)
    settings = load_settings(
        {"DATABASE_URL": url, "SHOPBOT_TIMEZONE": "Europe/Berlin"},
        env_file=None,
        require_slack=False,
    )
    print(
        f"database: {engine.dialect.name}; {CREATORS:,} creators and {NOTES:,} notes "
        f"bulk inserted in {load:.1f} s"
    )
    print(f"{'command':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'target':>10}")
    handles = [f"@creator{rng.randrange(CREATORS):05d}" for _ in range(200)]
    cases = [
        ("/feedback @handle <note> #tag", "/feedback",
         [f"{h} asked for a second sample of the lamp #samples" for h in handles], 50),
        ("/feedback search <words>", "/feedback", [f"search {w}" for w in SEARCHES], 100),
        ("/creator @handle", "/creator", handles, 100),
    ]  # fmt: skip
    with OfflineBot(settings, engine=engine, team_id=TEAM) as bot:
        bot.sandbox.add_user("U0MARIA", "maria", "Maria Lopez")
        for label, command, texts, target in cases:
            samples = timed(bot, command, texts, requests)
            print(
                f"{label:<34} {len(samples):>5} {statistics.median(samples):>8.1f} "
                f"{percentile(samples, 95):>8.1f} {percentile(samples, 99):>8.1f} "
                f"{'≤ ' + str(target) + ' p99':>10}"
            )
        seconds, size = export_seconds(bot)
        print(f"{'/feedback export (100,000 notes)':<34} {1:>5} {seconds * 1000:>8.0f}"
              f"{'':>18} {'≤ 10000':>10}  ({size / 1e6:.1f} MB workbook)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    args = parser.parse_args()
    with scratch_database(args.postgres) as url:
        run(url, args.requests)


if __name__ == "__main__":
    main()
