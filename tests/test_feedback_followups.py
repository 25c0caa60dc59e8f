"""Follow-ups (issue 3, point 6): a DM to the author on the follow-up morning in the team's time
zone, with the note and a Done button, exactly once across runs and processes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.scheduler import remind
from bot.services import Services, pin_workspace, slack_client
from bot.shared.delivery.reminders import Reminder
from bot.shared.follow_ups import ReminderSource, send_reminders
from devkit.offline import OfflineBot
from storage.delivery import posts as deliveries
from storage.delivery.models import ReminderPost
from storage.feedback.models import FeedbackNote
from tests.feedback_support import (
    NOW,
    answers,
    click,
    last_view,
    note_values,
    rows,
    set_clock,
    submit,
)
from tests.slack_support import markup

DUE = date(2026, 12, 7)  # a Monday
BEFORE_NINE = datetime(2026, 12, 7, 7, 55, tzinfo=UTC)  # 08:55 in Berlin
AFTER_NINE = datetime(2026, 12, 7, 8, 5, tzinfo=UTC)  # 09:05 in Berlin


def _note_with_follow_up(bot: OfflineBot, user: str = "U0TOM") -> None:
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "", user_id=user)
    values = note_values(text="Chase the <!channel> sample video", follow_up=DUE)
    submit(bot, last_view(bot), values, user=user)
    answers(bot, 1)


def _remind(bot: OfflineBot, moment: datetime) -> int:
    set_clock(bot, moment)
    return remind(bot.services, slack_client(bot.settings, retries=False))


def test_the_author_gets_a_dm_on_the_follow_up_morning(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    assert _remind(bot, datetime(2026, 12, 6, 9, 0, tzinfo=UTC)) == 0  # the day before
    assert _remind(bot, BEFORE_NINE) == 0  # not yet morning in Berlin
    assert bot.sandbox.calls("conversations.open") == []

    assert _remind(bot, AFTER_NINE) == 1
    [opened] = bot.sandbox.calls("conversations.open")
    assert opened.params["users"] == "U0TOM"
    [posted] = bot.sandbox.calls("chat.postMessage")
    assert posted.params["channel"] == "D0TOM"
    dm = bot.sandbox.messages["D0TOM"][0]
    shown = markup(dm)
    assert "Follow-up due 7 Dec 2026* with *@maria.makes*" in shown
    assert "Chase the &lt;!channel&gt; sample video" in shown and "<!channel>" not in shown
    assert "feedback_follow_up_done" in str(dm["blocks"])
    assert rows(engine, FeedbackNote)[0].follow_up_reminded_at == AFTER_NINE


def test_a_reminder_is_sent_once_across_runs_and_processes(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    set_clock(bot, AFTER_NINE)
    second = Services(
        settings=bot.services.settings,
        engine=engine,
        clock=bot.services.clock,
        features=bot.services.features,
    )
    pin_workspace(second, bot.app.client)  # what the second process does at its start
    sent: list[int] = []
    runs = [
        threading.Thread(target=lambda s=s: sent.append(remind(s, bot.app.client)))
        for s in (bot.services, second, bot.services, second)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sorted(sent) == [0, 0, 0, 1]
    assert _remind(bot, datetime(2026, 12, 7, 15, 0, tzinfo=UTC)) == 0  # after a restart
    assert len(bot.sandbox.calls("chat.postMessage")) == 1


def test_done_in_the_dm_closes_the_follow_up(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    _remind(bot, AFTER_NINE)
    dm = bot.sandbox.messages["D0TOM"][0]
    click(bot, "feedback_follow_up_done", "1", user="U0TOM", channel="D0TOM", message=dm)
    answers(bot, 2)
    assert rows(engine, FeedbackNote)[0].follow_up_done_at == AFTER_NINE
    [updated] = bot.sandbox.messages["D0TOM"]
    assert updated.get("edited") is True
    assert "Follow-up with *@maria.makes* done on 7 Dec 2026" in markup(updated)
    assert "feedback_follow_up_done" not in str(updated["blocks"])
    mine = bot.say("/feedback mine", user_id="U0TOM").text
    assert "No open follow-ups" in mine


def test_only_the_author_or_an_admin_closes_a_follow_up(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    click(bot, "feedback_follow_up_done_1", "1", user="U0PRIYA")
    assert "Only the note's author (<@U0TOM>) or an admin" in markup(answers(bot, 2)[-1])
    assert rows(engine, FeedbackNote)[0].follow_up_done_at is None
    click(bot, "feedback_follow_up_done_1", "1", user="U0MARIA")
    answers(bot, 3)
    assert rows(engine, FeedbackNote)[0].follow_up_done_at is not None


def test_overdue_follow_ups_appear_in_mine(bot: OfflineBot) -> None:
    _note_with_follow_up(bot)
    set_clock(bot, datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    shown = bot.say("/feedback mine", user_id="U0TOM").text
    assert "Open follow-ups (1 overdue)" in shown
    assert "⏰ follow-up 7 Dec 2026 (overdue)" in shown


def test_a_failed_dm_is_retried_and_a_gone_user_is_not(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    bot.sandbox.rate_limit("chat.postMessage", retry_after=600)  # Slack asks for ten minutes
    assert _remind(bot, AFTER_NINE) == 0
    [post] = rows(engine, ReminderPost)
    assert post.status == "retrying" and bot.sandbox.messages["D0TOM"] == []
    assert _remind(bot, AFTER_NINE + timedelta(minutes=5)) == 0  # not before Slack asked
    assert _remind(bot, AFTER_NINE + timedelta(minutes=10)) == 1
    assert len(bot.sandbox.messages["D0TOM"]) == 1

    _note_with_follow_up(bot, user="U0GONE")
    assert _remind(bot, AFTER_NINE) == 0  # conversations.open: user_not_found
    gone = rows(engine, FeedbackNote)[1]
    assert gone.follow_up_reminded_at is not None  # not retried every ten minutes
    assert rows(engine, ReminderPost)[1].status == "failed"
    assert _remind(bot, AFTER_NINE) == 0
    assert len(bot.sandbox.calls("conversations.open")) == 3


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the delivery catches it)."""


def test_a_reminder_whose_worker_died_after_its_claim_is_sent_once_after_all(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _note_with_follow_up(bot)

    def killed(*_args: object, **_kwargs: object) -> None:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(WebClient, "chat_postMessage", killed)
        with pytest.raises(Crash):
            _remind(bot, AFTER_NINE)
    assert bot.sandbox.messages["D0TOM"] == []
    assert _remind(bot, AFTER_NINE + timedelta(minutes=5)) == 0  # its lease still runs
    assert _remind(bot, AFTER_NINE + timedelta(minutes=11)) == 1  # taken over
    assert len(bot.sandbox.messages["D0TOM"]) == 1
    assert _remind(bot, AFTER_NINE + timedelta(hours=2)) == 0
    assert len(bot.sandbox.messages["D0TOM"]) == 1


def test_a_reminder_cut_off_after_slack_sent_it_is_not_sent_again(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _note_with_follow_up(bot)
    bot.sandbox.clock = lambda: bot.services.clock().timestamp()  # Slack's time is the bot's
    pinned = len(bot.sandbox.calls("auth.test"))  # the app's start pinned the workspace

    def killed(*_args: object, **_kwargs: object) -> bool:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(deliveries, "mark_posted", killed)
        with pytest.raises(Crash):
            _remind(bot, AFTER_NINE)
    [dm] = bot.sandbox.messages["D0TOM"]
    assert _remind(bot, AFTER_NINE + timedelta(minutes=11)) == 1  # found in the DM
    assert bot.sandbox.messages["D0TOM"] == [dm]
    assert _remind(bot, AFTER_NINE + timedelta(minutes=30)) == 0
    # The look in the DM knew the bot's user from the start: no auth.test per run.
    assert len(bot.sandbox.calls("auth.test")) == pinned
    [post] = rows(engine, ReminderPost)
    assert (post.status, post.message_ts) == ("posted", dm["ts"])


def test_deleted_and_done_notes_are_not_reminded(bot: OfflineBot, engine: Engine) -> None:
    _note_with_follow_up(bot)
    click(bot, "feedback_delete_note", "1", user="U0TOM")
    answers(bot, 2)
    assert _remind(bot, AFTER_NINE) == 0
    assert bot.sandbox.calls("chat.postMessage") == []


def test_the_scheduler_has_the_feedback_jobs(bot: OfflineBot) -> None:
    from bot.scheduler import build_scheduler

    scheduler = build_scheduler(bot.services)
    ids = {job.id for job in scheduler.get_jobs()}
    assert {"feedback-follow-ups", "feedback-purge-deleted"} <= ids


def test_a_kind_of_reminder_that_fails_leaves_the_others_to_remind(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    _note_with_follow_up(bot)

    def broken(*_args: object) -> list[Reminder]:
        raise RuntimeError("the outreach table is away")

    first = ReminderSource("broken", broken, lambda *_args: False)
    set_clock(bot, AFTER_NINE)
    client = slack_client(bot.settings, retries=False)
    sources = (first, *bot.services.features.follow_ups)
    assert send_reminders(bot.services, sources, client) == 1
    assert len(bot.sandbox.messages["D0TOM"]) == 1
    assert "sending broken reminders failed" in caplog.text


def test_a_reminder_is_written_in_its_readers_language(bot: OfflineBot) -> None:
    """The workspace writes English; Tom's Slack is German, so his DM is German (and Maria's,
    in English, stays English)."""
    bot.sandbox.users["U0TOM"].locale = "de-DE"
    _note_with_follow_up(bot, user="U0TOM")
    _note_with_follow_up(bot, user="U0MARIA")
    assert _remind(bot, AFTER_NINE) == 2
    tom, maria = (
        markup(bot.sandbox.messages["D0TOM"][0]),
        markup(bot.sandbox.messages["D0MARIA"][0]),
    )
    assert "07.12.2026" in tom and "Follow-up due" not in tom and "Dec" not in tom
    assert "Follow-up due 7 Dec 2026* with *@maria.makes*" in maria
