"""Resumed work, pushed: the app killed (SIGKILL) in the middle of a request is started again
and resumes it, without making again what it had made (bot.shared.effects); a request that kills its
worker every time is dropped after the last try, and the person is told; imports take turns
and the one that waits says so."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.alerts import manage
from bot.digest.runner import DigestRunner
from bot.resume import ResumeSettings, kept_request, resume_cut_off_work
from devkit.offline import OfflineBot
from devkit.sandbox import SlackSandbox
from storage.alerts.models import AlertRule
from storage.db import exclusive_transaction, transaction
from storage.events import claim_event
from storage.models import ImportBatch, ProcessedSlackEvent, SideEffect
from tests.alert_data import BIG, LAST, alert_posts, build, cut, load, morning_after
from tests.app_process import app_process, kill
from tests.digest_support import import_kpis, posts, travel
from tests.feedback_support import NOW as FEEDBACK_NOW
from tests.feedback_support import set_clock
from tests.kpi_data import to_csv
from tests.review_support import STREAM, seed, stored_review
from tests.slack_support import share_at_once
from tests.test_digest_commands import TUESDAY
from tests.test_home_and_events import Interrupted

STARTED_WITHIN = 60.0  # seconds for the app to start, or to resume what was cut off


def wait_until_in_flight(sandbox: SlackSandbox, method: str, count: int) -> None:
    """Until `count` calls of `method` are being answered at once (earlier ones, slowed down,
    still count)."""
    deadline = time.monotonic() + STARTED_WITHIN
    while sandbox.in_flight().count(method) < count:
        assert time.monotonic() < deadline, f"no {method} call #{count}: {sandbox.in_flight()}"
        time.sleep(0.05)


def files_in(sandbox: SlackSandbox, channel: str, prefix: str) -> list[str]:
    return [
        f["name"]
        for m in sandbox.messages[channel]
        for f in m.get("files") or []
        if str(f["name"]).startswith(prefix)
    ]


def reviews(engine: Engine, team_id: str) -> None:
    ids = seed(engine, team_id)
    for hours, hook in [(0, 4), (26, 2)]:
        start = STREAM - timedelta(hours=hours)
        stored_review(engine, team_id, ids["Casa Bonita"], start, hook=hook)


def test_a_review_export_killed_after_its_upload_is_resumed_and_not_uploaded_again(
    sandbox: SlackSandbox, engine: Engine, tmp_path: Path
) -> None:
    """The workbook landed in the DM, but the process was killed before it heard so: the
    restarted app resumes the export, finds the workbook in the DM and answers, once."""
    reviews(engine, sandbox.team_id)
    logs = tmp_path / "shopbot.log"
    sandbox.delay("files.completeUploadExternal", 120, done=True)  # done, answered late
    with app_process(sandbox, engine, logs.parent, logs=logs) as (process, client):
        assert client.slash_command("/review", "export").status == 200
        landed = time.monotonic() + STARTED_WITHIN
        while not files_in(sandbox, "D0MARIA", "livestream-reviews-"):  # Slack has it…
            assert time.monotonic() < landed, "the upload did not land"
            time.sleep(0.02)
        assert "files.completeUploadExternal" in sandbox.in_flight()  # …the app not yet
        kill(process)
    assert sandbox.calls("response_url") == []  # not answered: cut off

    with app_process(sandbox, engine, logs.parent, logs=logs):
        [answer] = sandbox.wait_for("response_url", timeout=STARTED_WITHIN)
    assert "Sent you 2 reviews as an Excel workbook by DM" in answer.params["text"]
    assert len(files_in(sandbox, "D0MARIA", "livestream-reviews-")) == 1, logs.read_text()
    assert len(sandbox.calls("files.getUploadURLExternal")) == 1  # no second upload begun
    with Session(engine) as session:
        [effect] = session.exec(select(SideEffect)).all()
        [claim] = session.exec(select(ProcessedSlackEvent)).all()
    assert effect.effect == "dm upload" and effect.result is not None
    assert claim.finished_at is not None and claim.tries == 2


def test_a_request_that_kills_its_worker_every_time_is_dropped_after_the_last_try(
    sandbox: SlackSandbox, engine: Engine, tmp_path: Path
) -> None:
    """Each start of the work is killed mid-way (as a file that takes the process over its
    memory would kill it): tried three times (SHOPBOT_RESUME_TRIES), then dropped, and the
    person told at the response URL what to do, instead of killing every restart."""
    reviews(engine, sandbox.team_id)
    logs = tmp_path / "shopbot.log"
    sandbox.delay("users.info", 300, times=10)  # the export looks up the reviewers' names
    for start in range(1, 4):
        with app_process(sandbox, engine, logs.parent, logs=logs) as (process, client):
            if start == 1:
                assert client.slash_command("/review", "export").status == 200
            wait_until_in_flight(sandbox, "users.info", start)  # try `start` is at work
            kill(process)
        with Session(engine) as session:
            [claim] = session.exec(select(ProcessedSlackEvent)).all()
        assert claim.tries == start and claim.finished_at is None

    with app_process(sandbox, engine, logs.parent, logs=logs) as (process, _):
        [told] = sandbox.wait_for("response_url", timeout=STARTED_WITHIN)
        time.sleep(1)  # nothing else follows
        assert sandbox.in_flight().count("users.info") == 3, "a fourth try was started"
    assert told.status == 200
    assert told.params["text"] == (
        ":warning: `/review export` stopped 3 times before it was done, so I've dropped it: "
        "try again in a few minutes, and tell an admin if it stops again."
    )
    assert sandbox.calls("files.getUploadURLExternal") == []
    with Session(engine) as session:
        [claim] = session.exec(select(ProcessedSlackEvent)).all()
    assert claim.finished_at is not None and claim.request is None
    assert "dropped" in logs.read_text()


def _resume(bot: OfflineBot) -> int:
    resumed = resume_cut_off_work(bot.app, bot.services, bot.settings.slack_signing_secret.reveal())
    bot.settle()
    return resumed


def _as_cut_off(engine: Engine, gone_worker: str) -> None:
    """The unfinished claims, as a process that has ended left them."""
    with transaction(engine) as session:
        table = ProcessedSlackEvent.__table__  # type: ignore[attr-defined]
        session.execute(
            update(table).where(table.c.finished_at.is_(None)).values(worker=gone_worker)
        )


@pytest.fixture(scope="module")
def gone_worker() -> str:
    """A worker of this host whose process has ended."""
    import socket

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return f"{socket.gethostname()}:{ended.pid}:cafe0001"


def test_an_alert_add_cut_off_after_its_rule_is_resumed_with_that_rule_and_posts_once(
    bot: OfflineBot, engine: Engine, gone_worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/alert add` saved its rule, then was cut off before judging the day: resumed, it
    finds the rule it saved (no second rule, and not "already does this"), and the alert on
    the planted drop is posted once."""
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, build())
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))  # a drop
    morning_after(bot, day)
    real_checker = manage.AlertChecker

    class CutOffChecker(real_checker):  # type: ignore[misc, valid-type]
        def check(self, *args: Any, **kwargs: Any) -> Any:
            raise Interrupted

    monkeypatch.setattr(manage, "AlertChecker", CutOffChecker)
    bot.client.slash_command("/alert", "add gmv")
    bot.settle()
    assert bot.sandbox.calls("response_url") == [] and alert_posts(bot) == []
    monkeypatch.setattr(manage, "AlertChecker", real_checker)
    _as_cut_off(engine, gone_worker)

    assert _resume(bot) == 1
    [answer] = bot.sandbox.calls("response_url")
    assert "Alert 1 saved" in answer.params["text"], answer.params["text"]
    assert "It fires on the latest complete day" in answer.params["text"]
    with Session(engine) as session:
        assert len(session.exec(select(AlertRule)).all()) == 1
    assert len(alert_posts(bot)) == 1
    assert _resume(bot) == 0


def test_two_imports_at_once_the_second_is_queued_and_told_and_both_finish(
    bot: OfflineBot, engine: Engine
) -> None:
    """Imports take turns (SHOPBOT_IMPORTS_AT_ONCE, 1 by default): while one is at work (held
    here at the workspace's import lock, as a long import holds it), a second file shared at
    the same moment waits, and its sender is told so; both are imported once it is free."""
    team = bot.sandbox.team_id
    sheets = [
        to_csv(build(day, day)) for day in (datetime(2026, 11, 2).date(), LAST)
    ]  # two days of the KPI sheet, one file each
    with exclusive_transaction(engine, f"import:{team}"):
        share_at_once(bot, [(f"kpi-{n}.csv", sheet) for n, sheet in enumerate(sheets)], "Ev0IMP")
        [queued] = bot.sandbox.wait_for("chat.postMessage", timeout=30)
        assert queued.params["text"] == (
            ":hourglass_flowing_sand: Another import is running; yours starts when it ends."
        )
    bot.settle(timeout=60)
    answers = [c.params["text"] for c in bot.sandbox.calls("chat.postMessage")[1:]]
    assert len(answers) == 2 and all("Imported" in a for a in answers), answers
    with Session(engine) as session:
        assert len(session.exec(select(ImportBatch)).all()) == 2


def test_a_digest_send_cut_off_after_its_post_is_resumed_minutes_later_and_not_posted_again(
    bot: OfflineBot, engine: Engine, gone_worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/digest send` runs are keyed by the minute: resumed in a later minute, the request
    finds the run it claimed rather than claiming (and posting) another."""
    import_kpis(engine)
    clock = travel(bot, TUESDAY)
    assert "#general" in bot.say("/digest subscribe #general").text
    real_send_now = DigestRunner.send_now

    def posted_then_cut_off(self: DigestRunner, *args: Any, **kwargs: Any) -> Any:
        real_send_now(self, *args, **kwargs)
        raise Interrupted

    monkeypatch.setattr(DigestRunner, "send_now", posted_then_cut_off)
    bot.client.slash_command("/digest", "send #general")
    bot.settle()
    assert len(posts(bot.sandbox, "C0GENERAL")) == 1
    monkeypatch.setattr(DigestRunner, "send_now", real_send_now)
    _as_cut_off(engine, gone_worker)
    clock.advance(minutes=3)

    assert _resume(bot) == 1
    [answer] = [c for c in bot.sandbox.calls("response_url") if "posted" in c.params["text"]]
    assert answer.params["text"] == "• <#C0GENERAL>: posted"
    assert len(posts(bot.sandbox, "C0GENERAL")) == 1


def test_a_shared_file_cut_off_at_its_last_try_is_dropped_and_its_sender_told_by_dm(
    bot: OfflineBot, engine: Engine, gone_worker: str
) -> None:
    """A file whose import kills the process was resumed at every start, and killed every
    restart: cut off at its last try, it is dropped, and the person who shared it is told
    what to do in the DM."""
    sheet = b"date,seller_id,gmv,orders\n2026-11-10,S900,1250.50,12\n"
    shared = bot.sandbox.user_upload("U0TOM", "huge-kpi.xlsx", sheet)
    event = bot.client.file_share_event("U0TOM", [shared])
    envelope = bot.client.payloads.event_callback(event, event_id="Ev0POISON")
    request = kept_request(envelope, form=False)
    claim = claim_event(
        engine, bot.sandbox.team_id, "Ev0POISON", worker=gone_worker, request=request
    )
    assert claim is not None
    with transaction(engine) as session:
        table = ProcessedSlackEvent.__table__  # type: ignore[attr-defined]
        session.execute(
            update(table).values(tries=bot.settings.section(ResumeSettings).resume_tries)
        )

    assert _resume(bot) == 1
    [told] = bot.sandbox.calls("chat.postMessage")
    assert told.params["channel"] == "D0TOM"
    assert told.params["text"] == (
        ":warning: Importing huge-kpi.xlsx stopped the app 3 times, so I've dropped it: split "
        "the file into smaller parts (by date range) and share those."
    )
    with Session(engine) as session:
        assert session.exec(select(ImportBatch)).all() == []
    assert _resume(bot) == 0  # dropped for good


def test_an_import_cut_off_right_after_its_answer_is_done_again_and_not_answered_again(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer to a shared file is a reply in the file's thread, and Slack's channel
    history leaves thread replies out: cut off after the answer landed but before it was
    recorded, the import done again finds it in the thread (conversations.replies) and does
    not answer a second time."""
    from bot.shared import effects

    real_made = effects.effect_made

    def landed_then_cut_off(engine: Engine, key: Any, result: str) -> None:
        if key.effect.endswith("answer"):
            raise Interrupted
        real_made(engine, key, result)

    sheet = to_csv(build(LAST, LAST))
    shared = bot.sandbox.user_upload("U0MARIA", "kpi.csv", sheet)
    monkeypatch.setattr(effects, "effect_made", landed_then_cut_off)
    event = bot.client.file_share_event("U0MARIA", [shared])
    bot.client.event(event, event_id="Ev0ANSWER")
    bot.settle()
    [answer] = bot.sandbox.calls("chat.postMessage")
    assert "Imported" in answer.params["text"] and answer.params["thread_ts"]
    monkeypatch.setattr(effects, "effect_made", real_made)

    bot.client.event(event, event_id="Ev0ANSWER", retry_num=1)  # Slack sends it again
    bot.settle()
    answers = [m for m in bot.sandbox.messages["D0MARIA"] if "Imported" in m["text"]]
    assert len(answers) == 1, answers
    assert bot.sandbox.conversations_history({"channel": "D0MARIA"})["messages"] == []


def test_a_report_cut_off_before_its_chart_is_not_taken_for_an_earlier_one_of_the_same_name(
    bot: OfflineBot, engine: Engine, gone_worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `/feedback report`s by the same person within a minute, the second cut off after it
    started its upload and before Slack had it: resumed, it does not take the first report's
    chart (same day, same name) for its own, and uploads its chart."""
    from bot.shared import effects
    from tests.test_feedback_reports import _seed

    _seed(engine, bot.sandbox.team_id)
    set_clock(bot, FEEDBACK_NOW)
    bot.client.slash_command("/feedback", "report")
    bot.settle()
    real_start = effects.start_effect

    def started_then_cut_off(*args: Any, **kwargs: Any) -> None:
        real_start(*args, **kwargs)
        raise Interrupted

    monkeypatch.setattr(effects, "start_effect", started_then_cut_off)
    bot.client.slash_command("/feedback", "report")
    bot.settle()
    monkeypatch.setattr(effects, "start_effect", real_start)
    _as_cut_off(engine, gone_worker)

    assert _resume(bot) == 1
    charts = files_in(bot.sandbox, "C0KPI", "feedback-")
    assert len(charts) == 2 and charts[0] != charts[1], charts
    assert all(re.fullmatch(r"feedback-\d{4}-\d\d-\d\d-[0-9a-f]{6}\.png", c) for c in charts)


def test_a_preview_cut_off_before_its_dm_is_not_taken_for_an_earlier_preview(
    bot: OfflineBot, engine: Engine, gone_worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `/digest preview`s by the same person within a minute, the second cut off before
    its DM was sent: resumed, it does not take the first preview's DM for its own."""
    from bot.shared import effects

    import_kpis(engine)
    travel(bot, TUESDAY)
    bot.client.slash_command("/digest", "preview", user_id="U0PRIYA")
    bot.settle()
    real_start = effects.start_effect

    def started_then_cut_off(*args: Any, **kwargs: Any) -> None:
        real_start(*args, **kwargs)
        raise Interrupted

    monkeypatch.setattr(effects, "start_effect", started_then_cut_off)
    bot.client.slash_command("/digest", "preview", user_id="U0PRIYA")
    bot.settle()
    monkeypatch.setattr(effects, "start_effect", real_start)
    _as_cut_off(engine, gone_worker)

    assert _resume(bot) == 1
    dms = bot.sandbox.messages[bot.sandbox.dm_channel("U0PRIYA")]
    assert [len(dm["files"]) for dm in dms] == [2, 2]
