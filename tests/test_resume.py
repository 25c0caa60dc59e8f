"""Work a restart cut off is done again: the app acknowledges first and works after, and Slack
delivers neither an acknowledged event nor a slash command again, so the request kept with its
claim is dispatched anew (bot.resume), once, by one replica."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.resume import kept_request, resume_cut_off_work
from bot.shared.commands import request_key
from devkit.offline import OfflineBot
from storage.columns import utc_now
from storage.effects import EffectKey, start_effect
from storage.events import (
    LEASE,
    ClaimLost,
    EventClaim,
    claim_event,
    finish_event,
    finished_with_work,
    renew_event,
    take_cut_off,
)
from storage.models import SideEffect
from tests.digest_support import import_kpis, travel
from tests.test_digest_commands import TUESDAY

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


@pytest.fixture(autouse=True)
def data(bot: OfflineBot, engine: Engine) -> None:
    import_kpis(engine)
    travel(bot, TUESDAY)


@pytest.fixture(scope="module")
def gone_worker() -> str:
    """A worker of this host whose process has ended."""
    import socket

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return f"{socket.gethostname()}:{ended.pid}:cafe0001"


def resume(bot: OfflineBot) -> int:
    resumed = resume_cut_off_work(bot.app, bot.services, bot.settings.slack_signing_secret.reveal())
    bot.settle()
    return resumed


def slash_cut_off(bot: OfflineBot, engine: Engine, worker: str, text: str) -> dict[str, Any]:
    """A slow slash command whose worker stopped after the acknowledgement: its claim and
    request as the app kept them, and nothing done."""
    body = dict(parse_qsl(bot.client.slash_command_body("/kpi", text)))
    key = f"slash:{request_key(body['trigger_id'])}"
    team = bot.sandbox.team_id
    claim = claim_event(engine, team, key, worker=worker, request=kept_request(body, form=True))
    assert claim is not None
    return body


def test_a_slash_command_cut_off_is_done_and_answered_once(
    bot: OfflineBot, engine: Engine, gone_worker: str
) -> None:
    slash_cut_off(bot, engine, gone_worker, "chart gmv week")
    assert resume(bot) == 1
    uploads = [c for c in bot.sandbox.calls("files.completeUploadExternal") if c.ok]
    [answer] = bot.sandbox.calls("response_url")
    assert len(uploads) == 1 and "Posted GMV" in answer.params["text"]
    assert resume(bot) == 0  # done: nothing left to resume
    assert len(bot.sandbox.calls("files.completeUploadExternal")) == 1


def test_an_event_cut_off_is_done_once(bot: OfflineBot, engine: Engine, gone_worker: str) -> None:
    envelope = bot.client.payloads.event_callback(HOME_OPENED, event_id="Ev0CUT")
    claim_event(
        engine,
        bot.sandbox.team_id,
        "Ev0CUT",
        worker=gone_worker,
        request=kept_request(envelope, form=False),
    )
    assert resume(bot) == 1
    assert [c.params["user_id"] for c in bot.sandbox.calls("views.publish")] == ["U0TOM"]
    assert resume(bot) == 0


def test_work_still_running_or_done_is_not_resumed(bot: OfflineBot, engine: Engine) -> None:
    slash_cut_off(bot, engine, "", "chart gmv week")  # this process, at work right now
    elsewhere = "replica-2.internal:4242:0badcafe"
    slash_cut_off(bot, engine, elsewhere, "chart orders week")  # another host, within its lease
    finished = claim_event(engine, bot.sandbox.team_id, "Ev0DONE", request={"json": {}})
    assert finished is not None
    finish_event(engine, finished)
    assert resume(bot) == 0
    assert bot.sandbox.calls("files.completeUploadExternal") == []
    # Once their leases have run out without being renewed, both are resumed.
    later = utc_now() + LEASE + timedelta(seconds=1)
    taken = sorted(
        cut.request["form"]["text"] for cut in take_cut_off(engine, bot.sandbox.team_id, now=later)
    )
    assert taken == ["chart gmv week", "chart orders week"]


def test_two_replicas_resuming_at_once_resume_each_request_once(
    bot: OfflineBot, engine: Engine, gone_worker: str
) -> None:
    for text in ("chart gmv week", "chart orders week", "chart aov week"):
        slash_cut_off(bot, engine, gone_worker, text)
    handed: list[list[Any]] = []
    replicas = [
        threading.Thread(target=lambda: handed.append(take_cut_off(engine, bot.sandbox.team_id)))
        for _ in "ab"
    ]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join()
    texts = sorted(cut.request["form"]["text"] for batch in handed for cut in batch)
    assert texts == ["chart aov week", "chart gmv week", "chart orders week"]


def test_the_kept_request_leaves_the_verification_token_out(bot: OfflineBot) -> None:
    body = dict(parse_qsl(bot.client.slash_command_body("/kpi", "today")))
    assert "token" in body and "token" not in kept_request(body, form=True)["form"]


def test_an_event_no_listener_handles_is_not_resumed_again_and_again(
    bot: OfflineBot, engine: Engine, gone_worker: str
) -> None:
    reaction = {"type": "reaction_added", "user": "U0TOM", "reaction": "tada"}
    envelope = bot.client.payloads.event_callback(reaction, event_id="Ev0NOBODY")
    team = bot.sandbox.team_id
    claim_event(
        engine, team, "Ev0NOBODY", worker=gone_worker, request=kept_request(envelope, False)
    )
    assert resume(bot) == 1
    later = utc_now() + LEASE + timedelta(seconds=1)
    assert (
        take_cut_off(engine, bot.sandbox.team_id, now=later) == []
    )  # done with: not handed out again


def test_a_lapsed_try_taken_over_by_its_own_process_cannot_write_or_finish(
    engine: Engine,
) -> None:
    """A lease that lapsed (SQLite busy, say) is taken over by this same process's resume,
    under the same worker name: the first try is told apart by its try count, so it can
    neither renew the claim nor write its work; only the try that holds the claim writes."""
    team, started = "T1", utc_now() - LEASE - timedelta(seconds=5)
    first = claim_event(engine, team, "Ev0LAPSED", request={"json": {}}, now=started)
    [cut] = take_cut_off(engine, team)
    second = cut.claim
    assert first is not None and second is not None and first.worker == second.worker

    def write(claim: EventClaim, name: str) -> None:
        with finished_with_work(engine, claim):
            start_effect(engine, EffectKey(team, "Ev0LAPSED", name), utc_now())

    assert not renew_event(engine, first)
    with pytest.raises(ClaimLost):
        write(first, "by the first try")
    assert renew_event(engine, second)
    write(second, "by the second try")
    write(second, "by the second try, its next write")
    finish_event(engine, first)
    with pytest.raises(ClaimLost):
        write(first, "by the first try, late")
    with Session(engine) as session:
        made = [row.effect for row in session.exec(select(SideEffect)).all()]
    assert made == ["by the second try", "by the second try, its next write"]
