"""Benchmark: weekly digests rendered and posted through the Slack sandbox (OfflineBot).

    .venv/bin/python bench/digest.py [--sellers 160] [--days 120] [--repeat 5]
                                     [--channels 50] [--postgres ADMIN_URL] [--short] [--json]

Demo-sized data (bench/kpi.py's KPI sheet: sellers × days in eight categories, imported the
way a team imports it) plus a week of livestream reviews and creator notes, so every section
and all three charts are drawn. Then, with the clock on a Monday at 09:00:

1. one digest: a scheduler tick that claims, renders and posts it — target ≤ 2 s;
2. `--channels` subscriptions of the same digest in one tick (rendered once) — target ≤ 10 s
   plus Slack's pacing (the sandbox does not pace);
3. the process's resident memory, sampled every 10 ms while digests render — target ≤ 300 MB.

Floor of 1 and 2, measured in the same run: a bare matplotlib render of the same charts (the
same data, figure size and dpi, drawn with matplotlib's default style: no titles, labels,
colours or layout), recorded as the digest drew them. Floor of 3: the resident memory before.
`--short` (40 sellers × 60 days, 2 digests, 5 channels) runs in seconds; `--json` ends the
output with the figures for bench/run.py's table.

The data is loaded in a separate process, so the memory figure is the bot's alone (the sandbox,
which keeps every uploaded PNG, runs in the measured process too). SQLite runs on a temporary
file; with --postgres a scratch database is created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from figures import Figure, emit, json_option  # bench/figures.py, beside this file
from kpi import LAST_DAY, kpi_sheet  # bench/kpi.py: the demo-like KPI sheet
from scratch import scratch_database  # bench/scratch.py, beside this file

from app import build_app

MONDAY = datetime(2026, 11, 16, 9, tzinfo=ZoneInfo("Europe/Berlin"))  # shows 9–15 Nov
TEAM = "T0SANDBOX"
ONE_LIMIT_S = 2.0
MANY_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 300.0


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """Samples the resident set size in a thread while the block runs."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()

    @contextmanager
    def watching(self) -> Iterator[None]:
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_mb())
            time.sleep(0.01)


class ChartRecorder:
    """Records the data of every chart the digest draws (its line, bar and criteria charts), so
    that the same charts can be drawn bare: the floor of the digest's rendering."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def install(self) -> None:
        import bot.kpi.digest_sections as sections
        import bot.review.report as review_report

        for module, name in (
            (sections, "line_chart"),
            (sections, "bar_chart"),
            (review_report, "criteria_chart"),
        ):
            setattr(module, name, self._recording(name, getattr(module, name)))

    def _recording(self, name: str, draw: Callable[..., bytes]) -> Callable[..., bytes]:
        def recorded(*args: object, **kwargs: object) -> bytes:
            self.calls.append((name, args))
            return draw(*args, **kwargs)

        return recorded

    def bare_seconds(self, charts: int, repeat: int = 3) -> float:
        """The best seconds of drawing the last `charts` charts bare, in `repeat` turns."""
        last = self.calls[-charts:]
        turns = []
        for _ in range(repeat):
            started = time.perf_counter()
            for name, args in last:
                bare_chart(name, args)
            turns.append(time.perf_counter() - started)
        return min(turns)


def bare_chart(name: str, args: tuple[object, ...]) -> bytes:
    """The chart's data drawn with matplotlib's defaults, at the digest's size and dpi."""
    import io

    import matplotlib.style
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as PlotFigure

    from bot.review.chart import BAR, HEIGHT_INCHES
    from bot.shared.charts import DPI, SIZE_INCHES

    with matplotlib.style.context("default"):
        height = HEIGHT_INCHES if name == "criteria_chart" else SIZE_INCHES[1]
        figure = PlotFigure(figsize=(SIZE_INCHES[0], height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if name == "line_chart":
            days, series = args[2], args[3]
            for line in series:  # type: ignore[attr-defined]
                axes.plot(days, line.points)
        elif name == "bar_chart":
            axes.barh(args[2], args[3])  # type: ignore[arg-type]
        else:
            rows = list(reversed(args[0]))  # type: ignore[call-overload]
            y = np.arange(len(rows))
            axes.barh(y + BAR / 2, [c.average or 0.0 for c in rows], height=BAR)
            axes.barh(y - BAR / 2, [c.previous or 0.0 for c in rows], height=BAR)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def seed(url: str, sellers: int, days: int) -> str:
    """The KPI sheet, imported; plus the week's reviews and notes. Returns a description."""
    from sqlmodel import select

    from storage.creators.models import Creator
    from storage.db import make_engine, transaction
    from storage.feedback.models import FeedbackNote
    from storage.importers import ImportOptions, importer_for
    from storage.reviews.models import LivestreamReview
    from storage.reviews.scorecard import SCORECARD
    from storage.schema import upgrade
    from storage.sellers.models import Seller

    engine = make_engine(url)
    upgrade(engine)
    with tempfile.TemporaryDirectory(prefix="shopbot-bench-") as work:
        sheet = Path(work) / "kpi-sheet.csv"
        rows = kpi_sheet(sellers, days, sheet)
        importer_for("kpi-sheet")(
            engine, sheet.read_bytes(), ImportOptions(team_id=TEAM, filename=sheet.name)
        )
    week = [date(2026, 11, 9) + timedelta(days=n) for n in range(7)]
    with transaction(engine) as session:
        seller_ids = [s.id for s in session.exec(select(Seller).where(Seller.team_id == TEAM))]
        creator = Creator(team_id=TEAM, handle="bench.creator", display_name="Bench")
        session.add(creator)
        session.flush()
        for n in range(20):
            session.add(
                LivestreamReview(
                    team_id=TEAM,
                    seller_id=seller_ids[n % len(seller_ids)],
                    stream_date=week[n % 7],
                    stream_started_at=datetime.combine(week[n % 7], datetime.min.time()).replace(
                        hour=19
                    ),
                    reviewer_user_id="U0PRIYA",
                    client_key=f"bench-review-{n}",
                    **{f"score_{item}": 1 + (n + i) % 5 for i, item in enumerate(SCORECARD)},
                )
            )
        for n in range(30):
            written = datetime.combine(week[n % 7], datetime.min.time(), UTC) + timedelta(hours=9)
            session.add(
                FeedbackNote(
                    team_id=TEAM,
                    creator_id=creator.id,
                    author_user_id="U0TOM",
                    text=f"bench note {n}: sample arrived, unboxing video planned",
                    topic=("content", "samples", "pricing")[n % 3],
                    sentiment=("positive", "neutral", "negative")[n % 3],
                    created_at=written,
                    updated_at=written,
                )
            )
    engine.dispose()
    return (
        f"{sellers} sellers × {days} days ({rows:,} seller-days to {LAST_DAY}), "
        "20 reviews, 30 notes"
    )


def seed_elsewhere(url: str, sellers: int, days: int) -> str:
    """`seed` in a fresh process, so the memory measured here is the bot's, not the import's."""
    command = [sys.executable, __file__, "seed", url, str(sellers), str(days)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def run(url: str, sellers: int, days: int, repeat: int, channels: int) -> list[Figure]:
    from bot.digest.manage import build_runner
    from bot.digest.runner import spec_for
    from bot.settings import load_settings
    from bot.shared.digest_section import DigestSpec
    from devkit.offline import OfflineBot
    from storage.db import make_engine
    from storage.delivery import subscriptions
    from storage.delivery.models import SubscriptionKind

    described = seed_elsewhere(url, sellers, days)
    engine = make_engine(url)
    settings = load_settings(
        {"DATABASE_URL": url, "SHOPBOT_TIMEZONE": "Europe/Berlin"},
        env_file=None,
        require_slack=False,
    )
    memory = PeakMemory()
    recorder = ChartRecorder()
    recorder.install()
    before_mb = resident_mb()
    with OfflineBot(build_app, settings, engine=engine, team_id=TEAM) as bot:
        bot.services.clock = lambda: MONDAY.astimezone(UTC)
        runner = build_runner(bot.services)

        def subscribe(channel: str) -> DigestSpec:
            bot.sandbox.add_channel(channel, channel.lower(), members={bot.sandbox.bot_user_id})
            draft = subscriptions.SubscriptionDraft(
                team_id=TEAM,
                kind=SubscriptionKind.WEEKLY_DIGEST,
                channel_id=channel,
                channel_name=channel.lower(),
                weekdays="mon",
                post_time="09:00",
                timezone="Europe/Berlin",
                category=None,
                user_id="U0TOM",
            )
            subscription, _ = subscriptions.save(engine, draft, MONDAY - timedelta(days=30))
            return spec_for(bot.services, subscription, date(2026, 11, 9))

        one: list[float] = []
        renders: list[float] = []
        with memory.watching():
            for n in range(repeat):  # a new channel each time: a new run, rendered afresh
                spec = subscribe(f"C0ONE{n:03d}")
                started = time.perf_counter()
                report = runner.tick()
                one.append(time.perf_counter() - started)
                assert report.outcomes == {"posted": 1} and report.renders == 1, report
                started = time.perf_counter()
                digest = runner.render(spec)  # the same work again, on its own
                renders.append(time.perf_counter() - started)
            for n in range(channels):
                subscribe(f"C0MANY{n:03d}")
            started = time.perf_counter()
            report = runner.tick()
            many = time.perf_counter() - started
        assert report.outcomes == {"posted": channels} and report.renders == 1, report
        uploads = len(bot.sandbox.calls("files.completeUploadExternal"))
    bare = recorder.bare_seconds(len(digest.charts))

    print(f"database: {engine.dialect.name}; data: {described}")
    print(f"digest: {len(digest.charts)} charts, {len(digest.text):,} characters of text")
    print(f"{'step':<46} {'n':>3} {'p50 s':>7} {'max s':>7}  target")
    print(
        f"{'one digest: tick, render, post (1st is cold)':<46} {len(one):>3} "
        f"{statistics.median(one):>7.2f} {max(one):>7.2f}  ≤ 2 s"
    )
    print(
        f"{f'  of which rendering ({len(digest.charts)} charts + text)':<46} {len(renders):>3} "
        f"{statistics.median(renders):>7.2f} {max(renders):>7.2f}"
    )
    print(
        f"{f'{channels} channels, same digest, one tick':<46} {1:>3} {many:>7.2f} {many:>7.2f}"
        f"  ≤ 10 s + Slack pacing ({report.renders} render, {uploads} uploads in all)"
    )
    print(
        f"resident memory: {before_mb:.0f} MB before the digests, peak {memory.peak:.0f} MB "
        "while they rendered and posted (target ≤ 300 MB)"
    )
    print(f"floor: the same {len(digest.charts)} charts drawn bare with matplotlib: {bare:.2f} s")
    engine.dispose()
    floor = f"bare matplotlib render of its {len(digest.charts)} charts"
    return [
        Figure("one digest: tick, render, post p50", statistics.median(one), "s", bare, floor,
               ONE_LIMIT_S, absolute=True),
        Figure("  of which rendering p50", statistics.median(renders), "s", bare, floor),
        Figure(f"{channels} channels, same digest, one tick", many, "s", bare, floor,
               MANY_LIMIT_S, absolute=True),
        Figure("  peak resident memory", memory.peak, "MB", before_mb,
               "resident memory before the digests", MEMORY_LIMIT_MB, absolute=True),
    ]  # fmt: skip


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "seed":
        print(seed(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sellers", type=int, default=160)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    json_option(parser)
    args = parser.parse_args()
    if args.short:
        args.sellers, args.days, args.repeat, args.channels = 40, 60, 2, 5
    with scratch_database(args.postgres) as url:
        figures = run(url, args.sellers, args.days, args.repeat, args.channels)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
