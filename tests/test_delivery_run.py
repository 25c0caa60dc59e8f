"""The one delivery run: one scheduler job serves every kind of subscribed post, each at its own
pace, and one kind's failure leaves the others to post; one reminder loop serves every source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast

from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import build_scheduler
from bot.services import Services
from bot.shared.delivery.run import DeliveryRun, ScheduledPosts, add_delivery_job
from devkit.offline import OfflineBot

START = datetime(2026, 12, 1, 8, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _kind(name: str, calls: list[str], every: timedelta, fails: bool = False) -> ScheduledPosts:
    def start(services: Services) -> Callable[[], object]:
        def deliver() -> None:
            calls.append(name)
            if fails:
                raise RuntimeError("the database went away")

        return deliver

    return ScheduledPosts(name, start, every)


def test_each_kind_is_checked_at_its_own_pace_by_one_run() -> None:
    clock, calls = Clock(), []
    services = cast(Services, SimpleNamespace(clock=clock))  # the run reads only the clock
    run = DeliveryRun(
        services,
        [
            _kind("weekly digest", calls, timedelta(minutes=1), fails=True),
            _kind("monthly review report", calls, timedelta(minutes=5)),
        ],
    )
    for minute in range(11):
        clock.now = START + timedelta(minutes=minute, seconds=minute % 2)  # ticks a little late
        run()
    assert calls.count("weekly digest") == 11  # failing every time, and checked every time
    assert calls.count("monthly review report") == 3  # at 0, 5 and 10 minutes


def test_one_job_delivers_every_kind_and_one_loop_reminds(bot: OfflineBot) -> None:
    ids = {job.id for job in build_scheduler(bot.services).get_jobs()}
    assert "digest-tick" in ids and "feedback-follow-ups" in ids
    assert not ids & {"review-monthly-reports", "alert-check", "outreach-reminders"}
    features = bot.services.features
    assert {kind.name for kind in features.scheduled_posts} == {
        "weekly digest",
        "monthly review report",
        "alert",
    }
    assert [source.name for source in features.follow_ups] == ["note", "seller note", "outreach"]
    scheduler = BackgroundScheduler(timezone=UTC)
    add_delivery_job(scheduler, bot.services, features.scheduled_posts)
    [job] = scheduler.get_jobs()
    assert job.trigger.interval == timedelta(seconds=60)
