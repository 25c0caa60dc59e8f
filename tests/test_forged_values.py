"""Every value a button, menu or form carries that the app never put there (a forged payload,
or one out of range) gets the one clear refusal, "That button does not name … of this
workspace" or the form's own field error, never "Sorry, something went wrong"; and nothing in
the database changes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.shared.pages import NEXT as NEXT_PAGE
from devkit.offline import OfflineBot
from storage.creators.models import Creator, OnboardingStep
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from storage.matchmaking.models import Outreach, OutreachStageChange
from storage.models import HomeTab
from storage.reviews.models import LivestreamReview
from tests.feedback_support import (
    NOW,
    answers,
    choose,
    click,
    last_view,
    note,
    note_values,
    rows,
    set_clock,
    submit,
)
from tests.match_support import add_creator, add_seller
from tests.review_support import open_form, review_values, seed
from tests.slack_support import button_value, markup

SORRY = "Sorry, something went wrong"
FORGED = ["", "abc", "1:2:3", "-1", "１２", "1e3", "99999999999999999999", "1; DROP TABLE"]


def refusal(bot: OfflineBot, count: int) -> str:
    """The latest answer at a response URL: the refusal, never the apology."""
    answer = markup(answers(bot, count)[-1])
    assert SORRY not in answer
    return answer


@pytest.fixture
def pair(bot: OfflineBot, engine: Engine) -> dict[str, Any]:
    """An outreach pair started from `/match`, and the answer with its stage buttons."""
    set_clock(bot, NOW)
    seller = add_seller(engine, bot.sandbox.team_id, "Ökoladen Küche & Co", "Kitchenware")
    creator = add_creator(engine, bot.sandbox.team_id, "maria.makes")
    bot.say("/match Ökoladen Küche & Co 10", user_id="U0TOM")
    click(bot, "match_start_outreach", f"{creator}:{seller}", user="U0TOM")
    return {"seller": seller, "creator": creator, "started": answers(bot, 1)[-1]}


def _pipeline(engine: Engine) -> list[tuple[str, int]]:
    return [(p.stage, len(rows(engine, OutreachStageChange))) for p in rows(engine, Outreach)]


def test_forged_onboarding_steps_are_refused(bot: OfflineBot, engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Creator(team_id=bot.sandbox.team_id, handle="lena.kocht", display_name="Lena Müller")
        )
    reply = bot.say("/creator onboard @lena.kocht").reply
    creator_id = button_value(reply, "creator_onboard_step").split(":")[0]
    for count, value in enumerate([*FORGED, f"{creator_id}:x", f"x:{creator_id}"], start=1):
        click(bot, "creator_onboard_step", value)
        answer = refusal(bot, count)
        assert "That button does not name an onboarding step of this workspace." in answer, value
    assert [s.done_on for s in rows(engine, OnboardingStep)] == [None] * 4
    click(bot, "creator_onboard_step", f"{creator_id}:99")  # out of range: no such step
    assert "That onboarding step is no longer there." in refusal(bot, len(FORGED) + 3)


def test_forged_start_outreach_buttons_are_refused(bot: OfflineBot, engine: Engine) -> None:
    add_seller(engine, bot.sandbox.team_id, "Ökoladen Küche & Co", "Kitchenware")
    for count, value in enumerate([*FORGED, "7", "7:x", "x:7"], start=1):
        click(bot, "match_start_outreach", value, user="U0TOM")
        answer = refusal(bot, count)
        assert "That button does not name a creator and a seller of this workspace." in answer
    assert rows(engine, Outreach) == []


def test_forged_stage_buttons_and_menus_are_refused(
    bot: OfflineBot, engine: Engine, pair: dict[str, Any]
) -> None:
    before = _pipeline(engine)
    assert before == [("contacted", 1)]
    count = 1
    for value in ["abc:sample sent", ":sample sent", "99999999999999999999:selling", "x"]:
        click(bot, "match_stage_next_1", value, user="U0TOM")
        choose(bot, "match_stage_menu_1", value, user="U0TOM")
        count += 2
        for answer in answers(bot, count)[-2:]:
            assert "That button does not name an outreach pair of this workspace." in markup(answer)
    click(bot, "match_stage_next_1", "1:on the moon", user="U0TOM")
    assert "There is no pipeline stage `on the moon`." in refusal(bot, count + 1)
    assert _pipeline(engine) == before
    assert bot.sandbox.calls("views.open") == []  # no reason form for a forged pair


def test_a_forged_reason_form_is_refused_and_a_reason_keeps_no_nul(
    bot: OfflineBot, engine: Engine, pair: dict[str, Any]
) -> None:
    choose(bot, "match_stage_menu_1", "1:declined", user="U0TOM")
    view = last_view(bot)
    reason = {"reason": {"reason": {"type": "plain_text_input", "value": "zu teuer\x00 — 💸"}}}
    for metadata in ["{not json", json.dumps({"id": "x", "stage": "declined"}), "[]"]:
        forged = {**view, "private_metadata": metadata}
        assert submit(bot, forged, reason, user="U0TOM").body == ""
    bot.settle()
    assert _pipeline(engine) == [("contacted", 1)]
    dms = [markup(m) for m in bot.sandbox.messages[bot.sandbox.dm_channel("U0TOM")]]
    assert len(dms) == 3
    assert all("That button does not name an outreach pair" in dm for dm in dms), dms

    submit(bot, view, reason, user="U0TOM")  # the form as Slack sends it, with a NUL typed in
    assert "declined" in refusal(bot, 2)
    [pair_now] = rows(engine, Outreach)
    assert (pair_now.stage, pair_now.declined_reason) == ("declined", "zu teuer — 💸")
    assert rows(engine, OutreachStageChange)[-1].reason == "zu teuer — 💸"


@pytest.mark.parametrize(
    "clock", ["25:99", "24:00", "9:5", "12:60", "ab:cd", "12:00:00", "１２:００"]
)
def test_an_impossible_stream_time_is_a_field_error(
    bot: OfflineBot, engine: Engine, clock: str
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    values = review_values(ids["Casa Bonita"])
    values["stream_time"]["stream_time"]["selected_time"] = clock
    response = submit(bot, open_form(bot), values)
    assert response.json() == {
        "response_action": "errors",
        "errors": {"stream_time": "Pick the time the stream started."},
    }
    assert rows(engine, LivestreamReview) == []


def test_a_forged_note_menu_choice_deletes_nothing(bot: OfflineBot, engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Creator(team_id=bot.sandbox.team_id, handle="maria.makes"))
    note(bot, "@maria.makes Grüße aus Köln, tolle Unboxing-Videos")
    [saved] = rows(engine, FeedbackNote)
    for count, value in enumerate([f"burn:{saved.id}", f"delete:{saved.id}x", "edit:"], 1):
        choose(bot, f"feedback_note_menu_{saved.id}", value)
        assert "That button does not name a note of this workspace." in refusal(bot, count)
    click(bot, NEXT_PAGE, "{not json")
    assert "That button does not hold a page of a list" in refusal(bot, 4)
    assert [n.deleted_at for n in rows(engine, FeedbackNote)] == [None]
    assert bot.sandbox.calls("views.open") == []


def test_a_forged_home_category_is_refused_by_dm(bot: OfflineBot, engine: Engine) -> None:
    opened = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}
    bot.client.event(opened)
    bot.settle()
    payload = bot.client.payloads.block_action("home_categories", user_id="U0TOM")
    payload["actions"][0].update(
        type="multi_static_select", selected_options=[{"value": "Küche\x00" + "x" * 5000}]
    )
    assert bot.client.interaction(payload).status == 200
    bot.settle()
    [dm] = bot.sandbox.calls("chat.postMessage")
    assert "That button does not name a category of this workspace." in dm.params["text"]
    assert SORRY not in dm.params["text"]
    with Session(engine) as session:
        assert [h.categories for h in session.exec(select(HomeTab)).all()] == [[]]


@pytest.mark.parametrize("metadata", ["{not json", "[]", '"text"', '{"id": "abc"}', '{"id": true}'])
def test_a_note_form_whose_state_the_app_never_wrote_is_refused_or_saved_new(
    bot: OfflineBot, engine: Engine, metadata: str
) -> None:
    with transaction(engine) as session:
        session.add(Creator(team_id=bot.sandbox.team_id, handle="maria.makes"))
    note(bot, "@maria.makes Grüße aus Köln")
    bot.client.slash_command("/feedback", "")
    view = {**last_view(bot), "private_metadata": metadata}
    response = bot.client.view_submission(view, note_values(text="Neu: Küche & Co 🍳"))
    assert response.status == 200 and SORRY not in response.body
    bot.settle()
    texts = [n.text for n in rows(engine, FeedbackNote)]
    if '"id"' in metadata:  # an edit of a note no id names: refused, nothing changed
        assert texts == ["Grüße aus Köln"]
        dm = bot.sandbox.calls("chat.postMessage")[-1].params["text"]
        assert "There is no note 0" in dm and SORRY not in dm
    else:  # no state at all: a new note from what was submitted, as the blank form makes
        assert texts == ["Grüße aus Köln", "Neu: Küche & Co 🍳"]
    assert all(SORRY not in str(c.params) for c in bot.sandbox.calls())
