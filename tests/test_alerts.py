"""KPI alerts end to end through the sandbox: rules added with /alert, checked on data built for
the test, posted once with the reason, acknowledged and muted with their buttons."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.alerts.jobs import ALERTS
from bot.alerts.render import ACKNOWLEDGE, MUTE
from bot.scheduler import build_scheduler
from bot.shared.replies import escape
from devkit.demo.data import dropping_sellers, plan_sellers
from devkit.demo.seed import seed_demo
from devkit.offline import OfflineBot
from storage.alerts.models import AlertFiring, AlertRule
from storage.alerts.rules import MAX_RULES
from storage.delivery import posts as deliveries
from storage.delivery.models import RunStatus
from storage.delivery.posts import history
from tests.alert_data import (
    BIG,
    LAST,
    alert_posts,
    build,
    check,
    checker,
    cut,
    load,
    morning_after,
    only,
    without,
)
from tests.kpi_data import cents, to_csv
from tests.slack_support import button_value, markup
from tests.test_cli import SIGNING_SECRET, clean_env


def _rules(engine: Engine) -> list[AlertRule]:
    with Session(engine) as session:
        return list(session.exec(select(AlertRule)).all())


def _firings(engine: Engine) -> list[AlertFiring]:
    with Session(engine) as session:
        return list(session.exec(select(AlertFiring).order_by(AlertFiring.id)).all())


@pytest.fixture
def data(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """Sixteen steady weeks, with a GMV alert on the default rule in #lifestyle-kpi."""
    frame = build()
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, LAST)
    seen = bot.say("/alert add gmv")
    assert "Alert 1 saved" in seen.text, seen.text
    return frame


def test_a_planted_drop_fires_once_and_names_the_seller_that_caused_it(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)  # a Monday
    frame = cut(build(day, day), day, BIG, keep=0.15)
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, day)
    report = check(bot)
    [post] = alert_posts(bot)
    text = markup(post)
    total = cents(frame["gmv"])
    history = [cents(only(data, day - timedelta(weeks=n))["gmv"]) for n in range(1, 9)]
    usual = sorted(history)[3:5]
    median = Decimal(usual[0] + usual[1]) / 2
    assert abs(total / median - 1) > Decimal("0.38")  # the planted drop: about 40%
    assert f"fell to *${total / 100:,.2f}*" in text
    assert f"{round((1 - total / median) * 100)}% below the usual Monday" in text
    assert "Explained mostly by sellers:* Casa Grande −$" in text
    assert "Acknowledge" in text and "Mute for 7 days" in text
    [chart] = [m for m in bot.sandbox.messages["C0KPI"] if m.get("thread_ts") == post["ts"]]
    assert chart.get("files")
    assert report.fired and len(_firings(engine)) == 1
    # Checked again (after another import, or on schedule): nothing more.
    assert check(bot).fired == []
    assert len(alert_posts(bot)) == 1


def test_weekly_seasonality_alone_fires_nothing_over_twelve_weeks(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    judged = 0
    for back in range(12 * 7):
        morning_after(bot, LAST - timedelta(days=back))
        judged += check(bot).judged
    assert judged == 12 * 7
    assert alert_posts(bot) == [] and _firings(engine) == []


def test_a_day_missing_from_the_import_fires_nothing_until_it_is_complete(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    # The big seller's file is late: without it the day looks like a 50% drop.
    load(engine, bot.sandbox.team_id, without(build(day, day), day, BIG))
    morning_after(bot, day)
    assert check(bot).fired == []
    assert alert_posts(bot) == []
    # It arrives, normal: still nothing. Had it been cut, the complete day would fire.
    load(engine, bot.sandbox.team_id, only(build(day, day), day, BIG))
    assert check(bot).fired == []
    next_day = day + timedelta(days=1)
    load(engine, bot.sandbox.team_id, without(build(next_day, next_day), next_day, BIG))
    morning_after(bot, next_day)
    assert check(bot).fired == []
    load(
        engine,
        bot.sandbox.team_id,
        cut(only(build(next_day, next_day), next_day, BIG), next_day, BIG, 0.15),
    )
    assert len(check(bot).fired) == 1
    assert len(alert_posts(bot)) == 1


def test_two_replicas_checking_at_once_post_once(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)
    start = threading.Barrier(3)
    reports = []

    def replica(name: str) -> None:
        start.wait()
        reports.append(check(bot, name))

    threads = [threading.Thread(target=replica, args=(f"replica-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.settle()
    assert sum(len(r.fired) for r in reports) == 1
    assert len(alert_posts(bot)) == 1 and len(_firings(engine)) == 1


def test_a_persisting_condition_does_not_repeat_until_it_worsens_or_comes_back(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    def day_with(offset: int, keep: float, others: float = 1.0) -> None:
        day = LAST + timedelta(days=offset)
        frame = cut(cut(build(day, day), day, None, others), day, BIG, keep / others)
        load(engine, bot.sandbox.team_id, frame)
        morning_after(bot, day)
        check(bot)

    day_with(1, 0.15)  # about 40% down: fires
    day_with(2, 0.15)  # the same: quiet
    day_with(3, 0.05)  # 5 points worse: quiet
    assert len(alert_posts(bot)) == 1
    day_with(4, 0.15, others=0.75)  # over 10 points worse: speaks again, and says so
    posts = alert_posts(bot)
    assert len(posts) == 2 and "Worse than when this alert last spoke" in markup(posts[1])
    day_with(5, 1.0)  # cleared
    day_with(6, 0.15)  # back: fires anew
    assert len(alert_posts(bot)) == 3
    assert "Worse than" not in markup(alert_posts(bot)[2])


def test_a_muted_rule_stays_silent(bot: OfflineBot, engine: Engine, data: pd.DataFrame) -> None:
    seen = bot.say("/alert mute 1 7d")
    assert "Muted" in seen.text
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)
    assert check(bot).fired == []
    assert alert_posts(bot) == [] and _firings(engine) == []
    assert "muted until" in bot.say("/alert list").text


def test_acknowledge_records_who_and_edits_the_post_and_mute_silences_the_rule(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)
    check(bot)
    [post] = alert_posts(bot)
    firing_id = button_value(post, ACKNOWLEDGE)
    bot.client.block_action(
        ACKNOWLEDGE, firing_id, user_id="U0TOM", channel_id="C0KPI", message=post
    )
    bot.settle()
    [edited] = alert_posts(bot)
    assert "Acknowledged by <@U0TOM>" in markup(edited)
    assert ACKNOWLEDGE not in str(edited.get("blocks"))
    [firing] = _firings(engine)
    assert firing.acknowledged_by == "U0TOM" and firing.acknowledged_at is not None
    # Muting silences the channel for everyone: only the rule's author or an admin may.
    bot.client.block_action(
        MUTE, button_value(post, MUTE), user_id="U0TOM", channel_id="C0KPI", message=post
    )
    bot.settle()
    refusal = bot.sandbox.calls("response_url")[-1].params
    assert "Only the alert's author (<@U0MARIA>) or an admin can mute it" in markup(refusal)
    [rule] = _rules(engine)
    assert rule.muted_until is None
    bot.client.block_action(
        MUTE, button_value(post, MUTE), user_id="U0MARIA", channel_id="C0KPI", message=post
    )
    bot.settle()
    [rule] = _rules(engine)
    assert rule.muted_by == "U0MARIA" and rule.muted_until is not None
    assert rule.muted_until - bot.services.clock() == timedelta(days=7)


def test_an_alert_judged_at_once_is_posted_without_the_apps_automatic_retries(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    """`/alert add` hands the check the app's client, which repeats a post on a 5xx by itself;
    a post may have landed when Slack answers 5xx, so the alert's delivery makes one call and
    leaves the rest to its own retry (after looking for the post in the channel)."""
    bot.sandbox.fail("chat.postMessage", "internal_error", status=500, times=5)
    added = bot.say("/alert add orders below 100000").text
    assert "saved" in added and "It fires" not in added
    assert len(bot.sandbox.calls("chat.postMessage")) == 1
    [firing] = _firings(engine)
    assert firing.status == RunStatus.RETRYING


def test_explicit_rules_drop_and_threshold(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    added = bot.say("/alert add gmv category:Personal Care drop 30% vs last week").text
    assert "Alert 2 saved" in added and "It fires" not in added
    # Orders are always below 100,000: judged at once, the rule fires on the latest day.
    added = bot.say("/alert add orders below 100000").text
    assert "Alert 3 saved" in added and "It fires on the latest complete day" in added
    assert "Alert 4 saved" in bot.say("/alert add gmv rise 50% vs 7-day average").text
    listed = bot.say("/alert list").text
    assert "drop 30% vs the same weekday last week" in listed
    assert "below 100,000" in listed
    assert "rise 50% vs the trailing 7-day average" in listed
    [post] = alert_posts(bot)
    orders = int(only(data, LAST)["orders"].sum())
    assert f"*Orders · all categories* is at *{orders:,}* on {LAST:%a %d %b %Y}" in markup(post)
    assert "below the threshold (100,000)" in markup(post)
    # The next day: still below, so quiet; nothing else moved.
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, build(day, day))
    morning_after(bot, day)
    assert check(bot).fired == []
    assert len(alert_posts(bot)) == 1
    day_after = day + timedelta(days=1)
    frame = build(day_after, day_after)
    for seller in ("Seller 07", "Seller 09"):  # in Personal Care: about 40% of its GMV gone
        frame = cut(frame, day_after, seller, 0.1)
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, day_after)
    check(bot)
    [_, drop] = alert_posts(bot)
    assert "*GMV · Personal Care* fell to" in markup(drop)
    assert "below " + f"{day_after - timedelta(days=7):%a %d %b}" in markup(drop)
    assert "sellers:* Seller 09 −$" in markup(drop) and "· Seller 07 −$" in markup(drop)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("/alert add gvm", "I don't know the metric `gvm`. Did you mean `gmv`"),
        ("/alert add gmv category:Kitchen", "I don't know the category `Kitchen`"),
        ("/alert add gmv category:Home & Livin", "Did you mean `category:Home &amp; Living`?"),
        ("/alert add gmv seller:Casa Grand", "Did you mean `seller:Casa Grande`?"),
        ("/alert add gmv drop 150%", "cannot drop by 150%"),
        ("/alert add gmv below -5", "below zero is impossible"),
        ("/alert add gmv drop 30% rise 50%", "contradict each other"),
        ("/alert add gmv category:Home & Living seller:Casa Grande", "not both"),
        ("/alert add gmv sometimes", "I don't understand the rule"),
        ("/alert add live share above 150%", "up to 100%"),
        ("/alert add gmv #random", "I'm not in #random yet: type `/invite @shopbot` there"),
        ("/alert add gmv #nowhere", "I can't find the channel #nowhere"),
        ("/alert remove 9", "There is no alert 9"),
        ("/alert mute 1 forever", "Mute for a number of days"),
    ],
)
def test_bad_input_is_answered_and_nothing_is_saved(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame, typed: str, answer: str
) -> None:
    seen = bot.say(typed)
    assert answer in seen.reply["text"], seen.text
    assert seen.reply.get("response_type", "ephemeral") == "ephemeral"
    assert len(_rules(engine)) == 1 and _rules(engine)[0].muted_until is None


def test_at_most_fifty_rules_per_workspace(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    for n in range(MAX_RULES - 1):
        assert "saved" in bot.say(f"/alert add orders above {1_000_000 + n}").text
    seen = bot.say("/alert add gmv drop 20%")
    assert f"has {MAX_RULES} alert rules" in seen.text
    assert len(_rules(engine)) == MAX_RULES
    assert "Removed" in bot.say("/alert remove 50").text
    assert "Alert 51 saved" in bot.say("/alert add gmv drop 20%").text


def test_a_number_names_one_rule_for_good(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    """A rule's number never changes and is never given again: a posted alert, its Mute
    button and its chart still name the same rule after another one is removed."""
    added = bot.say("/alert add gmv category:Personal Care drop 30% vs last week").text
    assert "Alert 2 saved" in added
    added = bot.say("/alert add orders below 100000").text
    assert "Alert 3 saved" in added and "It fires on the latest complete day" in added
    [post] = alert_posts(bot)
    assert "_Alert 3: below 100,000" in markup(post)
    assert button_value(post, MUTE) == "3"
    [chart] = bot.sandbox.files.values()
    assert chart.filename == f"alert-3-{LAST:%Y-%m-%d}.png"
    assert "Removed alert 2 (GMV · Personal Care" in bot.say("/alert remove 2").text
    # Typed from the post after the removal: still the orders rule.
    assert "Muted Orders · all categories" in bot.say("/alert mute 3 2d").text
    muted = {r.metric: r.muted_until for r in _rules(engine)}
    assert muted["gmv"] is None and muted["orders"] is not None
    listed = bot.say("/alert list").text
    assert "1. GMV · all categories" in listed and "\n3. Orders · all categories" in listed
    assert "2. " not in listed
    assert "Alert 2 was removed by @maria" in bot.say("/alert mute 2").text
    # Pressed on the post: the same rule again.
    bot.client.block_action(MUTE, "3", user_id="U0MARIA", channel_id="C0KPI", message=post)
    bot.settle()
    [orders] = [r for r in _rules(engine) if r.metric == "orders" and r.deleted_at is None]
    assert orders.muted_until is not None and orders.muted_by == "U0MARIA"
    assert orders.muted_until - bot.services.clock() == timedelta(days=7)
    # New rules follow on, even after the newest is removed (SQLite would reuse its row id).
    assert "Alert 4 saved" in bot.say("/alert add orders above 1000000").text
    assert "Removed" in bot.say("/alert remove 4").text
    assert "Alert 5 saved" in bot.say("/alert add orders above 1000000").text
    assert sorted(r.number for r in _rules(engine) if r.deleted_at is None) == [1, 3, 5]


def test_an_exact_duplicate_is_answered_with_the_rule_that_exists(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    seen = bot.say("/alert add gmv")
    assert "Alert 1 already does this: GMV · all categories" in seen.text
    assert "Nothing new was saved" in seen.text and len(_rules(engine)) == 1
    assert "Alert 2 saved" in bot.say("/alert add gmv category:Personal Care drop 30%").text
    # Spelled differently, asking the same: the same rule.
    seen = bot.say("/alert add GMV category:personal care drop 30% vs last week")
    assert "Alert 2 already does this" in seen.text
    # Another threshold is another rule.
    assert "Alert 3 saved" in bot.say("/alert add gmv category:Personal Care drop 31%").text
    assert sorted(r.number for r in _rules(engine)) == [1, 2, 3]


def test_alert_help_documents_the_rules_and_the_maths(bot: OfflineBot) -> None:
    seen = bot.say("/alert help")
    for words in (
        "median absolute deviation",
        "complete",
        "drop N%",
        "below X",
        "once per rule and day",
    ):
        assert words.lower() in seen.text.lower(), words
    assert "/alert — " in bot.say("/shopbot help").text  # listed with every command


def test_an_import_that_completes_a_day_checks_the_alerts(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    morning_after(bot, day)
    late = only(cut(build(day, day), day, BIG, keep=0.15), day, BIG)
    bot.client.file_share("U0MARIA", "kpi-others.csv", to_csv(without(build(day, day), day, BIG)))
    bot.settle()
    assert alert_posts(bot) == []  # the day is not complete: Casa Grande's file is late
    bot.client.file_share("U0MARIA", "kpi-casa.csv", to_csv(late))
    bot.settle()
    [post] = alert_posts(bot)
    assert "Casa Grande" in markup(post)


def test_the_scheduler_checks_alerts_for_late_data(bot: OfflineBot) -> None:
    scheduler = build_scheduler(bot.services)
    assert scheduler.get_job("digest-tick") is not None  # the one delivery run…
    assert ALERTS in bot.services.features.scheduled_posts  # …checks alerts
    assert ALERTS.every == timedelta(minutes=30)
    refresh = scheduler.get_job("home-refresh")
    assert refresh is not None and refresh.trigger.interval == timedelta(minutes=1)


def test_the_demos_planted_drop_fires_the_default_rule(bot: OfflineBot, engine: Engine) -> None:
    today = date(2026, 11, 30)
    seed_demo(engine, team_id=bot.sandbox.team_id, today=today)
    morning_after(bot, today - timedelta(days=1))
    seen = bot.say("/alert add gmv category:Kitchenware")
    assert "It fires on the latest complete day" in seen.text
    [post] = alert_posts(bot)
    shops = {escape(s.name) for s in plan_sellers() if s.key in dropping_sellers()}
    named = markup(post).partition("Explained mostly by sellers:*")[2]
    assert sum(name in named for name in shops) == 3  # the three shown are planted ones
    assert "*GMV · Kitchenware* fell to" in markup(post)
    # The workspace as a whole is judged too, and is within its usual range.
    assert "It fires" not in bot.say("/alert add gmv").text


def test_a_seller_rule_judges_that_sellers_own_figures(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    assert (
        "Alert 2 saved" in bot.say("/alert add gmv seller:casa grande drop 50% vs last week").text
    )
    day = LAST + timedelta(days=1)
    frame = cut(build(day, day), day, BIG, keep=0.4)
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, day)
    check(bot)
    [text] = [markup(p) for p in alert_posts(bot) if f"*GMV · {BIG}*" in markup(p)]
    big = cents(only(frame, day, BIG)["gmv"])
    before = cents(only(data, day - timedelta(days=7), BIG)["gmv"])
    assert f"*GMV · {BIG}* fell to *${big / 100:,.2f}*" in text
    assert (
        f"{round((1 - Decimal(big) / before) * 100)}% below {day - timedelta(days=7):%a %d %b}"
        in text
    )
    assert "Explained mostly" not in text  # one seller: nothing to split


def test_a_post_slack_fails_is_retried_later_and_a_refused_channel_is_not(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)
    bot.sandbox.fail("chat.postMessage", "internal_error", status=500)
    assert check(bot).failed == 1
    [firing] = _firings(engine)
    assert firing.status == "retrying" and alert_posts(bot) == []
    assert check(bot).fired == []  # not due yet, and never claimed twice
    later = bot.services.clock() + timedelta(minutes=6)
    bot.services.clock = lambda: later
    assert len(check(bot).fired) == 1
    assert len(alert_posts(bot)) == 1 and _firings(engine)[0].status == "posted"
    # The bot is removed from the channel: the next alert fails for good, and says why.
    bot.sandbox.fail("chat.postMessage", "not_in_channel")
    next_day = day + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(next_day, next_day), next_day, BIG, keep=0.15))
    load(engine, bot.sandbox.team_id, cut(build(next_day, next_day), next_day, None, keep=0.5))
    morning_after(bot, next_day)
    assert check(bot).failed == 1
    failed = _firings(engine)[-1]
    assert failed.status == "failed" and failed.error == "not_in_channel"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the checker catches it)."""


def test_an_alert_cut_off_after_slack_posted_it_is_not_posted_again(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)

    def killed(*_args: object, **_kwargs: object) -> bool:
        raise Crash  # chat.postMessage has answered; the post is not recorded yet

    with monkeypatch.context() as patched:
        patched.setattr(deliveries, "mark_posted", killed)
        with pytest.raises(Crash):
            checker(bot, "killed").check()
    [firing] = _firings(engine)
    [posted] = alert_posts(bot)
    assert firing.status == "posting" and firing.message_ts is None
    moment = bot.services.clock()
    bot.services.clock = lambda: moment + timedelta(minutes=5)
    assert check(bot, "survivor").fired == []  # its lease still runs
    bot.services.clock = lambda: moment + timedelta(minutes=11)
    assert check(bot, "survivor").fired == [firing.id]  # taken over: found in the channel
    assert alert_posts(bot) == [posted]
    assert len(bot.sandbox.calls("conversations.history")) == 1
    [firing] = _firings(engine)
    assert (firing.status, firing.message_ts, firing.attempts) == ("posted", posted["ts"], 2)
    assert [(h.worker, h.outcome) for h in history(engine, bot.sandbox.team_id)] == [
        ("survivor", "posted"),
        ("killed", "abandoned"),
    ]


# A checker process that is SIGKILLed at the worst moment: Slack has answered its
# chat.postMessage, and the post is not recorded yet.
KILLED_CHECKER = """
import os, signal, sys
from datetime import datetime
from bot.alerts.check import AlertChecker
from bot.services import slack_client
from bot.services import slack_client
from bot.services import build_services, pin_workspace
from bot.settings import load_settings
from storage.delivery import posts as deliveries

def killed(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

deliveries.mark_posted = killed
settings = load_settings(env_file=None)
services = build_services(settings)
moment = datetime.fromisoformat(sys.argv[1])
services.clock = lambda: moment
pin_workspace(services, slack_client(settings, retries=False))
AlertChecker(services, name="killed").check()
"""


def test_an_alert_whose_process_is_killed_after_posting_is_not_posted_again(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame, tmp_path: Path
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    morning_after(bot, day)
    moment = bot.services.clock()
    env = clean_env(
        SLACK_BOT_TOKEN=bot.sandbox.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=bot.sandbox.api_url,
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SHOPBOT_TIMEZONE="Europe/Berlin",
    )
    child = subprocess.run(
        [sys.executable, "-c", KILLED_CHECKER, moment.isoformat()],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    [posted] = alert_posts(bot)
    [firing] = _firings(engine)
    assert firing.status == "posting" and firing.message_ts is None
    bot.services.clock = lambda: moment + timedelta(minutes=11)  # past the lease
    assert check(bot, "survivor").fired == [firing.id]
    assert alert_posts(bot) == [posted]
    [firing] = _firings(engine)
    assert (firing.status, firing.message_ts, firing.claimed_by) == (
        "posted",
        posted["ts"],
        "survivor",
    )
