"""The shell reaches what Slack reaches: a button of the last answer, a form filled in by its
fields and submitted, the App Home, and a typed @mention, each sent as Slack sends it."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from devkit.sandbox.client import SlackRequestClient
from devkit.sandbox.state import OpenModal
from devkit.shell import Shell
from storage.creators.models import Creator
from storage.feedback.models import FeedbackNote
from tests.feedback_support import NOW, rows, set_clock

LENA = "U0LENA"


@pytest.fixture
def sent(bot: OfflineBot, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every request 'Slack' sends the app, decoded: slash command forms, interactivity
    payloads and event callbacks."""
    requests: list[dict[str, Any]] = []
    post = SlackRequestClient.post

    def recording(client: SlackRequestClient, body: str, content_type: str, **kw: Any) -> Any:
        if content_type == "application/json":
            requests.append(json.loads(body))
        else:
            form = {k: v[0] for k, v in parse_qs(body).items()}
            requests.append(json.loads(form["payload"]) if "payload" in form else form)
        return post(client, body, content_type, **kw)

    monkeypatch.setattr(SlackRequestClient, "post", recording)
    bot.sandbox.add_user(LENA, "lena", "Lena Müller")
    set_clock(bot, NOW)
    return requests


def _run(bot: OfflineBot, tmp_path: Path, script: str) -> str:
    out = io.StringIO()
    Shell(bot, out, files_dir=tmp_path / "files").run(io.StringIO(script))
    return out.getvalue()


def _after(printed: str, line: str) -> str:
    """What the shell printed for `line` (up to the next prompt)."""
    return printed.split(f"shopbot> {line}\n", 1)[1].split("shopbot> ", 1)[0]


SCRIPT = """\
/feedback @nora.cooks Lämpchen 💡 & Karton kaputt, ask @lena #samples
click 1
set Note Lämpchen 💡 & Karton ersetzt <3
submit
/feedback
submit
set Creator nora.cooks
set 4 Unboxing auf Deutsch 🎉, sehr gut
set Topic Samples
set Follow up on 2026-12-10
submit
home
click Add a creator note
close
/feedback @lena loved it
"""


def test_a_conversation_presses_a_button_fills_a_form_and_opens_the_home(
    bot: OfflineBot, engine: Engine, sent: list[dict[str, Any]], tmp_path: Path
) -> None:
    printed = _run(bot, tmp_path, SCRIPT)

    # A typed command: the @mention of a colleague arrives as Slack sends it, the answer is
    # numbered, and the note keeps what was typed.
    typed = _after(printed, "/feedback @nora.cooks Lämpchen 💡 & Karton kaputt, ask @lena #samples")
    assert sent[0]["text"] == (
        f"@nora.cooks Lämpchen 💡 &amp; Karton kaputt, ask <@{LENA}|lena> #samples"
    )
    assert "Lämpchen 💡 & Karton kaputt, ask @lena" in typed
    assert "[1 Edit]  [2 Delete]" in typed

    # click 1: the block_actions payload of an ephemeral reply, and the edit form it opens.
    clicked = sent[1]
    assert clicked["type"] == "block_actions" and clicked["user"]["id"] == "U0MARIA"
    assert clicked["actions"][0]["action_id"] == "feedback_edit_note"
    assert clicked["actions"][0]["value"] == "1"
    assert clicked["container"]["type"] == "message" and clicked["container"]["is_ephemeral"]
    assert clicked["container"]["message_ts"] and "message" not in clicked
    assert clicked["response_url"] and clicked["trigger_id"] and clicked["channel"]["id"]
    edit = _after(printed, "click 1")
    assert "── modal: Edit note ──" in edit
    assert "3. Note: Lämpchen 💡 & Karton kaputt, ask @lena" in edit

    # set + submit: the view_submission carries state.values as Slack shapes them.
    edited = sent[2]
    assert edited["type"] == "view_submission" and edited["view"]["id"]
    assert edited["view"]["state"]["values"]["note"]["note"] == {
        "type": "plain_text_input",
        "value": "Lämpchen 💡 & Karton ersetzt <3",
    }

    # The new-note form: Slack's client refuses empty required fields and sends nothing.
    required = "   ⚠ Please complete this required field."
    assert f"1. Creator: [ @handle or name ▾ ]\n{required}\n2. Topic: General" in printed
    assert f"4. Note: [ What did the creator say? ]\n{required}" in printed
    assert [r.get("type") for r in sent[3:6]] == [None, "block_suggestion", "view_submission"]
    # The creator menu asked the app for its options (block_suggestion), then one was chosen.
    suggestion = next(r for r in sent if r.get("type") == "block_suggestion")
    assert suggestion["value"] == "nora.cooks" and suggestion["container"]["type"] == "view"
    assert "1. Creator: @nora.cooks" in printed
    assert "2. Topic: Samples" in printed and "6. Follow up on: 2026-12-10" in printed
    submitted = [r for r in sent if r.get("type") == "view_submission"][-1]
    values = submitted["view"]["state"]["values"]
    assert values["creator"]["feedback_creator"]["selected_option"]["value"] == "nora.cooks"
    assert values["topic"]["topic"]["selected_option"]["value"] == "samples"
    assert values["follow_up"]["follow_up"] == {"type": "datepicker", "selected_date": "2026-12-10"}
    assert values["tags"]["tags"] == {"type": "plain_text_input", "value": None}

    # What the app stored from the conversation.
    first, second = rows(engine, FeedbackNote)
    assert first.text == "Lämpchen 💡 & Karton ersetzt <3"  # the form's input, unescaped
    assert second.text == "Unboxing auf Deutsch 🎉, sehr gut"
    assert second.topic == "samples" and second.follow_up_on == date(2026, 12, 10)
    assert [c.handle for c in rows(engine, Creator)] == ["nora.cooks"]

    # home: the app_home_opened event as Slack sends it, and the Home with numbered buttons.
    opened = next(r for r in sent if r.get("type") == "event_callback")
    assert opened["event"]["type"] == "app_home_opened" and opened["event"]["tab"] == "home"
    assert opened["authorizations"][0]["team_id"] == bot.sandbox.team_id
    home = _after(printed, "home")
    assert home.startswith("── Home ──\nYOUR SHOPBOT")
    assert "[1 Add a creator note]" in home and "Creators: 1" in home
    from_home = [r for r in sent if r.get("type") == "block_actions"][-1]
    assert from_home["container"] == {"type": "view", "view_id": from_home["view"]["id"]}
    assert from_home["view"]["type"] == "home" and "response_url" not in from_home
    assert "── modal: Creator feedback ──" in _after(printed, "click Add a creator note")
    assert "(closed Creator feedback)" in _after(printed, "close")

    # A colleague is not a creator: the app could tell only from Slack's mention markup.
    assert sent[-1]["text"] == f"<@{LENA}|lena> loved it"
    assert "`@lena` is a person in this workspace, not a TikTok creator" in printed
    assert len(rows(engine, FeedbackNote)) == 2


def test_help_lists_the_shell_commands(bot: OfflineBot, tmp_path: Path) -> None:
    printed = _run(bot, tmp_path, "help\n")
    for command in ("click N", "choose N OPTION", "set FIELD VALUE", "submit", "home"):
        assert command in printed
    assert "SHOPBOT COMMANDS" in printed


def test_what_cannot_be_done_is_said(bot: OfflineBot, tmp_path: Path) -> None:
    printed = _run(bot, tmp_path, "click 1\nsubmit\n/feedback\nset Mood happy\nclick 9\n")
    assert "[Nothing to act on yet: type a command first.]" in printed
    assert "[No form is open.]" in printed
    assert "[The form has no field “Mood”. Its fields: 1 Creator, 2 Topic," in printed
    assert "[Nothing is numbered 9 here (the last answer has nothing to press).]" in printed


def test_close_tells_the_app_only_when_the_view_asked_to_hear_of_it(
    bot: OfflineBot, sent: list[dict[str, Any]]
) -> None:
    form = bot.say("/feedback").modal
    assert form is not None
    bot.fill(form, "Note", "halb fertig…")
    bot.close(form)
    assert "view_closed" not in [r.get("type") for r in sent]
    bot.close(OpenModal({**form.view, "notify_on_close": True}, form.values))
    closed = sent[-1]
    assert closed["type"] == "view_closed" and closed["is_cleared"] is False
    assert closed["view"]["id"] == form.view["id"]
    assert closed["view"]["state"]["values"]["note"]["note"]["value"] == "halb fertig…"


def test_a_button_answered_after_the_acknowledgement_logs_no_warning(
    bot: OfflineBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt copies a request's context for the listener that answers after the acknowledgement;
    what the app keeps there is shared, not copied, so the shell's screen stays clean."""
    printed = _run(bot, tmp_path, "/feedback @nora.cooks Karton kaputt\nclick Edit\n")
    assert "── modal: Edit note ──" in _after(printed, "click Edit")
    # Waitress says so when a request waits for a free server thread: a busy machine's doing
    # (the tests share it between parallel workers), not a warning of the app's.
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert [r.getMessage() for r in warnings if r.name != "waitress.queue"] == []
