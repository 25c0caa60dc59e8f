"""A slash command that posts, uploads or sends does so once per use, however often its signed
request is delivered (a retry, a replay); typed again, it is a new use and runs again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy.engine import Engine

from bot.shared.commands import request_key
from devkit.offline import OfflineBot
from storage.columns import utc_now
from storage.events import claim_event
from tests.digest_support import import_kpis, posts, subscribe, travel
from tests.test_digest_commands import TUESDAY

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def data(bot: OfflineBot, engine: Engine) -> None:
    import_kpis(engine)
    travel(bot, TUESDAY)
    subscribe(engine, "C0KPI")


def deliver(bot: OfflineBot, body: str, times: int) -> None:
    for _ in range(times):
        assert bot.client.post(body, FORM).status == 200
    bot.settle()


def answers(bot: OfflineBot) -> list[dict[str, Any]]:
    return [c.params for c in bot.sandbox.calls("response_url")]


def test_a_digest_send_delivered_three_times_posts_once(bot: OfflineBot) -> None:
    body = bot.client.slash_command_body("/digest", "send", user_id="U0MARIA")
    deliver(bot, body, 3)
    assert len(posts(bot.sandbox, "C0KPI")) == 1
    [answer] = answers(bot)  # the repeats are not answered "already sent" either
    assert answer["text"] == "• <#C0KPI>: posted"


def test_a_chart_delivered_twice_is_uploaded_once(bot: OfflineBot) -> None:
    body = bot.client.slash_command_body("/kpi", "chart gmv week")
    deliver(bot, body, 2)
    assert len(bot.sandbox.calls("files.completeUploadExternal")) == 1


def test_the_same_command_typed_again_runs_again(bot: OfflineBot) -> None:
    for _ in range(2):
        deliver(bot, bot.client.slash_command_body("/kpi", "chart gmv week"), 1)
    assert len(bot.sandbox.calls("files.completeUploadExternal")) == 2


def test_a_request_cut_off_mid_work_is_done_by_its_next_delivery(
    bot: OfflineBot, engine: Engine
) -> None:
    """The first delivery's worker went quiet before its work was done (on another host, its
    lease run out): the next delivery takes the claim over and uploads the chart, once."""
    body = bot.client.slash_command_body("/kpi", "chart gmv week")
    trigger_id = parse_qs(body)["trigger_id"][0]
    key = f"slash:{request_key(trigger_id)}"
    an_hour_ago = utc_now() - timedelta(hours=1)
    quiet = claim_event(engine, bot.sandbox.team_id, key, worker="elsewhere:1:x", now=an_hour_ago)
    assert quiet is not None
    deliver(bot, body, 2)
    assert len(bot.sandbox.calls("files.completeUploadExternal")) == 1
