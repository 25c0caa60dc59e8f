"""The feedback form and the message shortcut (issue 3, points 2 and 3): type-ahead over the
registry, field errors in the modal, one note per submission, a link back to the message."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from tests.feedback_support import (
    NOW,
    answers,
    command,
    last_view,
    note_values,
    rows,
    set_clock,
    submit,
)
from tests.slack_support import markup


def _registry(engine: Engine, team_id: str) -> None:
    with transaction(engine) as session:
        for handle, name in [
            ("maria.makes", "Maria Lopez"),
            ("mario.cooks", "Mario Rossi"),
            ("cleanwithmarta", "Marta Keller"),
            ("tidynest", "Ida Vogel"),
        ]:
            session.add(Creator(team_id=team_id, handle=handle, display_name=name))
        session.add(Creator(team_id="TOTHER", handle="maria.secret", display_name="Other team"))


def _suggest(bot: OfflineBot, query: str) -> list[dict]:
    payload = {
        "type": "block_suggestion",
        "user": {"id": "U0MARIA", "team_id": bot.sandbox.team_id},
        "action_id": "feedback_creator",
        "block_id": "creator",
        "value": query,
        "view": last_view(bot),
    }
    response = bot.client.interaction(payload)
    assert response.status == 200, response.body
    return response.json()["options"]


def test_feedback_alone_opens_the_form(bot: OfflineBot) -> None:
    response = bot.client.slash_command("/feedback", "")
    assert response.status == 200 and response.body == ""  # the modal is the answer
    view = last_view(bot)
    assert view["title"]["text"] == "Creator feedback"
    assert [b.get("block_id") for b in view["blocks"]] == [
        "creator",
        "topic",
        "sentiment",
        "note",
        "tags",
        "follow_up",
    ]
    assert view["blocks"][0]["element"]["type"] == "external_select"
    sentiments = view["blocks"][2]["element"]["options"]
    assert [o["value"] for o in sentiments] == ["positive", "neutral", "negative"]


def test_the_type_ahead_searches_this_workspaces_registry(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id)
    bot.client.slash_command("/feedback", "")
    options = _suggest(bot, "mar")
    labels = [o["text"]["text"] for o in options]
    assert labels[:2] == ["@maria.makes · Maria Lopez", "@mario.cooks · Mario Rossi"]
    assert "@cleanwithmarta · Marta Keller" in labels  # found by name
    assert not any("secret" in label for label in labels)
    assert labels[-1] == "＋ new: @mar"  # a new handle can be typed too
    exact = _suggest(bot, "@tidynest")
    assert [o["value"] for o in exact] == ["tidynest"]
    assert _suggest(bot, "<!channel>") == []


def test_submitting_the_form_saves_the_note_and_confirms(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "")
    values = note_values(
        text="Wants a second angle for the lamp video",
        topic="content",
        sentiment="positive",
        tags="#video, angle",
        follow_up=date(2026, 12, 10),
    )
    response = submit(bot, last_view(bot), values)
    assert response.body == ""  # the modal closes
    [saved] = rows(engine, FeedbackNote)
    assert (saved.text, saved.topic, saved.sentiment) == (
        "Wants a second angle for the lamp video",
        "content",
        "positive",
    )
    assert saved.tags == ["video", "angle"] and saved.follow_up_on == date(2026, 12, 10)
    [confirmation] = answers(bot, 1)
    assert "Saved a note about *@maria.makes* (Maria Lopez)" in markup(confirmation)
    assert "⏰ follow-up 10 Dec 2026" in markup(confirmation)
    assert confirmation["response_type"] == "ephemeral"


def test_a_double_submission_stores_one_note(bot: OfflineBot, engine: Engine) -> None:
    bot.client.slash_command("/feedback", "")
    view, values = last_view(bot), note_values(handle="brand.new")
    first = bot.client.payloads.view_submission(view, values)
    results = []
    # A double click and Slack's retry arrive together.
    threads = [
        threading.Thread(target=lambda: results.append(bot.client.interaction(first)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submit(bot, view, values)  # and once more, later
    assert [r.status for r in results] == [200, 200, 200]
    assert len(rows(engine, FeedbackNote)) == 1
    assert [c.handle for c in rows(engine, Creator)] == ["brand.new"]
    answers(bot, 1)
    assert len(bot.sandbox.calls("response_url")) == 1  # one confirmation


def test_field_errors_are_shown_in_the_modal(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "")
    values = note_values(
        handle="<!channel>",
        text="   ",
        tags="good, not/a/tag",
        follow_up=date(2026, 12, 2),
    )
    errors = submit(bot, last_view(bot), values).json()
    assert errors["response_action"] == "errors"
    assert errors["errors"] == {
        "creator": "Pick a creator, or type a new handle.",
        "note": "The note is empty: write what the creator said.",
        "tags": "not/a/tag is not a tag: tags are single words such as samples or late-delivery.",
        "follow_up": "Pick today or a later day for the follow-up.",
    }
    # Slack stops a person at the field's max_length; a forged submission past it is refused.
    long = submit(bot, last_view(bot), note_values(text="x" * 3001)).json()
    assert long["errors"] == {"note": "At most 3,000 characters, please: this has 3,001."}
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []


def test_markup_in_the_form_is_stored_exactly_and_never_pings(
    bot: OfflineBot, engine: Engine
) -> None:
    text = "<!channel> *urgent* <@U0TOM> 'DROP TABLE'; 🚀 مرحبا"
    bot.client.slash_command("/feedback", "")
    submit(bot, last_view(bot), note_values(text=text))
    assert rows(engine, FeedbackNote)[0].text == text
    shown = markup(answers(bot, 1)[0])
    assert "&lt;!channel&gt; *urgent* &lt;@U0TOM&gt; 'DROP TABLE'; 🚀 مرحبا" in shown
    assert "<!channel>" not in shown and "<@U0TOM>" not in shown


def test_save_as_creator_feedback_prefills_the_form_from_the_message(
    bot: OfflineBot, engine: Engine
) -> None:
    _registry(engine, bot.sandbox.team_id)
    message = {
        "type": "message",
        "user": "U0TOM",
        "ts": "1764751234.000200",
        "text": "Call with @Maria.Makes: the <@U0PRIYA> sample never arrived",
    }
    response = bot.client.message_shortcut("save_creator_feedback", message)
    assert response.status == 200
    view = last_view(bot)
    creator = view["blocks"][0]["element"]["initial_option"]
    assert creator["value"] == "maria.makes"
    assert view["blocks"][3]["element"]["initial_value"] == message["text"]
    link = "https://shopbot-sandbox.slack.com/archives/C0KPI/p1764751234000200"
    assert f"<{link}|this message>" in markup(view)

    submit(bot, view, note_values(text=message["text"], sentiment="negative"))
    [saved] = rows(engine, FeedbackNote)
    assert saved.source_url == link and saved.text == message["text"]
    assert f"<{link}|source>" in markup(answers(bot, 1)[0])


def test_a_long_message_is_cut_to_a_note_and_the_form_says_so(bot: OfflineBot) -> None:
    message = {"type": "message", "ts": "1.2", "text": "wörd " * 1000}
    bot.client.message_shortcut("save_creator_feedback", message)
    view = last_view(bot)
    assert view["blocks"][0]["element"].get("initial_option") is None
    [field] = [b for b in view["blocks"] if b.get("block_id") == "note"]
    assert field["element"]["max_length"] == 3000
    assert field["element"]["initial_value"] == message["text"][:3000]
    notice = markup({"blocks": [view["blocks"][view["blocks"].index(field) - 1]]})
    assert "This text has 5,000 characters and a note holds 3,000" in notice
    assert "saving keeps only those" in notice


def test_feedback_new_with_a_handle_preselects_the_creator(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id)
    command(bot, "/feedback", "new @maria.makes")
    option = last_view(bot)["blocks"][0]["element"]["initial_option"]
    assert option == {
        "text": {"type": "plain_text", "text": "@maria.makes · Maria Lopez", "emoji": True},
        "value": "maria.makes",
    }
