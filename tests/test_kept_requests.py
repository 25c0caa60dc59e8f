"""Quick writes other than notes while an import writes: the request is kept on disk in the
intake (storage.feedback.intake) and answered honestly ("I've kept your request"), never "saved"
before it is; it is done once, and answered at its response URL, as soon as the database is
free, also when the app was killed (SIGKILL) right after the answer, and not a second time
when it is kept twice or found in the intake again after it was done.

PostgreSQL writers of different rows do not wait for each other: there the same request is
done at once, in the acknowledgement."""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

import handlers.creators.commands
import handlers.sellers.commands
from bot.resume import ResumeSettings, dispatch_again, replay_kept_requests, resume_cut_off_work
from devkit.offline import OfflineBot
from devkit.sandbox import SlackSandbox
from handlers.answers import KEPT_ANSWER
from storage.columns import utc_now
from storage.creators.models import Creator
from storage.db import transaction
from storage.events import EventClaim
from storage.feedback import notes
from storage.feedback.intake import intake_for, intake_path
from storage.feedback.models import FeedbackNote
from storage.feedback.notes import NoteDraft, delete_note
from storage.models import ProcessedSlackEvent
from storage.sellers import notes as seller_notes
from storage.sellers.models import SellerNote
from storage.sellers.notes import SellerNoteDraft
from storage.sellers.registry import NewSeller, add_missing_sellers
from tests.app_process import app_process, kill
from tests.feedback_support import last_view
from tests.test_creator_command import _creator_values as creator_values
from tests.test_home_and_events import Interrupted
from tests.test_note_burst import long_import_writing
from tests.test_resumed_work import _as_cut_off

SELLER_NOTE = "agreed to a LIVE on Friday"
DONE_WITHIN = 30.0  # seconds for a restarted app to do what it kept


def seed(engine: Engine, team_id: str) -> None:
    """A seller to write a note about, and note 1, deleted, to restore."""
    with transaction(engine) as session:
        add_missing_sellers(session, team_id, [NewSeller("C1", "Café Küche", "Beauty")])
    draft = NoteDraft(
        team_id=team_id,
        author_user_id="U0MARIA",
        handle="maria.makes",
        text="asked for a LIVE slot",
        topic="other",
        sentiment="neutral",
        follow_up_on=date(2026, 12, 24),
        client_key=None,
    )
    [saved] = notes.save_notes(engine, [draft], utc_now())
    delete_note(engine, team_id, saved.note.id, user_id="U0MARIA", admins=(), now=utc_now())


def done(engine: Engine, team_id: str) -> tuple[bool, int, int]:
    """(note 1 restored, seller notes saved, creators @ana.glow saved)."""
    with engine.connect() as connection:
        restored = (
            connection.execute(
                select(FeedbackNote.deleted_at).where(
                    FeedbackNote.team_id == team_id, FeedbackNote.id == 1
                )
            ).scalar_one()
            is None
        )
        seller_notes = connection.execute(
            select(func.count()).select_from(SellerNote).where(SellerNote.text == SELLER_NOTE)
        ).scalar_one()
        creators = connection.execute(
            select(func.count()).select_from(Creator).where(Creator.handle == "ana.glow")
        ).scalar_one()
    return restored, int(seller_notes), int(creators)


def kept_requests(engine: Engine) -> int:
    """How many requests the intake file holds, read without starting a drainer."""
    with closing(sqlite3.connect(str(intake_path(engine)))) as intake:
        return int(intake.execute("SELECT count(*) FROM kept_requests").fetchone()[0])


def answered(sandbox: SlackSandbox, since: int = 0) -> list[str]:
    return [c.params.get("text", "") for c in sandbox.calls("response_url")[since:]]


def wait_for(check: Any, timeout: float = DONE_WITHIN) -> None:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_requests_kept_while_an_import_writes_are_done_once_after_a_kill(
    tmp_path: Path, sandbox: SlackSandbox, engine: Engine
) -> None:
    """`/feedback restore`, `/seller note` and the creator form, sent while an import holds
    SQLite's write lock, are answered "kept"; the app is killed (SIGKILL) at once; after a
    restart each is done once and its answer reaches the person; a third start does nothing
    again."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no intake: its writes do not wait (test below)")
    team = sandbox.team_id
    seed(engine, team)
    with app_process(sandbox, engine, tmp_path, SHOPBOT_ADMINS="U0MARIA") as (process, client):
        client.slash_command("/creator", "add")
        wait_for(lambda: bool(sandbox.calls("views.open")))
        form = sandbox.calls("views.open")[-1].response["view"]
        with long_import_writing(engine):
            restore = client.slash_command("/feedback", "restore 1").json()
            note = client.slash_command("/seller", f"note C1 {SELLER_NOTE}").json()
            creator = client.view_submission(form, creator_values()).json()
            kill(process)
    assert [restore["text"], note["text"]] == [KEPT_ANSWER, KEPT_ANSWER]
    assert creator["response_action"] == "update"
    assert creator["view"]["blocks"][0]["text"]["text"] == KEPT_ANSWER
    assert answered(sandbox) == [] and done(engine, team) == (False, 0, 0)
    assert kept_requests(engine) == 3  # on disk when the person was answered

    with app_process(sandbox, engine, tmp_path, SHOPBOT_ADMINS="U0MARIA"):
        wait_for(lambda: len(answered(sandbox)) >= 3)
        time.sleep(1)  # and nothing more comes
    answers = answered(sandbox)
    assert len(answers) == 3, answers
    assert any("Restored" in a for a in answers), answers
    assert any("Saved seller note" in a for a in answers), answers
    assert any("@ana.glow" in a for a in answers), answers
    assert done(engine, team) == (True, 1, 1)
    assert kept_requests(engine) == 0

    with app_process(sandbox, engine, tmp_path, SHOPBOT_ADMINS="U0MARIA"):
        time.sleep(2)
    assert len(answered(sandbox)) == 3
    assert done(engine, team) == (True, 1, 1)


@pytest.fixture
def unkeyed_seller_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seller notes saved without their request's client key: a request done twice would
    save two, so counting the rows shows how many times it was done."""
    real_save = seller_notes.save_seller_note

    def save_unkeyed(engine: Engine, draft: SellerNoteDraft, now: datetime) -> Any:
        return real_save(engine, replace(draft, client_key=None), now)

    monkeypatch.setattr(seller_notes, "save_seller_note", save_unkeyed)


def test_a_kept_request_is_done_once_when_kept_twice_or_found_again_after_it_was_done(
    bot: OfflineBot, engine: Engine, unkeyed_seller_notes: None
) -> None:
    """The same `/seller note` kept twice (Slack delivering it again), and found in the intake
    again after it was done (a drain cut off between its claim and removing it), is done
    once and answered once: its claim (storage.events) says it was done."""
    intake = intake_for(engine)
    if intake is None:
        pytest.skip("PostgreSQL has no intake: its writes do not wait")
    team = bot.sandbox.team_id
    seed(engine, team)
    with long_import_writing(engine):
        ack = bot.client.slash_command("/seller", f"note C1 {SELLER_NOTE}").json()["text"]
        assert ack == KEPT_ANSWER
        with closing(sqlite3.connect(str(intake_path(engine)))) as file:
            [(key, request)] = file.execute("SELECT request_key, request FROM kept_requests")
        again = json.loads(request)
        intake.keep_request(team, key, again, utc_now())  # delivered again: kept once
        assert intake.requests_waiting() == 1
    assert intake.wait_until_drained(DONE_WITHIN)
    bot.settle()
    intake.keep_request(team, key, again, utc_now())  # found in the intake after it was done
    assert intake.wait_until_drained(DONE_WITHIN)
    wait_for(lambda: answered(bot.sandbox))  # the intake's thread answers when it gets to it
    bot.settle()
    [answer] = answered(bot.sandbox)
    assert "Saved seller note" in answer, answer
    assert done(engine, team)[1] == 1


def test_a_quick_write_while_an_import_writes_is_kept_on_sqlite_and_done_at_once_on_postgresql(
    bot: OfflineBot, engine: Engine
) -> None:
    """SQLite: kept and answered so, done once the import lets go. PostgreSQL: no waiting on
    another writer, so the answer is the acknowledgement itself, as before."""
    team = bot.sandbox.team_id
    seed(engine, team)
    with long_import_writing(engine):
        began = time.monotonic()
        ack = bot.client.slash_command("/seller", f"note C1 {SELLER_NOTE}").json()["text"]
        assert time.monotonic() - began < 2.0
    intake = intake_for(engine)
    if intake is None:
        assert "Saved seller note" in ack and answered(bot.sandbox) == []
    else:
        assert ack == KEPT_ANSWER
        assert intake.wait_until_drained(DONE_WITHIN)
        wait_for(lambda: answered(bot.sandbox))  # the intake's thread answers when it gets to it
        bot.settle()
        [answer] = answered(bot.sandbox)
        assert "Saved seller note" in answer
    assert done(engine, team)[1] == 1


@pytest.fixture(scope="module")
def gone_worker() -> str:
    """A worker of this host whose process has ended."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return f"{socket.gethostname()}:{ended.pid}:cafe0002"


def test_a_kept_request_stopped_right_after_its_write_is_not_done_again(
    bot: OfflineBot,
    engine: Engine,
    gone_worker: str,
    monkeypatch: pytest.MonkeyPatch,
    unkeyed_seller_notes: None,
) -> None:
    """The replay of a kept `/seller note` saves the note and stops (as a kill would) before
    it answers: its claim was finished in the same transaction as the note, so the restart
    resumes nothing and the note is not saved a second time."""
    intake = intake_for(engine)
    if intake is None:
        pytest.skip("PostgreSQL has no intake: its writes do not wait")
    team = bot.sandbox.team_id
    seed(engine, team)
    handed: list[tuple[EventClaim, dict[str, Any]]] = []
    intake.replay_with(lambda claim, request: handed.append((claim, request)))
    try:
        with long_import_writing(engine):
            bot.client.slash_command("/seller", f"note C1 {SELLER_NOTE}")
        assert intake.wait_until_drained(DONE_WITHIN)
    finally:
        replay_kept_requests(bot.app, bot.services, bot.settings.slack_signing_secret.reveal())
    [(claim, request)] = handed

    def stopped(*args: Any, **kwargs: Any) -> Any:
        raise Interrupted

    with monkeypatch.context() as stopping:
        stopping.setattr(handlers.sellers.commands, "saved_reply", stopped)
        secret = bot.settings.slack_signing_secret.reveal()
        with contextlib.suppress(Interrupted):
            dispatch_again(bot.app, bot.services, secret, claim, request)
        bot.settle()
    assert done(engine, team)[1] == 1
    _as_cut_off(engine, gone_worker)  # the process that did it has ended
    assert resume_cut_off_work(bot.app, bot.services, secret) == 0
    bot.settle()
    assert answered(bot.sandbox) == []
    assert done(engine, team)[1] == 1


def test_a_kept_form_cut_off_at_its_last_try_is_dropped_and_its_sender_told(
    bot: OfflineBot, engine: Engine, gone_worker: str
) -> None:
    """A kept submission whose replay was cut off as often as tries allow is not done again
    at every start: it is dropped and the person who submitted it told by DM."""
    intake = intake_for(engine)
    if intake is None:
        pytest.skip("PostgreSQL has no intake: its writes do not wait")
    handed: list[EventClaim] = []
    bot.client.slash_command("/creator", "add")
    form = last_view(bot)
    intake.replay_with(lambda claim, request: handed.append(claim))
    try:
        with long_import_writing(engine):
            bot.client.view_submission(form, creator_values())
        assert intake.wait_until_drained(DONE_WITHIN)
    finally:
        replay_kept_requests(bot.app, bot.services, bot.settings.slack_signing_secret.reveal())
    [claim] = handed
    with transaction(engine) as session:  # cut off at every try allowed
        table = ProcessedSlackEvent.__table__  # type: ignore[attr-defined]
        session.execute(
            update(table)
            .where(table.c.event_id == claim.event_id)
            .values(tries=bot.settings.section(ResumeSettings).resume_tries, worker=gone_worker)
        )
    secret = bot.settings.slack_signing_secret.reveal()
    assert resume_cut_off_work(bot.app, bot.services, secret) == 1
    bot.settle()
    [dm] = [c for c in bot.sandbox.calls("chat.postMessage") if c.ok]
    assert dm.params["channel"] == "D0MARIA"
    assert "The form you submitted stopped" in dm.params["text"]
    with engine.connect() as connection:
        assert list(connection.execute(select(Creator.handle)).scalars()) == []
