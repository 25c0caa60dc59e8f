"""One signing secret, two workspaces: a request from a workspace the bot token does not belong
to is refused before anything acts on it, with an answer wherever one can be given."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.engine import Engine

from bot.offline import OfflineBot
from storage.db import transaction
from storage.models import Creator, DigestSubscription, FeedbackNote, ProcessedSlackEvent
from tests.feedback_support import answers, last_view, note_values, rows
from tests.slack_support import button_value, markup

OTHER = "T0ELSEWHERE"
NOT_INSTALLED = "This app is not installed in this workspace"


def acted_on_by_slack(bot: OfflineBot) -> list[str]:
    """The Web API methods the app called, beyond asking Slack who its token is."""
    bot.settle()
    return [c.method for c in bot.sandbox.calls() if c.method not in {"auth.test", "response_url"}]


def test_a_command_from_another_workspace_is_refused(
    bot: OfflineBot, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="handlers.workspaces"):
        response = bot.client.from_team(OTHER).slash_command("/digest", "subscribe")
    assert response.status == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert NOT_INSTALLED in answer["text"]
    assert acted_on_by_slack(bot) == []
    assert rows(engine, DigestSubscription) == []
    assert f"refused a /digest from workspace {OTHER}" in caplog.text
    assert bot.sandbox.team_id in caplog.text

    # The token's own workspace is served as before.
    assert "now gets the weekly digest" in bot.say("/digest subscribe")
    assert len(rows(engine, DigestSubscription)) == 1


def test_a_button_from_another_workspace_is_refused(bot: OfflineBot, engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Creator(team_id=bot.sandbox.team_id, handle="sara.goodfinds"))
    question = bot.say("/feedback @sara.goodfind late again")
    assert "Nothing is saved yet." in question
    value = button_value(question.reply, "feedback_save_as_typed")
    other = bot.client.from_team(OTHER)
    response = other.block_action("feedback_save_as_typed", value, channel_id="C0KPI")
    assert response.status == 200
    [answer] = answers(bot, 1)
    assert NOT_INSTALLED in markup(answer)
    assert rows(engine, FeedbackNote) == []


def test_a_modal_submitted_from_another_workspace_is_refused(
    bot: OfflineBot, engine: Engine
) -> None:
    bot.say("/feedback")
    view = last_view(bot)
    response = bot.client.from_team(OTHER).view_submission(view, note_values())
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    assert NOT_INSTALLED in markup(answer["view"])
    assert rows(engine, FeedbackNote) == []


def test_an_event_from_another_workspace_is_dropped_quietly(
    bot: OfflineBot, engine: Engine
) -> None:
    opened = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}
    response = bot.client.from_team(OTHER).event(opened)
    assert (response.status, response.body) == (200, "")
    assert acted_on_by_slack(bot) == []
    assert rows(engine, ProcessedSlackEvent) == []

    assert bot.client.event(opened).status == 200
    assert acted_on_by_slack(bot) == ["views.publish"]
