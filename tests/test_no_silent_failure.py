"""No silent failure: on every surface, an internal error is answered with a short apology whose
reference is also in the log, and a refusal names what is missing."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

import bot.feedback.note_form as note_form
import bot.home.tab as home
import bot.imports.shared_files as shared_files
import handlers.feedback.actions
import handlers.home.listeners
import handlers.imports.listeners
import handlers.kpi.commands
import handlers.slash
from bot.sellers.card import EDIT_SELLER, SELLER_CHART
from bot.sellers.reminders import SELLER_FOLLOW_UP_DONE
from devkit.offline import OfflineBot
from storage.feedback import notes as feedback
from tests.feedback_support import answers, click, last_view, note, note_values, submit
from tests.slack_support import answers_sent, markup

REFERENCE = re.compile(r"Sorry, something went wrong on our side\. Reference: `([0-9a-f]{8})`")

# A file whose kind is known (it is admitted), for an import that then fails.
KPI_HEADER = b"date,seller_id,gmv,orders\n"


def broken(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("the database caught fire")


def apology_reference(shown: str, caplog: pytest.LogCaptureFixture) -> str:
    """The reference in the apology, checked to be the one logged with the failure."""
    match = REFERENCE.search(shown)
    assert match, shown
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(match.group(1) in r.getMessage() and r.exc_info for r in logged), logged
    assert "caught fire" not in shown  # internals stay in the log
    return match.group(1)


def test_a_slash_command(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.kpi.commands, "kpi_snapshot_reply", broken)
    reply = bot.client.slash_command("/kpi", "today").json()
    assert reply["response_type"] == "ephemeral"
    apology_reference(markup(reply), caplog)


def test_a_slow_slash_command_answers_after_its_acknowledgement(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.kpi.commands, "kpi_trend_chart", broken)
    seen = bot.say("/kpi chart gmv")
    assert seen.response.body == ""  # acknowledged first
    assert answers_sent(seen.calls) == ["response_url"]
    apology_reference(markup(seen.reply), caplog)


@pytest.mark.parametrize(
    ("typed", "answered_in"),
    [("today", "the acknowledgement"), ("chart gmv", "a response URL post")],
)
def test_a_failure_outside_a_commands_own_guard(
    bot: OfflineBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    typed: str,
    answered_in: str,
) -> None:
    """The last resort: a quick command's apology is its acknowledgement; a slow one's, after
    the acknowledgement, goes to the response URL."""
    monkeypatch.setattr(handlers.slash, "_request", broken)
    seen = bot.say(f"/kpi {typed}")
    assert seen.response.status == 200
    posted = answers_sent(seen.calls)
    assert posted == ([] if answered_in == "the acknowledgement" else ["response_url"])
    apology_reference(markup(seen.reply), caplog)


def test_a_button(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    note(bot, "@maria.makes loved the lamp")
    monkeypatch.setattr(feedback, "delete_note", broken)
    click(bot, "feedback_delete_note", "1")
    (answer,) = answers(bot, 1)
    apology_reference(markup(answer), caplog)


def test_a_modal_submission(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot.client.slash_command("/feedback", "")
    view = last_view(bot)
    monkeypatch.setattr(feedback, "save_notes", broken)
    assert submit(bot, view, note_values()).body == ""  # the modal closes
    (answer,) = answers(bot, 1)
    apology_reference(markup(answer), caplog)


def test_a_message_shortcut(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(note_form, "find_creator", broken)
    message = {"ts": "1700000000.000100", "text": "@maria.makes loved it", "user": "U0TOM"}
    bot.client.message_shortcut("save_creator_feedback", message)
    (answer,) = answers(bot, 1)
    apology_reference(markup(answer), caplog)


def test_a_file_shared_in_a_dm(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(shared_files, "import_file", broken)
    response, _ = bot.client.file_share("U0MARIA", "kpi.csv", KPI_HEADER)
    assert response.status == 200
    (post,) = bot.sandbox.wait_for("chat.postMessage")
    assert post.params["channel"] == "D0MARIA"
    apology_reference(markup(post.params), caplog)


def test_a_failure_outside_an_events_own_guard_is_answered_by_dm(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An event has no response URL: what escapes its lazy listener is answered in the DM."""
    monkeypatch.setattr(handlers.imports.listeners, "parse_import_words", broken)
    response, _ = bot.client.file_share("U0MARIA", "kpi.csv", b"date,seller_id\n")
    assert response.status == 200
    bot.settle()
    (post,) = bot.sandbox.calls("chat.postMessage")
    assert post.params["channel"] == "D0MARIA"
    apology_reference(markup(post.params), caplog)


def test_the_import_form(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot.client.slash_command("/kpi", "import")
    view = bot.sandbox.wait_for("views.open")[0].response["view"]
    monkeypatch.setattr(shared_files, "import_file", broken)
    shared = bot.sandbox.user_upload("U0MARIA", "kpi.csv", KPI_HEADER)
    values = {"import_file": {"file": {"type": "file_input", "files": [shared]}}}
    assert bot.client.view_submission(view, values).status == 200
    (post,) = bot.sandbox.wait_for("chat.postMessage")
    apology_reference(markup(post.params), caplog)


def test_the_app_home(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(home, "home_view", broken)
    bot.client.event({"type": "app_home_opened", "user": "U0TOM", "tab": "home"})
    (published,) = bot.sandbox.wait_for("views.publish")
    assert published.ok
    apology_reference(markup(published.params["view"]), caplog)


def test_the_type_ahead_answers_with_no_options(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.feedback.actions, "suggest_creators", broken)
    payload = bot.client.payloads.interactive(
        {
            "type": "block_suggestion",
            "action_id": "feedback_creator",
            "block_id": "creator",
            "user": {"id": "U0MARIA", "team_id": bot.sandbox.team_id},
            "value": "mar",
            "view": {"id": "V1", "type": "modal", "callback_id": "feedback_note_form"},
        }
    )
    assert bot.client.interaction(payload).json() == {"options": []}
    assert any("creator type-ahead failed" in r.getMessage() for r in caplog.records)


def test_a_forged_button_for_a_creator_that_does_not_exist(bot: OfflineBot) -> None:
    click(bot, "creator_edit", "4242")
    (answer,) = answers(bot, 1)
    assert "That creator is not in this workspace's registry" in markup(answer)


def test_a_forged_button_with_a_value_slack_never_sends(bot: OfflineBot) -> None:
    click(bot, "feedback_delete_note", "1; DROP TABLE feedbacknote")
    (answer,) = answers(bot, 1)
    assert "That button does not name a note of this workspace" in markup(answer)


@pytest.mark.parametrize(
    ("action_id", "what"),
    [
        (EDIT_SELLER, "a seller"),
        (SELLER_CHART, "a seller"),
        (SELLER_FOLLOW_UP_DONE, "a seller note"),
        ("creator_edit", "a creator"),
    ],
)
def test_forged_seller_and_creator_buttons_say_what_they_do_not_name(
    bot: OfflineBot, action_id: str, what: str
) -> None:
    click(bot, action_id, "12x; Küche & <b>")
    (answer,) = answers(bot, 1)
    assert f"That button does not name {what} of this workspace" in markup(answer)
