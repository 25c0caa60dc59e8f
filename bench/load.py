"""Benchmark: many people at once while the largest import runs.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 30] [--sellers 1200] [--days 365]
                                   [--postgres ADMIN_URL] [--short] [--json]

`--clients` threads send a mix of signed slash commands for `--seconds` through the production
HTTP server (waitress, as `shopbot run` serves) against the Slack sandbox: `/kpi today`,
`/kpi week category:…`, `/kpi yesterday seller:…` and `/feedback @handle <a note of its own>`.
Meanwhile `shopbot import` loads a KPI sheet of sellers × days rows in another process (its
own sellers, so that it adds every row), as an operator would: at the defaults 438,000 rows,
45 MB, about the largest file an import takes (50 MB).

Prints throughput, p50, p99 and the slowest answer (what Slack waits for: the signed request
until the app's answer), and the errors: an answer that is not HTTP 200, an apology, or an
answer later than Slack's 3 seconds. Then whether every note was stored exactly once, and how
long the import took. Target: no error, every note stored once. `--short`: 8 clients, 5 s,
300 × 120 rows; `--json` ends the output with the figures for bench/run.py's table.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from figures import Figure, emit, json_option, percentile  # bench/figures.py, beside this file
from kpi import CATEGORIES, kpi_sheet  # bench/kpi.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import func, select

from app import build_app
from bot.settings import load_settings
from devkit.offline import OfflineBot
from devkit.sandbox import SlackRequestClient
from storage.db import make_engine
from storage.feedback.intake import intake_for
from storage.feedback.models import FeedbackNote
from storage.importers import ImportOptions, importer_for
from storage.schema import upgrade

TEAM = "TLOAD"
SLACK_DEADLINE_MS = 3000.0
APOLOGY = "Sorry, something went wrong"
NOTE_MARK = "load-note"
# Far enough apart that none reads as a typo of another (which the app would ask about).
HANDLES = ["@anna.kitchen", "@bruno.home", "@chen.beauty", "@dora.pets", "@emil.tools"]


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency_ms: float, error: str | None, note: bool) -> None:
        with self.lock:
            self.latencies_ms.append(latency_ms)
            if error:
                self.errors.append(error)
            elif note:
                self.notes_sent += 1


def client_loop(
    client: SlackRequestClient, number: int, sellers: int, until: float, tally: Tally
) -> None:
    """Send this client's commands one after another until `until`; each with a new text so
    that every note is a note of its own."""
    count = itertools.count()
    handle = HANDLES[number % len(HANDLES)]
    while time.monotonic() < until:
        n = next(count)
        if n % 2:
            line = f"/feedback {handle} {NOTE_MARK} {number}-{n}: sample arrived, Küchen & Co"
        else:
            category = CATEGORIES[n % len(CATEGORIES)]
            line = ["/kpi today", f"/kpi week category:{category}", "/kpi yesterday"][n // 2 % 3]
        command, _, text = line.partition(" ")
        started = time.perf_counter()
        try:
            response = client.slash_command(command, text, user_id="U0TOM")
        except OSError as error:
            tally.add((time.perf_counter() - started) * 1000, f"{line}: {error!r}", False)
            continue
        latency = (time.perf_counter() - started) * 1000
        error = None
        if response.status != 200:
            error = f"{line}: HTTP {response.status}"
        elif APOLOGY in response.body:
            error = f"{line}: apology"
        elif latency > SLACK_DEADLINE_MS:
            error = f"{line}: answered after {latency:.0f} ms"
        tally.add(latency, error, command == "/feedback")


def import_in_background(url: str, sheet: Path) -> subprocess.Popen[str]:
    """`shopbot import` of the sheet in another process, as an operator runs it."""
    environment = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "app", "import", str(sheet), "--kind", "kpi-sheet", "--team", TEAM],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stored_notes(url: str) -> tuple[int, int]:
    """(notes the clients stored, of which repeated: the same text more than once)."""
    engine = make_engine(url)
    marked = FeedbackNote.text.contains(NOTE_MARK)  # type: ignore[attr-defined]
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).where(marked)).scalar_one()
        repeated = connection.execute(
            select(func.count()).select_from(
                select(FeedbackNote.text)
                .where(marked)
                .group_by(FeedbackNote.text)  # type: ignore[arg-type]
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar_one()
    engine.dispose()
    return int(total), int(repeated)


def run(url: str, args: argparse.Namespace, work: Path) -> bool:
    engine = make_engine(url)
    upgrade(engine)
    known = work / "known.csv"
    kpi_sheet(min(args.sellers, 300), 60, known)
    options = ImportOptions(team_id=TEAM, filename=known.name)
    importer_for("kpi-sheet")(engine, known.read_bytes(), options)
    big = work / "big.csv"
    rows = kpi_sheet(args.sellers, args.days, big)
    # The big sheet's sellers are others than the known ones: every one of its rows is new.
    text = big.read_text().replace(",749", ",850")
    big.write_text(text)
    settings = load_settings({"DATABASE_URL": url}, env_file=None, require_slack=False)
    tally = Tally()
    with OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot:
        import_started = time.monotonic()
        importing = import_in_background(url, big)
        import_output: list[str] = []
        import_done: list[float] = []
        watcher = threading.Thread(
            target=lambda: (
                import_output.append(importing.communicate()[0]),
                import_done.append(time.monotonic()),
            )
        )
        watcher.start()
        time.sleep(0.5)  # the import is reading its file and starting to write
        started = time.monotonic()
        until = started + args.seconds
        clients = [
            threading.Thread(target=client_loop, args=(bot.client, n, args.sellers, until, tally))
            for n in range(args.clients)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        watcher.join()
        import_seconds = import_done[0] - import_started
        bot.settle(timeout=60)
        intake = intake_for(engine)
        if intake is not None:  # notes kept while the import wrote, saved once it is done
            intake.wait_until_drained(60)
    total, repeated = stored_notes(url)
    samples = tally.latencies_ms
    print(f"database: {engine.dialect.name}; {args.clients} clients for {args.seconds} s")
    print(
        f"import of {rows:,} rows alongside: exit {importing.returncode}, "
        f"{import_seconds:.1f} s: {import_output[0].strip().splitlines()[-1:]}"
    )
    print(
        f"requests {len(samples):,}  throughput {len(samples) / elapsed:.1f}/s  "
        f"p50 {statistics.median(samples):.1f} ms  p99 {percentile(samples, 99):.1f} ms  "
        f"max {max(samples):.1f} ms  errors {len(tally.errors)}"
    )
    print(f"notes: {tally.notes_sent} acknowledged, {total} stored, {repeated} stored twice")
    for error in tally.errors[:10]:
        print(f"  error: {error}")
    ok = not tally.errors and total == tally.notes_sent and repeated == 0
    ok = ok and importing.returncode == 0
    print("target (no errors, every note stored once, the import done):", "met" if ok else "MISSED")
    faults = len(tally.errors) + abs(total - tally.notes_sent) + repeated
    faults += int(importing.returncode != 0)
    per_second = len(samples) / elapsed
    emit(
        [
            Figure("load during an import: p99 answer", percentile(samples, 99), "ms",
                   SLACK_DEADLINE_MS, "Slack's deadline for an answer", SLACK_DEADLINE_MS,
                   absolute=True),
            Figure("load: errors, notes lost or doubled", faults, "", 1,
                   f"a count, no floor: {len(samples):,} requests, {per_second:.0f}/s", 0,
                   absolute=True),
        ],
        args.json,
    )  # fmt: skip
    return ok


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # busy on purpose
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sellers", type=int, default=1200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    if args.short:
        args.clients, args.seconds, args.sellers, args.days = 8, 5.0, 300, 120
    with (
        tempfile.TemporaryDirectory(prefix="shopbot-load-") as work,
        scratch_database(args.postgres) as url,
    ):
        ok = run(url, args, Path(work))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
