"""Benchmark: /feedback and /creator with 100,000 notes and 5,000 creators, over signed HTTP.

    .venv/bin/python bench/feedback.py [--requests 300] [--postgres ADMIN_URL] [--short] [--json]

SQLite runs on a temporary file; with --postgres (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a fresh database is created on that server
for the run and dropped afterwards (see bench/scratch.py).

The data is bulk inserted (the search index is kept up by the database, as in production), then
the real app answers through the Slack sandbox: the latency is what Slack would wait for, from
the signed request to the app's answer. The export is timed from the request to the moment the
workbook has been uploaded and the user told. Targets (issue 3): quick note ≤ 50 ms at p99,
search and the creator card ≤ 100 ms at p99, an export of 100,000 notes ≤ 10 s. Each latency
is printed beside its floor measured in the same run: a bare Bolt app answering the same signed
command through the same HTTP server; the export beside a bare write-only openpyxl workbook of
as many rows (bench/export_floor.py). `--short` (500 creators, 5,000 notes, 60 requests) runs in
seconds; `--json` ends the output with the figures for bench/run.py's table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from export_floor import bare_workbook_seconds, sample_notes  # bench/export_floor.py
from figures import Figure, emit, json_option, p99_figure  # bench/figures.py, beside this file
from foundation import bare_bolt, percentile  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from app import build_app
from bot.settings import load_settings
from devkit.demo.data import NOTE_TOPICS, PRODUCTS
from devkit.offline import OfflineBot
from devkit.sandbox import SlackRequestClient
from storage.creators.models import Creator
from storage.db import make_engine
from storage.feedback.models import FeedbackNote
from storage.schema import upgrade

TEAM = "TBENCH"
EXPORT_LIMIT_S = 10.0
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


def seed(engine: Engine, rng: random.Random, creators: int, notes: int) -> float:
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
                for n in range(creators)
            ],
        )
        ids = list(connection.execute(select(Creator.id).where(Creator.team_id == TEAM)).scalars())
        batch = []
        for _ in range(notes):
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


def timed(client: SlackRequestClient, command: str, texts: list[str], requests: int) -> list[float]:
    for text in texts[:20]:  # warm up connections and caches
        client.slash_command(command, text)
    samples = []
    for i in range(requests):
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        response = client.slash_command(command, text)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status == 200 and "Sorry" not in response.body, response.body[:300]
    return samples


def export_seconds(bot: OfflineBot, notes: int) -> tuple[float, int, int]:
    """Seconds from `/feedback export` to the user's answer, the workbook's size and its notes
    (the seeded ones and those the quick notes added)."""
    before = len(bot.sandbox.calls("response_url"))
    t0 = time.perf_counter()
    response = bot.client.slash_command("/feedback", "export")
    assert response.status == 200
    answer = bot.sandbox.wait_for("response_url", before + 1, timeout=120)[-1]
    seconds = time.perf_counter() - t0
    sent = int(answer.params["text"].removeprefix("Sent you ").split()[0].replace(",", ""))
    assert sent >= notes, answer.params
    [upload] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".xlsx")]
    return seconds, upload.length, sent


def run(url: str, requests: int, creators: int, notes: int) -> list[Figure]:
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(20261203)
    load = seed(engine, rng, creators, notes)
    settings = load_settings(
        {"DATABASE_URL": url, "SHOPBOT_TIMEZONE": "Europe/Berlin"},
        env_file=None,
        require_slack=False,
    )
    print(
        f"database: {engine.dialect.name}; {creators:,} creators and {notes:,} notes "
        f"bulk inserted in {load:.1f} s"
    )
    print(
        f"{'command':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'target':>10} "
        f"{'Bolt p99':>8}"
    )
    handles = [f"@creator{rng.randrange(creators):05d}" for _ in range(200)]
    cases = [
        ("/feedback @handle <note> #tag", "/feedback",
         [f"{h} asked for a second sample of the lamp #samples" for h in handles], 50),
        ("/feedback search <words>", "/feedback", [f"search {w}" for w in SEARCHES], 100),
        ("/creator @handle", "/creator", handles, 100),
    ]  # fmt: skip
    figures = []
    with (
        OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        bot.sandbox.add_user("U0MARIA", "maria", "Maria Lopez")
        for label, command, texts, target in cases:
            samples = timed(bot.client, command, texts, requests)
            bare = timed(floor, command, texts, requests)
            figures.append(p99_figure(label, samples, bare, "bare Bolt, same command", target))
            print(
                f"{label:<34} {len(samples):>5} {statistics.median(samples):>8.1f} "
                f"{percentile(samples, 95):>8.1f} {percentile(samples, 99):>8.1f} "
                f"{'≤ ' + str(target) + ' p99':>10} {percentile(bare, 99):>8.1f}"
            )
        seconds, size, sent = export_seconds(bot, notes)
        bare_write = bare_workbook_seconds(sample_notes(sent))
        label = f"/feedback export ({sent:,} notes)"
        print(f"{label:<34} {1:>5} {seconds * 1000:>8.0f}{'':>18} {'≤ 10000':>10} "
              f"{bare_write * 1000:>8.0f}  ({size / 1e6:.1f} MB; floor: bare write)")  # fmt: skip
        figures.append(
            Figure(label, seconds, "s", bare_write, "bare write-only openpyxl, as many rows",
                   EXPORT_LIMIT_S, absolute=True)
        )  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--creators", type=int, default=5_000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    if args.short:
        args.requests, args.creators, args.notes = 60, 500, 5_000
    with scratch_database(args.postgres) as url:
        figures = run(url, args.requests, args.creators, args.notes)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
