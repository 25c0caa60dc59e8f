"""Benchmark: signed slash commands through the real HTTP stack, and the demo load.

    .venv/bin/python bench/foundation.py [--requests 500] [--postgres ADMIN_URL]

SQLite runs on a temporary file; with --postgres (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a fresh database is created on that server
for the run and dropped afterwards.

Prints a table of latencies (what Slack would wait for: the signed request until the app's
answer) for `/shopbot help` and `/shopbot status` on the demo data, the time to load the demo
data set, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from datetime import date

from scratch import scratch_database  # bench/scratch.py, beside this file

from bot.demo import DEMO_TEAM_ID, seed_demo
from bot.offline import OfflineBot
from bot.settings import load_settings
from storage.db import make_engine
from storage.schema import upgrade


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    args = parser.parse_args()
    with scratch_database(args.postgres) as url:
        run(url, args.requests)


def run(url: str, requests: int) -> None:
    engine = make_engine(url)
    upgrade(engine)

    started = time.perf_counter()
    summary = seed_demo(engine, team_id=DEMO_TEAM_ID, today=date(2026, 11, 22))
    load_seconds = time.perf_counter() - started
    settings = load_settings({"DATABASE_URL": url}, env_file=None, require_slack=False)

    print(f"database: {engine.dialect.name}; demo load {load_seconds:.2f} s ({summary.describe()})")
    print(f"{'command':<20} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    with OfflineBot(settings, engine=engine, team_id=DEMO_TEAM_ID) as bot:
        for text in ("help", "status"):
            for _ in range(20):  # warm up connections and caches
                bot.client.slash_command("/shopbot", text)
            samples = []
            for _ in range(requests):
                t0 = time.perf_counter()
                response = bot.client.slash_command("/shopbot", text)
                samples.append((time.perf_counter() - t0) * 1000)
                assert response.status == 200, response.body
            print(
                f"{'/shopbot ' + text:<20} {len(samples):>5} {statistics.median(samples):>8.1f} "
                f"{percentile(samples, 95):>8.1f} {percentile(samples, 99):>8.1f} "
                f"{max(samples):>8.1f}"
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
