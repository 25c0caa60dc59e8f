"""Scheduled digests end to end through the Slack sandbox, on SQLite and PostgreSQL: time travel
with an injected clock (Berlin and New York across clock changes), downtime and catch-up, two
schedulers on one database, crashes at every step, and each Slack failure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from bot.digest.runner import DigestRunner, RunnerPolicy
from bot.services import Services, pin_workspace
from bot.shared.delivery.run import add_delivery_job
from bot.shared.delivery.slack import RetryPolicy
from devkit.offline import OfflineBot
from storage.db import make_engine
from storage.delivery import digests as store
from storage.delivery import posts as deliveries
from storage.delivery import subscriptions
from storage.delivery.models import RunStatus, SubscriptionStatus
from tests.digest_support import (
    CREATOR,
    Clock,
    Sleeps,
    import_kpis,
    posts,
    runner,
    runs,
    subscribe,
    travel,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY_19_OCT = datetime(2026, 10, 19, 9, tzinfo=BERLIN)  # the week before summer time ends


@pytest.fixture(autouse=True)
def kpis(engine: Engine) -> None:
    import_kpis(engine)


def tick_through(
    digests: DigestRunner, clock: Clock, start: datetime, end: datetime, step: timedelta
) -> list[datetime]:
    """Tick every `step` from start to end; the clock readings at which something posted."""
    posted_at = []
    clock.at(start)
    while clock.now <= end.astimezone(UTC):
        if digests.tick().outcomes.get(RunStatus.POSTED):
            posted_at.append(clock.now)
        clock.advance(seconds=step.total_seconds())
    return posted_at


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- time travel ---------------------------------------------------------------------------


def test_monday_nine_in_berlin_posts_once_a_week_across_the_clock_change(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    digests = runner(bot.services, bot.sandbox)
    posted = []
    for monday in (19, 26):  # summer time ends on Sunday 25 Oct
        start = datetime(2026, 10, monday - 1, 6, tzinfo=BERLIN)
        posted += tick_through(
            digests, clock, start, start + timedelta(hours=30), timedelta(minutes=5)
        )
    assert posted == [utc(2026, 10, 19, 7), utc(2026, 10, 26, 8)]  # 09:00 local, both times
    assert [(r.period, r.status, r.week_start.isoformat()) for r in runs(engine, subscription)] == [  # type: ignore[union-attr]
        ("2026-10-19", RunStatus.POSTED, "2026-10-12"),
        ("2026-10-26", RunStatus.POSTED, "2026-10-19"),
    ]
    messages = posts(bot.sandbox)
    assert len(messages) == 2
    assert messages[0]["text"].startswith("*Weekly digest · all categories · 12 – 18 Oct 2026*")
    assert messages[1]["text"].startswith("*Weekly digest · all categories · 19 – 25 Oct 2026*")
    names = [f["name"] for f in messages[0]["files"]]
    week = "all-categories-2026-10-12-2026-10-18"
    assert names == [
        f"shopbot-digest-{subscription.id}-2026-10-19-gmv-by-day-{week}.png",
        f"shopbot-digest-{subscription.id}-2026-10-19-gmv-by-category-{week}.png",
    ]


def test_new_york_across_fall_back_nine_on_monday_and_an_hour_that_happens_twice(
    bot: OfflineBot, engine: Engine
) -> None:
    monday = subscribe(engine, "C0KPI", timezone="America/New_York")
    ambiguous = subscribe(
        engine, "C0GENERAL", weekdays="sun", post_time="01:30", timezone="America/New_York"
    )
    clock = travel(bot, datetime(2026, 10, 31, 12, tzinfo=NEW_YORK))
    digests = runner(bot.services, bot.sandbox)
    start = datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)
    tick_through(digests, clock, start, start + timedelta(hours=48), timedelta(minutes=5))
    # 01:30 came twice on Sunday 1 Nov (EDT, then EST): the first one posted, once.
    assert [(r.period, r.slot_at) for r in runs(engine, ambiguous)] == [
        ("2026-11-01", utc(2026, 11, 1, 5, 30))
    ]
    assert len(posts(bot.sandbox, "C0GENERAL")) == 1
    # Monday 09:00 is 14:00 UTC after the change (13:00 the week before).
    assert [(r.period, r.slot_at) for r in runs(engine, monday)] == [
        ("2026-11-02", utc(2026, 11, 2, 14))
    ]
    assert [r.claimed_at for r in runs(engine, monday)] == [utc(2026, 11, 2, 14)]
    assert len(posts(bot.sandbox, "C0KPI")) == 1


def test_downtime_over_the_slot_is_caught_up_when_the_bot_starts(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT - timedelta(hours=1))
    assert runner(bot.services, bot.sandbox).tick().claimed == 0
    clock.at(MONDAY_19_OCT + timedelta(hours=4, minutes=30))  # down over 09:00, back at 13:30
    restarted = runner(bot.services, bot.sandbox, name="after-restart")
    assert restarted.tick().outcomes == {RunStatus.POSTED: 1}
    [run] = runs(engine, subscription)
    assert (run.slot_at, run.claimed_at) == (MONDAY_19_OCT, clock.now)
    clock.advance(minutes=1)
    assert restarted.tick().claimed == 0
    assert len(posts(bot.sandbox)) == 1


def test_the_first_tick_runs_when_the_scheduler_starts(bot: OfflineBot) -> None:
    clock = travel(bot, MONDAY_19_OCT + timedelta(hours=3))
    scheduler = BackgroundScheduler(timezone=UTC)
    add_delivery_job(scheduler, bot.services, bot.services.features.scheduled_posts)
    job = scheduler.get_job("digest-tick")
    assert job is not None and job.trigger.interval == timedelta(seconds=60)
    assert job.next_run_time == clock.now  # a missed slot is caught up at start


def test_no_catch_up_beyond_the_grace(bot: OfflineBot, engine: Engine) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT + timedelta(hours=48, minutes=1))  # down Mon–Wed
    digests = runner(bot.services, bot.sandbox, policy=RunnerPolicy(grace=timedelta(hours=48)))
    assert digests.tick().claimed == 0
    clock.at(MONDAY_19_OCT + timedelta(days=7))
    assert digests.tick().outcomes == {RunStatus.POSTED: 1}
    assert [r.period for r in runs(engine, subscription)] == ["2026-10-26"]


# ---- several schedulers, crashes -----------------------------------------------------------


def second_runner(bot: OfflineBot, engine: Engine, name: str) -> tuple[DigestRunner, Engine]:
    """Another scheduler process: its own engine (connection pool) on the same database."""
    own = make_engine(engine.url.render_as_string(hide_password=False))
    services = Services(bot.settings, own, clock=bot.services.clock, features=bot.services.features)
    pin_workspace(services, bot.app.client)  # as every process does at its start
    return runner(services, bot.sandbox, name=name), own


def _tick_together(pair: list[tuple[DigestRunner, Engine]]) -> None:
    """Both replicas tick at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(pair))
    errors: list[BaseException] = []

    def tick(digests: DigestRunner) -> None:
        try:
            barrier.wait(timeout=10)
            digests.tick()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(digests,)) for digests, _ in pair]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_two_schedulers_on_one_database_post_once(bot: OfflineBot, engine: Engine) -> None:
    channels = [f"C0TWIN{n}" for n in range(4)]
    subscriptions = []
    for channel in channels:
        bot.sandbox.add_channel(channel, channel.lower(), members={bot.sandbox.bot_user_id})
        subscriptions.append(subscribe(engine, channel))
    clock = travel(bot, MONDAY_19_OCT)
    pair = [second_runner(bot, engine, name) for name in ("replica-a", "replica-b")]
    try:
        for _minute in range(3):
            _tick_together(pair)
            clock.advance(minutes=1)
    finally:
        for _, own in pair:
            own.dispose()
    for channel in channels:
        assert len(posts(bot.sandbox, channel)) == 1, channel
    claimed = [run for s in subscriptions for run in runs(engine, s)]
    assert len(claimed) == len(channels)
    assert {run.claimed_by for run in claimed} <= {"replica-a", "replica-b"}
    assert {run.status for run in claimed} == {RunStatus.POSTED}


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the runner catches it)."""


def test_a_claim_whose_runner_died_is_taken_over_after_the_lease(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    assert subscription.id is not None
    dead = store.NewRun(
        "T0SANDBOX",
        subscription.id,
        "2026-10-19",
        MONDAY_19_OCT,
        MONDAY_19_OCT.date() - timedelta(days=7),
    )
    assert store.claim_run(engine, dead, "dead-runner", clock.now) is not None
    survivor = runner(bot.services, bot.sandbox, name="survivor")
    clock.advance(minutes=5)
    assert survivor.tick().outcomes == {}  # the claim is young: its runner may be at work
    clock.advance(minutes=6)  # past the ten-minute lease
    report = survivor.tick()
    assert (report.taken_over, report.outcomes) == (1, {RunStatus.POSTED: 1})
    [run] = runs(engine, subscription)
    assert (run.claimed_by, run.attempts, run.status) == ("survivor", 2, RunStatus.POSTED)
    assert len(posts(bot.sandbox)) == 1


def test_a_crash_after_the_post_before_it_was_recorded_is_not_posted_twice(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)

    def crash(*_args: object, **_kwargs: object) -> bool:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(deliveries, "mark_posted", crash)
        with pytest.raises(Crash):
            runner(bot.services, bot.sandbox, name="crashed").tick()
    [run] = runs(engine, subscription)
    assert run.status == RunStatus.POSTING and len(posts(bot.sandbox)) == 1
    uploads = len(bot.sandbox.calls("files.completeUploadExternal"))
    clock.advance(minutes=11)
    report = runner(bot.services, bot.sandbox, name="survivor").tick()
    assert (report.taken_over, report.outcomes) == (1, {RunStatus.POSTED: 1})
    assert len(bot.sandbox.calls("files.completeUploadExternal")) == uploads  # not posted again
    assert len(bot.sandbox.calls("conversations.history")) == 1  # it looked first
    [run] = runs(engine, subscription)
    assert run.status == RunStatus.POSTED
    assert run.file_ids == [f["id"] for f in posts(bot.sandbox)[0]["files"]]


def test_a_crash_before_the_slack_call_is_posted_by_the_next_runner(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    crashed = runner(bot.services, bot.sandbox, name="crashed")

    def crash(*_args: object, **_kwargs: object) -> None:
        raise Crash

    monkeypatch.setattr(crashed.slack, "deliver", crash)
    with pytest.raises(Crash):
        crashed.tick()
    assert runs(engine, subscription)[0].status == RunStatus.POSTING and posts(bot.sandbox) == []
    clock.advance(minutes=11)
    assert runner(bot.services, bot.sandbox, name="survivor").tick().outcomes == {
        RunStatus.POSTED: 1
    }
    assert len(posts(bot.sandbox)) == 1


def test_a_runner_that_stalls_past_the_lease_stops_without_posting(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    survivor = runner(bot.services, bot.sandbox, name="survivor")

    def stall(_seconds: float) -> None:  # the backoff outlasts the lease; meanwhile…
        clock.advance(minutes=11)
        assert survivor.tick().outcomes == {RunStatus.POSTED: 1}  # …another runner posts

    bot.sandbox.fail("files.completeUploadExternal", "internal_error", status=500)
    stalled = runner(bot.services, bot.sandbox, name="stalled", sleep=stall)
    assert stalled.tick().outcomes == {"lost": 1}
    assert len(posts(bot.sandbox)) == 1
    [run] = runs(engine, subscription)
    assert (run.claimed_by, run.status) == ("survivor", RunStatus.POSTED)


# ---- Slack failures ------------------------------------------------------------------------


def test_rate_limits_wait_for_retry_after(bot: OfflineBot, engine: Engine) -> None:
    subscribe(engine)
    travel(bot, MONDAY_19_OCT)
    bot.sandbox.rate_limit("files.completeUploadExternal", times=2, retry_after=7)
    sleeps = Sleeps()
    assert runner(bot.services, bot.sandbox, sleep=sleeps).tick().outcomes == {RunStatus.POSTED: 1}
    assert sleeps.seconds == [7, 7]
    assert [c.status for c in bot.sandbox.calls("files.completeUploadExternal")] == [429, 429, 200]
    assert len(posts(bot.sandbox)) == 1


def test_a_rate_limit_is_really_waited_out(bot: OfflineBot, engine: Engine) -> None:
    subscribe(engine)
    travel(bot, MONDAY_19_OCT)
    bot.sandbox.rate_limit("files.completeUploadExternal", retry_after=1)
    runner(bot.services, bot.sandbox, sleep=time.sleep).tick()
    first, second = bot.sandbox.calls("files.completeUploadExternal")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0


def test_server_errors_are_retried_with_backoff_after_looking_for_the_post(
    bot: OfflineBot, engine: Engine
) -> None:
    subscribe(engine)
    travel(bot, MONDAY_19_OCT)
    bot.sandbox.fail("files.completeUploadExternal", "internal_error", status=500, times=2)
    sleeps = Sleeps()
    assert runner(bot.services, bot.sandbox, sleep=sleeps).tick().outcomes == {RunStatus.POSTED: 1}
    assert sleeps.seconds == [2.0, 4.0]
    assert len(bot.sandbox.calls("conversations.history")) == 2
    assert len(posts(bot.sandbox)) == 1


def test_a_longer_outage_is_retried_by_a_later_tick_and_logged(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    bot.sandbox.fail("files.completeUploadExternal", "service_unavailable", status=503, times=3)
    digests = runner(bot.services, bot.sandbox)
    assert digests.tick().outcomes == {RunStatus.RETRYING: 1}
    [run] = runs(engine, subscription)
    assert run.error == "Slack answered 503 service_unavailable"
    assert run.next_attempt_at == clock.now + timedelta(minutes=5)
    clock.advance(minutes=4)
    assert digests.tick().outcomes == {}
    clock.advance(minutes=1)
    assert digests.tick().outcomes == {RunStatus.POSTED: 1}
    [run] = runs(engine, subscription)
    assert (run.status, run.attempts, run.error) == (RunStatus.POSTED, 2, None)
    assert len(posts(bot.sandbox)) == 1


@pytest.mark.parametrize(
    "slow_method", ["files.completeUploadExternal", "files.getUploadURLExternal"]
)
def test_a_timeout_is_retried_without_posting_twice(
    bot: OfflineBot, engine: Engine, slow_method: str
) -> None:
    """The slow call completes in Slack after the client gave up: the runner finds that post
    (or, when the slow call was not the post, posts) — one message either way."""
    subscription = subscribe(engine)
    travel(bot, MONDAY_19_OCT)
    bot.sandbox.delay(slow_method, 2.0)
    retry = RetryPolicy(backoff_seconds=1.5)
    digests = runner(bot.services, bot.sandbox, sleep=time.sleep, retry=retry, timeout=1)
    assert digests.tick().outcomes == {RunStatus.POSTED: 1}
    assert len(posts(bot.sandbox)) == 1
    assert len(bot.sandbox.calls("conversations.history")) == 1  # it looked before posting again
    assert runs(engine, subscription)[0].file_ids


@pytest.fixture
def refusal(request: pytest.FixtureRequest, bot: OfflineBot) -> Iterator[str]:
    """Make Slack refuse the channel (or the token) the way it would."""
    code: str = request.param
    channel = bot.sandbox.channels["C0KPI"]
    if code == "not_in_channel":
        channel.members.discard(bot.sandbox.bot_user_id)
    elif code == "is_archived":
        channel.is_archived = True
    elif code == "channel_not_found":
        del bot.sandbox.channels["C0KPI"]
    else:
        bot.sandbox.fail("files.completeUploadExternal", code)
    yield code


@pytest.mark.parametrize(
    "refusal", ["channel_not_found", "not_in_channel", "is_archived", "invalid_auth"], indirect=True
)
def test_a_refused_channel_fails_the_run_and_tells_the_creator(
    bot: OfflineBot, engine: Engine, refusal: str
) -> None:
    subscription = subscribe(engine, channel_name="lifestyle-kpi")
    clock = travel(bot, MONDAY_19_OCT)
    digests = runner(bot.services, bot.sandbox)
    assert digests.tick().outcomes == {RunStatus.FAILED: 1}
    [run] = runs(engine, subscription)
    assert (run.status, run.error) == (RunStatus.FAILED, refusal)
    found = subscriptions.by_id(engine, subscription.id)  # type: ignore[arg-type]
    assert found is not None
    assert (found.status, found.last_error) == (SubscriptionStatus.FAILING, refusal)
    [dm] = bot.sandbox.messages[bot.sandbox.dm_channel(CREATOR)]
    assert f"I couldn't post the weekly digest in <#C0KPI> (Slack said `{refusal}`)" in dm["text"]
    advice = {
        "not_in_channel": "Type `/invite @shopbot` there",
        "channel_not_found": "Invite me with `/invite @shopbot`",
        "is_archived": "`/digest unsubscribe #lifestyle-kpi`",
        "invalid_auth": "reinstall shopbot",
    }
    assert advice[refusal] in dm["text"]
    assert posts(bot.sandbox) == []
    # The next week fails the same way: the run is logged, the creator is not told again.
    clock.at(MONDAY_19_OCT + timedelta(days=7))
    if refusal == "invalid_auth":
        bot.sandbox.fail("files.completeUploadExternal", refusal)
    assert digests.tick().outcomes == {RunStatus.FAILED: 1}
    assert len(bot.sandbox.messages[bot.sandbox.dm_channel(CREATOR)]) == 1


def test_a_failing_channel_recovers_once_the_bot_is_invited(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription = subscribe(engine)
    channel = bot.sandbox.channels["C0KPI"]
    channel.members.discard(bot.sandbox.bot_user_id)
    clock = travel(bot, MONDAY_19_OCT)
    digests = runner(bot.services, bot.sandbox)
    assert digests.tick().outcomes == {RunStatus.FAILED: 1}
    channel.members.add(bot.sandbox.bot_user_id)  # /invite @shopbot
    clock.at(MONDAY_19_OCT + timedelta(days=7))
    assert digests.tick().outcomes == {RunStatus.POSTED: 1}
    found = subscriptions.by_id(engine, subscription.id)  # type: ignore[arg-type]
    assert found is not None and (found.status, found.last_error) == (
        SubscriptionStatus.ACTIVE,
        None,
    )


# ---- content and rendering -----------------------------------------------------------------


def test_a_week_without_data_posts_a_short_note(bot: OfflineBot, engine: Engine) -> None:
    subscription = subscribe(engine)
    travel(bot, datetime(2027, 1, 4, 9, tzinfo=BERLIN))  # data ends in November
    assert runner(bot.services, bot.sandbox).tick().outcomes == {RunStatus.POSTED: 1}
    [message] = posts(bot.sandbox)
    assert (
        "No data for this week: nothing was imported for 28 Dec 2026 – 3 Jan 2027."
        in (message["text"])
    )
    assert "files" not in message and bot.sandbox.calls("files.getUploadURLExternal") == []
    [run] = runs(engine, subscription)
    assert run.status == RunStatus.POSTED and run.message_ts == message["ts"]
    payload = message["metadata"]["event_payload"]
    assert payload == {"run": f"shopbot-digest-{subscription.id}-2027-01-04"}


def test_fifty_channels_with_the_same_digest_render_it_once(
    bot: OfflineBot, engine: Engine
) -> None:
    channels = [f"C0MANY{n:02d}" for n in range(50)]
    for channel in channels:
        bot.sandbox.add_channel(channel, channel.lower(), members={bot.sandbox.bot_user_id})
        subscribe(engine, channel)
    subscribe(engine, "C0KPI", category="Kitchenware")
    travel(bot, MONDAY_19_OCT)
    report = runner(bot.services, bot.sandbox).tick()
    assert report.renders == 2  # everything, and Kitchenware
    assert report.outcomes == {RunStatus.POSTED: 51}
    uploads = {f.id: f.content for f in bot.sandbox.files.values()}
    for channel in channels:
        [message] = posts(bot.sandbox, channel)
        assert [uploads[f["id"]] for f in message["files"]] == [
            uploads[f["id"]] for f in posts(bot.sandbox, channels[0])[0]["files"]
        ]


def test_send_now_posts_once_a_minute_beside_the_schedule(bot: OfflineBot, engine: Engine) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT - timedelta(minutes=30))
    digests = runner(bot.services, bot.sandbox)
    [(_, run)] = digests.send_now([subscription], "U0MARIA")
    assert run is not None and run.status == RunStatus.POSTED and run.requested_by == "U0MARIA"
    assert run.period == "send 2026-10-19T08:30"
    assert digests.send_now([subscription], "U0MARIA") == [(subscription, None)]
    clock.at(MONDAY_19_OCT)
    assert digests.tick().outcomes == {RunStatus.POSTED: 1}  # the schedule is its own run
    assert len(posts(bot.sandbox)) == 2


def test_a_run_of_a_stopped_subscription_is_not_posted(bot: OfflineBot, engine: Engine) -> None:
    subscription = subscribe(engine)
    clock = travel(bot, MONDAY_19_OCT)
    assert subscription.id is not None
    dead = store.NewRun(
        "T0SANDBOX", subscription.id, "2026-10-19", MONDAY_19_OCT, MONDAY_19_OCT.date()
    )
    store.claim_run(engine, dead, "dead-runner", clock.now)
    subscriptions.stop(engine, subscription.id)
    clock.advance(minutes=11)
    assert runner(bot.services, bot.sandbox).tick().outcomes == {RunStatus.FAILED: 1}
    assert runs(engine, subscription)[0].error == "unsubscribed before it was posted"
    assert posts(bot.sandbox) == []
