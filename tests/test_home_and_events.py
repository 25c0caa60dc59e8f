"""The App Home tab, and Slack's event redelivery: each event's work done once, and done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import BoltContext
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.imports import shared_files
from bot.services import system_clock
from bot.shared.effects import Effects
from devkit.offline import OfflineBot
from handlers.answers import acknowledge
from handlers.events import event_work
from storage.db import transaction
from storage.events import (
    LEASE,
    claim_event,
    finish_event,
    give_up_event,
    kept,
    prune_processed_events,
    this_worker,
)
from storage.models import ImportBatch, ProcessedSlackEvent
from storage.sellers.models import Seller
from tests.slack_support import markup

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


def test_opening_home_publishes_status_and_commands(bot: OfflineBot, engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Seller(
                team_id=bot.sandbox.team_id, seller_key="S1", name="Casa", category="Home & Living"
            )
        )
    assert bot.client.event(HOME_OPENED).status == 200
    bot.settle()
    [publish] = bot.sandbox.calls("views.publish")
    assert publish.ok
    assert publish.params["user_id"] == "U0TOM"
    home = bot.sandbox.home_views["U0TOM"]
    shown = markup(home)
    assert "*Sellers:* 1 in 1 category" in shown
    assert "/shopbot status" in shown


def test_the_messages_tab_publishes_nothing(bot: OfflineBot) -> None:
    assert bot.client.event({**HOME_OPENED, "tab": "messages"}).status == 200
    bot.settle()
    assert bot.sandbox.calls("views.publish") == []


def test_a_redelivered_event_is_handled_once(bot: OfflineBot) -> None:
    assert bot.client.event(HOME_OPENED, event_id="Ev0SAME").status == 200
    bot.settle()
    assert len(bot.sandbox.calls("views.publish")) == 1
    redelivered = bot.client.event(HOME_OPENED, event_id="Ev0SAME", retry_num=1)
    assert redelivered.status == 200
    bot.settle()
    assert len(bot.sandbox.calls("views.publish")) == 1


def test_event_claims_are_per_workspace_and_pruned(engine: Engine) -> None:
    assert claim_event(engine, "T1", "Ev1")
    assert not claim_event(engine, "T1", "Ev1")
    assert claim_event(engine, "T2", "Ev1")
    assert prune_processed_events(engine, "T1", system_clock()) == 1  # T2's are its own
    assert not claim_event(engine, "T2", "Ev1")
    assert prune_processed_events(engine, "T2", system_clock()) == 1
    assert claim_event(engine, "T1", "Ev1")
    with transaction(engine) as session:
        assert len(session.exec(select(ProcessedSlackEvent)).all()) == 1
    # What the workspace's requests made is forgotten with them.
    effects = Effects(engine, "T1", "Ev1")
    assert effects.once("dm", lambda: "1.0001") == "1.0001"
    assert effects.once("dm", lambda: "made twice") == "1.0001"
    prune_processed_events(engine, "T1", system_clock() + timedelta(seconds=1))
    assert effects.once("dm", lambda: "1.0002") == "1.0002"


def _claims(engine: Engine) -> list[tuple[str, bool]]:
    """(event_id, finished) of every claim."""
    with transaction(engine) as session:
        found = session.exec(select(ProcessedSlackEvent).order_by(ProcessedSlackEvent.id)).all()
        return [(e.event_id, e.finished_at is not None) for e in found]


class Interrupted(BaseException):
    """The work stops before it is done, as when the process is killed."""


def test_an_event_whose_work_failed_is_done_when_slack_delivers_it_again(
    bot: OfflineBot, engine: Engine
) -> None:
    done: list[str] = []

    @event_work
    def flaky(event: dict[str, Any], context: BoltContext) -> None:
        if not done:
            done.append("failed")
            raise RuntimeError("the work stopped half way")
        done.append(event["reaction"])

    bot.app.event("reaction_added")(ack=acknowledge, lazy=[flaky])  # as the app's own events
    reaction = {"type": "reaction_added", "user": "U0TOM", "reaction": "eyes"}
    assert bot.client.event(reaction, event_id="Ev0FLAKY").status == 200
    bot.settle()
    assert done == ["failed"] and _claims(engine) == []

    assert bot.client.event(reaction, event_id="Ev0FLAKY", retry_num=1).status == 200
    bot.settle()
    assert done == ["failed", "eyes"]
    assert _claims(engine) == [("Ev0FLAKY", True)]

    assert bot.client.event(reaction, event_id="Ev0FLAKY", retry_num=2).status == 200
    bot.settle()
    assert done == ["failed", "eyes"]


def test_a_file_import_cut_off_is_imported_when_redelivered(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = shared_files.import_file
    calls: list[str] = []

    def cut_off_once(*args: Any, **kwargs: Any) -> Any:
        calls.append("import")
        if len(calls) == 1:
            raise Interrupted
        return real_import(*args, **kwargs)

    monkeypatch.setattr(shared_files, "import_file", cut_off_once)
    sheet = b"date,seller_id,gmv,orders\n2026-11-10,S900,1250.50,12\n"
    shared = bot.sandbox.user_upload("U0MARIA", "kpi.csv", sheet)
    event = bot.client.file_share_event("U0MARIA", [shared])
    assert bot.client.event(event, event_id="Ev0CUT").status == 200
    bot.settle()
    assert bot.sandbox.calls("chat.postMessage") == []
    assert _claims(engine) == []

    assert bot.client.event(event, event_id="Ev0CUT", retry_num=1).status == 200
    bot.settle()
    [reply] = bot.sandbox.calls("chat.postMessage")
    assert "Imported 1 row (kpi-sheet)" in reply.params["text"]
    assert _claims(engine) == [("Ev0CUT", True)]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ImportBatch)).scalar_one() == 1


def test_work_longer_than_a_lease_keeps_its_claim_while_it_runs(engine: Engine) -> None:
    elsewhere = "replica-2.internal:4242:0badcafe"
    started = system_clock() - LEASE  # the work began a whole lease ago
    claim = claim_event(engine, "T1", "EvLong", worker=elsewhere, now=started)
    assert claim is not None
    with kept(engine, claim, every=timedelta(milliseconds=20)):
        time.sleep(0.2)
        # Still at work: its lease was renewed, so a redelivery does not take it over.
        assert claim_event(engine, "T1", "EvLong") is None
    # Once the work stops renewing, the lease runs out again, and the event is taken over.
    assert claim_event(engine, "T1", "EvLong", now=system_clock() + LEASE * 1.5) is not None


def test_a_claim_is_taken_over_only_when_its_worker_is_gone_or_its_lease_ran_out(
    engine: Engine,
) -> None:
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    elsewhere = "replica-2.internal:4242:0badcafe"
    assert claim_event(engine, "T1", "Ev1", worker=elsewhere, now=now)
    # A worker on another host is taken at its word until its lease runs out …
    assert claim_event(engine, "T1", "Ev1", now=now + LEASE - timedelta(seconds=1)) is None
    later = now + LEASE + timedelta(seconds=1)
    taken = claim_event(engine, "T1", "Ev1", now=later)
    assert taken is not None and taken.worker == this_worker()
    # … and the worker that holds it now is not gone: its work is running.
    assert claim_event(engine, "T1", "Ev1", worker="another:1:x", now=later) is None
    finish_event(engine, taken)
    assert claim_event(engine, "T1", "Ev1", now=later + 10 * LEASE) is None

    # A process of this host that has ended, or an earlier start of this process's id.
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host = socket.gethostname()
    for gone in (f"{host}:{ended.pid}:1234abcd", f"{host}:{os.getpid()}:earlier"):
        event_id = f"Ev-{gone}"[:64]
        assert claim_event(engine, "T1", event_id, worker=gone, now=now)
        assert claim_event(engine, "T1", event_id, now=now + timedelta(seconds=1))

    # Work given up is claimed afresh at once; by its own worker only.
    mine = claim_event(engine, "T1", "Ev2", now=now)
    assert mine is not None
    give_up_event(engine, mine)
    assert claim_event(engine, "T1", "Ev2", worker="another:1:x", now=now)
    give_up_event(engine, mine)
    assert claim_event(engine, "T1", "Ev2", now=now) is None


def test_an_event_listener_must_take_the_context() -> None:
    with pytest.raises(TypeError, match="must take `context`"):
        event_work(lambda event: None)
