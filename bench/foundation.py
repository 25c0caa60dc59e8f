"""Benchmark: signed slash commands through the real HTTP stack, and the demo load.

    .venv/bin/python bench/foundation.py [--requests 500] [--postgres ADMIN_URL] [--short] [--json]

SQLite runs on a temporary file; with --postgres (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a fresh database is created on that server
for the run and dropped afterwards.

Prints a table of latencies (what Slack would wait for: the signed request until the app's
answer) for `/shopbot help` and `/shopbot status` on the demo data, each beside the floor
measured in the same run: a bare Bolt app (`process_before_response=True`, one listener that
only acknowledges) answering the same signed slash command through the same HTTP server.
Target: `/shopbot help`, which does no work, p50 ≤ bare Bolt + 2 ms. Then the time to load the
demo data set, and the process's peak resident memory. `--short` sends 100 requests of each;
`--json` ends the output with the figures for bench/run.py's table.
"""

from __future__ import annotations

import argparse
import re
import resource
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from figures import Figure, emit, json_option, percentile  # bench/figures.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from slack_bolt import Ack, App
from slack_sdk import WebClient

from app import build_app
from bot.server import HttpServer, wsgi_app
from bot.settings import load_settings
from devkit.demo.data import DEMO_TEAM_ID
from devkit.demo.seed import seed_demo
from devkit.offline import OfflineBot
from devkit.sandbox import SlackRequestClient, SlackSandbox
from storage.db import make_engine
from storage.schema import upgrade

NO_WORK_ALLOWANCE_MS = 2.0  # a command that does no work: at most this much above bare Bolt


__all__ = ["bare_bolt", "percentile", "timed"]  # what the other benchmarks take from here


def answer_at_once(ack: Ack) -> None:
    ack(text="ok")


@contextmanager
def bare_bolt(sandbox: SlackSandbox) -> Iterator[SlackRequestClient]:
    """The floor: a Bolt app that acknowledges every slash command with a short answer
    before the HTTP response (`process_before_response=True`), behind the same HTTP server as
    shopbot, against the same sandbox; yields a signed client for it."""
    signing_secret = secrets.token_hex(16)
    app = App(
        client=WebClient(token=sandbox.bot_token, base_url=sandbox.api_url),
        signing_secret=signing_secret,
        process_before_response=True,
    )
    app.command(re.compile(r"^/"))(answer_at_once)
    server = HttpServer(wsgi_app(app), host="127.0.0.1", port=0)
    server.start_in_thread()
    try:
        yield SlackRequestClient(server.url, signing_secret, sandbox)
    finally:
        server.drain_and_stop(timeout=5)


def timed(action: Callable[[], object], repeat: int, warm_up: int = 20) -> list[float]:
    """Milliseconds per call of `action`, after `warm_up` calls that are not counted."""
    for _ in range(warm_up):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    with scratch_database(args.postgres) as url:
        figures = run(url, 100 if args.short else args.requests)
    emit(figures, args.json)


def run(url: str, requests: int) -> list[Figure]:
    engine = make_engine(url)
    upgrade(engine)

    started = time.perf_counter()
    summary = seed_demo(engine, team_id=DEMO_TEAM_ID, today=date(2026, 11, 22))
    load_seconds = time.perf_counter() - started
    settings = load_settings({"DATABASE_URL": url}, env_file=None, require_slack=False)

    print(f"database: {engine.dialect.name}; demo load {load_seconds:.2f} s ({summary.describe()})")
    print(
        f"{'command':<16} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'Bolt p50':>8} {'ratio':>6}  target"
    )
    figures = []
    with (
        OfflineBot(build_app, settings, engine=engine, team_id=DEMO_TEAM_ID) as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        for text in ("help", "status"):

            def ask(text: str = text) -> None:
                response = bot.client.slash_command("/shopbot", text)
                assert response.status == 200, response.body

            def bare(text: str = text) -> None:
                response = floor.slash_command("/shopbot", text)
                assert response.status == 200 and "ok" in response.body, response.body

            samples, floor_samples = timed(ask, requests), timed(bare, requests)
            p50, floor_p50 = statistics.median(samples), statistics.median(floor_samples)
            allowance = NO_WORK_ALLOWANCE_MS if text == "help" else None
            figures.append(
                Figure(
                    f"/shopbot {text} p50",
                    p50,
                    "ms",
                    floor_p50,
                    "bare Bolt",
                    None,
                    False,
                    allowance,
                )
            )
            target = ""
            if text == "help":  # does no work: only Bolt, the server and the rendering of help
                limit = floor_p50 + NO_WORK_ALLOWANCE_MS
                met = "met" if p50 <= limit else "MISSED"
                target = f"≤ Bolt + {NO_WORK_ALLOWANCE_MS:.0f} ms = {limit:.1f}: {met}"
            print(
                f"{'/shopbot ' + text:<16} {len(samples):>5} {p50:>7.1f} "
                f"{percentile(samples, 95):>7.1f} {percentile(samples, 99):>7.1f} "
                f"{max(samples):>7.1f} {floor_p50:>8.2f} {p50 / floor_p50:>5.1f}×  {target}"
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")
    return figures


if __name__ == "__main__":
    main()
