"""The one delivery life cycle of scheduled posts, on SQLite and PostgreSQL, seen through the
monthly review report (the post that had none before): a rate-limited Slack is waited out and
retried, a worker that died after its claim is taken over, a post cut off after Slack made it
is found in the channel, two app instances on one database post once, and every attempt is in
the run history that `shopbot deliveries` prints."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.review.monthly import post_due_reports
from bot.services import Services, pin_workspace, slack_client
from bot.shared.delivery.history import describe_history
from bot.shared.delivery.slack import DeliverySlack, RetryPolicy
from devkit.offline import OfflineBot
from devkit.sandbox import SlackSandbox
from storage.db import make_engine
from storage.delivery import posts as deliveries
from storage.delivery.models import RunStatus, SubscriptionKind
from storage.delivery.posts import history
from storage.delivery.subscriptions import SubscriptionDraft, save
from storage.reviews.models import ReviewReportPost
from tests.digest_support import Sleeps
from tests.feedback_support import rows, set_clock
from tests.review_support import seed, stored_review
from tests.test_cli import clean_env, shopbot

FIRST = datetime(2026, 11, 1, 8, tzinfo=UTC)  # 09:00 in Berlin: October's report is due
REPORT = "Livestream reviews 1 Oct – 31 Oct 2026"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the delivery catches it)."""


@pytest.fixture(autouse=True)
def october(bot: OfflineBot, engine: Engine) -> None:
    """Two Home & Living streams reviewed in October."""
    ids = seed(engine, bot.sandbox.team_id)
    for day in (5, 12):
        stored_review(
            engine, bot.sandbox.team_id, ids["Casa Bonita"], datetime(2026, 10, day, 19), hook=4
        )


def _subscribe(bot: OfflineBot, engine: Engine, channel: str = "C0KPI") -> int:
    """`channel` subscribed to Home & Living's monthly report (09:00 Berlin)."""
    team = bot.sandbox.team_id
    draft = SubscriptionDraft(
        team_id=team,
        kind=SubscriptionKind.MONTHLY_REVIEW_REPORT,
        channel_id=channel,
        channel_name=channel.lower(),
        post_time="09:00",
        timezone="Europe/Berlin",
        category="Home & Living",
        user_id="U0TOM",
    )
    subscription, _ = save(engine, draft, datetime(2026, 10, 20, tzinfo=UTC))
    assert subscription.id is not None
    return subscription.id


def _reports(sandbox: SlackSandbox, channel: str = "C0KPI") -> list[dict]:
    """The report messages in the channel (not the chart's own file share)."""
    return [m for m in sandbox.messages[channel] if REPORT in str(m.get("text", ""))]


def _charts(sandbox: SlackSandbox) -> list[str]:
    return [f.filename for f in sandbox.files.values() if f.filename.endswith(".png")]


def _slack(bot: OfflineBot, sleeps: Sleeps | None = None) -> DeliverySlack:
    return DeliverySlack(
        slack_client(bot.settings, retries=False),
        bot.services.bot_user(),
        RetryPolicy(),
        sleeps or Sleeps(),
    )


def _post(bot: OfflineBot, moment: datetime, worker: str, sleeps: Sleeps | None = None) -> int:
    set_clock(bot, moment)
    return post_due_reports(bot.services, _slack(bot, sleeps), worker=worker)


def test_a_rate_limited_report_waits_retries_later_and_posts_once(
    bot: OfflineBot, engine: Engine
) -> None:
    _subscribe(bot, engine)
    # A short Retry-After is waited out; a long one leaves the post for a later check, no
    # sooner than Slack asked.
    bot.sandbox.rate_limit("chat.postMessage", retry_after=3)
    bot.sandbox.rate_limit("chat.postMessage", retry_after=600)
    sleeps = Sleeps()
    assert _post(bot, FIRST, "worker-a", sleeps) == 0
    assert sleeps.seconds == [3]
    [post] = rows(engine, ReviewReportPost)
    assert post.status == RunStatus.RETRYING and _reports(bot.sandbox) == []
    assert post.next_attempt_at == FIRST + timedelta(seconds=600)
    assert _charts(bot.sandbox) == ["review-scores-2026-10.png"]
    assert _post(bot, FIRST + timedelta(minutes=6), "worker-a") == 0  # not due yet
    assert _post(bot, FIRST + timedelta(minutes=10), "worker-b") == 1
    assert len(_reports(bot.sandbox)) == 1
    assert _charts(bot.sandbox) == ["review-scores-2026-10.png"]  # not uploaded again
    [post] = rows(engine, ReviewReportPost)
    assert (post.status, post.attempts, post.claimed_by) == (RunStatus.POSTED, 2, "worker-b")
    assert post.message_ts == _reports(bot.sandbox)[0]["ts"] and len(post.file_ids) == 1
    assert _post(bot, FIRST + timedelta(days=2), "worker-b") == 0  # once
    lines = history(engine, bot.sandbox.team_id, kind="reviewreportpost")
    assert [(h.attempt, h.worker, h.outcome) for h in lines] == [
        (2, "worker-b", RunStatus.POSTED),
        (1, "worker-a", RunStatus.RETRYING),
    ]
    assert lines[1].error == "rate limited (Retry-After 600 s)"


def test_a_report_whose_worker_died_after_the_claim_is_taken_over_and_posted_once(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription_id = _subscribe(bot, engine)
    values = {"team_id": bot.sandbox.team_id, "subscription_id": subscription_id}
    claim = deliveries.claim(
        engine,
        ReviewReportPost,
        ("subscription_id", "month"),
        {**values, "month": date(2026, 10, 1)},
        "dead-worker",
        FIRST,
    )
    assert claim is not None  # and the worker is gone
    assert _post(bot, FIRST + timedelta(minutes=5), "survivor") == 0  # its lease still runs
    assert _reports(bot.sandbox) == []
    assert _post(bot, FIRST + timedelta(minutes=11), "survivor") == 1
    assert len(_reports(bot.sandbox)) == 1 and len(_charts(bot.sandbox)) == 1
    [post] = rows(engine, ReviewReportPost)
    assert (post.status, post.attempts, post.claimed_by) == (RunStatus.POSTED, 2, "survivor")
    lines = history(engine, bot.sandbox.team_id)
    assert [(h.attempt, h.worker, h.outcome) for h in lines] == [
        (2, "survivor", RunStatus.POSTED),
        (1, "dead-worker", deliveries.ABANDONED),
    ]


def test_a_report_cut_off_after_slack_posted_it_is_found_not_posted_again(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subscribe(bot, engine)

    def crash(*_args: object, **_kwargs: object) -> bool:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(deliveries, "mark_posted", crash)
        with pytest.raises(Crash):
            _post(bot, FIRST, "killed")
    [post] = rows(engine, ReviewReportPost)
    assert post.status == RunStatus.POSTING and len(_reports(bot.sandbox)) == 1
    assert _post(bot, FIRST + timedelta(minutes=11), "survivor") == 1
    assert len(_reports(bot.sandbox)) == 1 and len(_charts(bot.sandbox)) == 1
    assert len(bot.sandbox.calls("conversations.history")) == 1  # it looked first
    [post] = rows(engine, ReviewReportPost)
    assert post.status == RunStatus.POSTED
    assert post.message_ts == _reports(bot.sandbox)[0]["ts"]


def test_two_app_instances_on_one_database_post_each_report_once(
    bot: OfflineBot, engine: Engine
) -> None:
    channels = ["C0KPI", "C0TWIN1", "C0TWIN2"]
    for channel in channels[1:]:
        bot.sandbox.add_channel(channel, channel.lower(), members={bot.sandbox.bot_user_id})
    for channel in channels:
        _subscribe(bot, engine, channel)
    set_clock(bot, FIRST)
    url = engine.url.render_as_string(hide_password=False)
    instances = []
    for _ in range(2):
        own = make_engine(url)  # another process: its own connection pool
        services = Services(
            bot.settings, own, clock=bot.services.clock, features=bot.services.features
        )
        pin_workspace(services, bot.app.client)
        instances.append(services)
    start = threading.Barrier(len(instances))
    posted: list[int] = []
    errors: list[BaseException] = []

    def instance(services: Services, name: str) -> None:
        try:
            start.wait(timeout=10)
            posted.append(post_due_reports(services, _slack(bot), worker=name))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [
        threading.Thread(target=instance, args=(services, f"replica-{n}"))
        for n, services in enumerate(instances)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for services in instances:
        services.engine.dispose()
    assert errors == [] and sum(posted) == len(channels)
    for channel in channels:
        assert len(_reports(bot.sandbox, channel)) == 1, channel
    assert len(_charts(bot.sandbox)) == len(channels)
    claimed = rows(engine, ReviewReportPost)
    assert len(claimed) == len(channels)
    assert {p.status for p in claimed} == {RunStatus.POSTED}
    assert {p.claimed_by for p in claimed} <= {"replica-0", "replica-1"}


def test_shopbot_deliveries_prints_the_run_history(
    tmp_path: Path, bot: OfflineBot, engine: Engine
) -> None:
    _subscribe(bot, engine)
    bot.sandbox.fail("chat.postMessage", "channel_not_found")
    assert _post(bot, FIRST, "worker-a") == 0
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    team = bot.sandbox.team_id
    result = shopbot("deliveries", "--team", team, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [post] = rows(engine, ReviewReportPost)
    assert result.stdout == (
        f"2026-11-01 08:00 UTC  review report {post.id}, attempt 1 by worker-a"
        "  failed: channel_not_found\n"
    )
    assert result.stdout == describe_history(history(engine, team)) + "\n"
    alerts = shopbot("deliveries", "--team", team, "--kind", "alert", env=env, cwd=tmp_path)
    assert alerts.stdout == "No scheduled post has been attempted yet.\n"


def test_a_report_claimed_by_a_worker_that_died_is_not_posted_a_month_late(
    bot: OfflineBot, engine: Engine
) -> None:
    subscription_id = _subscribe(bot, engine)
    values = {"team_id": bot.sandbox.team_id, "subscription_id": subscription_id}
    key = ("subscription_id", "month")
    october = {**values, "month": date(2026, 10, 1)}
    assert deliveries.claim(engine, ReviewReportPost, key, october, "dead-worker", FIRST)
    assert _post(bot, datetime(2026, 12, 1, 8, 30, tzinfo=UTC), "survivor") == 1  # November's
    assert [m["text"].split(":")[0] for m in bot.sandbox.messages["C0KPI"] if m["text"]] == [
        "Livestream reviews · Home &amp; Living · 1 Nov – 30 Nov 2026"  # no reviews in November
    ]
    late, november = rows(engine, ReviewReportPost)
    assert (late.status, late.error) == (RunStatus.FAILED, "not posted in the month it was due")
    assert november.status == RunStatus.POSTED
