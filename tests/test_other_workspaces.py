"""One signing secret, two workspaces: a request from a workspace the bot token does not belong
to is refused before anything acts on it, with an answer wherever one can be given."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.review.monthly import post_due_reports
from bot.scheduler import remind
from devkit.offline import OfflineBot
from devkit.sandbox import SlackRequestClient
from devkit.sandbox.payloads import Surface
from storage.alerts.models import AlertFiring, AlertRule
from storage.creators.models import Creator
from storage.db import transaction
from storage.delivery.models import DigestRun, RunStatus, Subscription, SubscriptionKind
from storage.feedback.models import FeedbackNote
from storage.matchmaking.models import Outreach, OutreachStageChange
from storage.models import ImportBatch, ProcessedSlackEvent
from storage.reviews.models import LivestreamReview, ReviewReportPost
from storage.sellers.models import Seller
from tests.alert_data import BIG, LAST, alert_posts, build, check, cut, load, morning_after
from tests.digest_support import import_kpis, runner, subscribe
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
from tests.match_support import add_creator, add_seller
from tests.review_support import review_now, seed
from tests.slack_support import READS_OF_WHO_ASKS, button_value, markup

OTHER = "T0ELSEWHERE"
OURS = "T0SANDBOX"  # the sandbox's workspace, where the bot token is installed
EARLY = datetime(2026, 1, 1, tzinfo=UTC)
LATER = NOW + timedelta(days=25)  # Monday 28 Dec 2026, 09:30 in Berlin: everything is due
SHEET = (
    "date,seller_id,seller_name,category,gmv,orders\n"
    '2026-11-10,S900,Möbelhaus Zürich,Home & Living,"1,250.50",12\n'
)
NOT_INSTALLED = "This app is not installed in this workspace"


def acted_on_by_slack(bot: OfflineBot) -> list[str]:
    """The Web API methods the app called, beyond asking Slack who its token is."""
    bot.settle()
    return [
        c.method
        for c in bot.sandbox.calls()
        if c.method not in {"auth.test", "response_url", *READS_OF_WHO_ASKS}
    ]


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
    assert rows(engine, Subscription) == []
    assert f"refused a /digest from workspace {OTHER}" in caplog.text
    assert bot.sandbox.team_id in caplog.text

    # The token's own workspace is served as before.
    assert "now gets the weekly digest" in bot.say("/digest subscribe")
    assert len(rows(engine, Subscription)) == 1


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


# ---- one workspace identity: every team a request names must be the installed one ----------
#
# Bolt reads a request's workspace from `view.app_installed_team_id`, then `team.id`, then
# `authorizations[0].team_id`, then `team_id`. Listeners used to read other fields, so a
# payload naming this workspace in the first and another in the next acted on the other one.


def hand_over(engine: Engine, *tables: type[SQLModel]) -> None:
    """What this workspace made, moved to OTHER: another workspace's rows in the same database."""
    with transaction(engine) as session:
        for table in tables:
            session.execute(update(table).values(team_id=OTHER))  # type: ignore[arg-type]


def naming_other(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with another team in `team.id`, and this workspace where Bolt looks first."""
    view = {**(payload.get("view") or {}), "app_installed_team_id": OURS}
    return {**payload, "team": {"id": OTHER, "domain": "elsewhere"}, "view": view}


def refused_at_response_url(bot: OfflineBot) -> None:
    assert NOT_INSTALLED in markup(answers(bot, 1)[-1])


def test_a_review_of_another_team_is_not_deleted_by_a_button_naming_both(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, OURS)
    review_now(bot, ids["Casa Bonita"], user="U0MARIA")
    card = bot.say("/review show 1").reply
    hand_over(engine, LivestreamReview)  # review 1 is now the other workspace's
    payload = bot.client.payloads.block_action("review_delete", button_value(card, "review_delete"))
    assert bot.client.interaction(naming_other(payload)).status == 200
    refused_at_response_url(bot)
    [review] = rows(engine, LivestreamReview)
    assert (review.team_id, review.deleted_at) == (OTHER, None)


def test_an_outreach_pair_of_another_team_is_not_moved(bot: OfflineBot, engine: Engine) -> None:
    seller = add_seller(engine, OURS, "Ökoladen Küche & Co", "Kitchenware")
    creator = add_creator(engine, OURS, "maria.makes")
    reply = bot.say("/match Ökoladen Küche & Co 10", user_id="U0TOM").reply
    assert f"{creator}:{seller}" in str(reply["blocks"])
    click(bot, "match_start_outreach", f"{creator}:{seller}", user="U0TOM")
    started = answers(bot, 1)[-1]
    hand_over(engine, Outreach, OutreachStageChange, Seller, Creator)
    value = button_value(started, "match_stage_next_1")
    payload = bot.client.payloads.block_action("match_stage_next_1", value, user_id="U0TOM")
    assert bot.client.interaction(naming_other(payload)).status == 200
    refused_at_response_url(bot)
    assert [(p.team_id, p.stage) for p in rows(engine, Outreach)] == [(OTHER, "contacted")]
    assert len(rows(engine, OutreachStageChange)) == 1


FORGED_NOTE_FORMS = {
    "team.id, Bolt reading view.app_installed_team_id": lambda p: naming_other(p),
    "view.team_id": lambda p: {**p, "view": {**p["view"], "team_id": OTHER}},
    "view.app_installed_team_id": lambda p: {
        **p,
        "view": {**p["view"], "app_installed_team_id": OTHER},
    },
    "user.team_id": lambda p: {**p, "user": {**p["user"], "team_id": OTHER}},
    "private_metadata": lambda p: {
        **p,
        "view": {**p["view"], "private_metadata": json.dumps({"team_id": OTHER})},
    },
}


@pytest.mark.parametrize("forged", FORGED_NOTE_FORMS.values(), ids=FORGED_NOTE_FORMS.keys())
def test_a_note_form_naming_another_team_anywhere_saves_nothing(
    bot: OfflineBot, engine: Engine, forged: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    bot.say("/feedback")
    view = last_view(bot)
    assert (view["team_id"], view["app_installed_team_id"]) == (OURS, OURS)  # Slack's shape
    payload = bot.client.payloads.view_submission(view, note_values(handle="lena.kocht"))
    response = bot.client.interaction(forged(payload))
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    assert NOT_INSTALLED in markup(answer["view"])
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []

    # The same form, as Slack sends it, is saved in this workspace.
    assert submit(bot, view, note_values(handle="lena.kocht")).body == ""
    assert [(n.team_id, n.text) for n in rows(engine, FeedbackNote)] == [(OURS, "Loves the lamp")]


def test_the_home_subscribe_form_naming_another_team_subscribes_nothing(
    bot: OfflineBot, engine: Engine
) -> None:
    bot.client.block_action("home_subscribe")
    view = last_view(bot)
    chosen = {"channel": {"channel": {"type": "conversations_select"}}}
    chosen["channel"]["channel"]["selected_conversation"] = "C0KPI"
    payload = bot.client.payloads.view_submission(view, chosen)
    response = bot.client.interaction(naming_other(payload))
    assert NOT_INSTALLED in markup(response.json()["view"])
    bot.settle()
    assert rows(engine, Subscription) == []
    assert acted_on_by_slack(bot) == ["views.open"]


def test_an_event_whose_team_id_is_not_its_authorizations_imports_and_shows_nothing(
    bot: OfflineBot, engine: Engine
) -> None:
    shared = bot.sandbox.user_upload("U0MARIA", "Umsätze KW46.csv", SHEET.encode())
    envelope = bot.client.payloads.event_callback(bot.client.file_share_event("U0MARIA", [shared]))
    assert envelope["authorizations"][0]["team_id"] == OURS  # Slack's shape
    envelope["team_id"] = OTHER  # as Slack sends it from a shared channel
    assert bot.client.post(json.dumps(envelope), "application/json").status == 200
    opened = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}
    home = bot.client.payloads.event_callback(opened)
    home["team_id"] = OTHER
    assert bot.client.post(json.dumps(home), "application/json").status == 200
    assert acted_on_by_slack(bot) == []
    assert rows(engine, ImportBatch) == [] and rows(engine, ProcessedSlackEvent) == []


def test_a_shortcut_from_another_team_opens_nothing(bot: OfflineBot) -> None:
    message = {"type": "message", "user": "U0TOM", "text": "@maria.makes großartig", "ts": "1.2"}
    other = bot.client.from_team(OTHER)
    assert other.message_shortcut("save_creator_feedback", message).status == 200
    payload = bot.client.payloads.message_shortcut("save_creator_feedback", message)
    assert bot.client.interaction(naming_other(payload)).status == 200
    assert [NOT_INSTALLED in markup(a) for a in answers(bot, 2)] == [True, True]
    assert acted_on_by_slack(bot) == []


def test_a_type_ahead_naming_another_team_lists_none_of_its_creators(
    bot: OfflineBot, engine: Engine
) -> None:
    with transaction(engine) as session:
        session.add(Creator(team_id=OTHER, handle="maria.geheim", display_name="Maria Geheim"))
        session.add(Creator(team_id=OURS, handle="maria.makes", display_name="María López"))
    bot.say("/feedback")
    view = last_view(bot)

    def suggested(client: SlackRequestClient, payload: dict[str, Any]) -> list[str]:
        response = client.interaction(payload)
        assert response.status == 200
        return [o["value"] for o in response.json()["options"]]

    modal = Surface("modal", view=view)
    asked = bot.client.payloads.block_suggestion(modal, "creator", "feedback_creator", "maria")
    assert suggested(bot.client, naming_other(asked)) == []
    other = bot.client.from_team(OTHER)
    assert (
        suggested(
            other,
            other.payloads.block_suggestion(modal, "creator", "feedback_creator", "maria"),
        )
        == []
    )
    assert "maria.makes" in suggested(bot.client, asked)  # as Slack sends it: this workspace's


def test_scheduled_work_posts_nothing_for_another_workspaces_rows(
    bot: OfflineBot, engine: Engine
) -> None:
    # Another workspace's digest subscription, monthly review report, follow-up and outreach
    # reminder, all due, in this workspace's channel and for its people.
    subscribe(engine, "C0KPI")
    with transaction(engine) as session:
        session.add(
            Subscription(
                team_id=OURS,
                kind=SubscriptionKind.MONTHLY_REVIEW_REPORT,
                channel_id="C0KPI",
                created_by="U0TOM",
                active_since=EARLY,
            )
        )
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "", user_id="U0TOM")
    submit(bot, last_view(bot), note_values(follow_up=LATER.date()), user="U0TOM")
    seller = add_seller(engine, OURS, "Ökoladen Küche & Co", "Kitchenware")
    creator = add_creator(engine, OURS, "nora.cooks")
    bot.say("/match Ökoladen Küche & Co 10", user_id="U0TOM")
    click(bot, "match_start_outreach", f"{creator}:{seller}", user="U0TOM")
    bot.settle()
    hand_over(
        engine,
        Subscription,
        FeedbackNote,
        Outreach,
        OutreachStageChange,
        Seller,
        Creator,
    )
    import_kpis(engine, OTHER)
    bot.sandbox.reset_calls()

    set_clock(bot, LATER)
    assert runner(bot.services, bot.sandbox).tick().claimed == 0
    assert post_due_reports(bot.services) == 0
    assert remind(bot.services, bot.app.client) == 0
    assert remind(bot.services, bot.app.client) == 0
    assert acted_on_by_slack(bot) == []
    assert rows(engine, DigestRun) == [] and rows(engine, ReviewReportPost) == []

    # This workspace's own subscription, on the same database, is posted.
    import_kpis(engine, OURS)
    subscribe(engine, "C0KPI")
    assert runner(bot.services, bot.sandbox).tick().outcomes == {RunStatus.POSTED: 1}
    assert [r.team_id for r in rows(engine, DigestRun)] == [OURS]


def test_the_alert_check_posts_nothing_for_another_workspaces_rule(
    bot: OfflineBot, engine: Engine
) -> None:
    load(engine, OTHER, build())
    assert "Alert 1 saved" in bot.say("/alert add gmv").text
    hand_over(engine, AlertRule)
    day = LAST + timedelta(days=1)
    load(engine, OTHER, cut(build(day, day), day, BIG, keep=0.15))  # its GMV fell by 85%
    morning_after(bot, day)
    bot.sandbox.reset_calls()
    assert check(bot).fired == []
    assert alert_posts(bot) == [] and acted_on_by_slack(bot) == []
    assert rows(engine, AlertFiring) == []
