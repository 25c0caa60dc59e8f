"""The outreach pipeline (issue 14, point 4): Start outreach from a /match row, stage buttons
and menu, a reason to move back or decline (nothing saved without one), `/match pipeline`
by seller, creator or owner with what is overdue, and the reminder DM once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.scheduler import remind
from devkit.offline import OfflineBot
from storage.matchmaking.models import Outreach, OutreachStageChange
from storage.matchmaking.outreach import pipeline_items
from tests.feedback_support import NOW, answers, choose, click, last_view, rows, set_clock, submit
from tests.match_support import add_creator, add_seller
from tests.slack_support import action_ids, button_value, markup


@pytest.fixture
def pair(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    set_clock(bot, NOW)
    team = bot.sandbox.team_id
    return {
        "seller": add_seller(engine, team, "Ökoladen Küche & Co", "Kitchenware"),
        "maria": add_creator(engine, team, "maria.makes"),
        "nora": add_creator(engine, team, "nora.cooks"),
    }


def _start(bot: OfflineBot, pair: dict[str, int], who: str = "maria", user: str = "U0TOM") -> dict:
    """Click Start outreach on the creator's row of `/match` for the seller: the answer."""
    reply = bot.say("/match Ökoladen Küche & Co 10", user_id=user).reply
    value = f"{pair[who]}:{pair['seller']}"
    buttons = [
        e["value"]
        for b in reply["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "match_start_outreach"
    ]
    assert value in buttons
    click(bot, "match_start_outreach", value, user=user)
    return answers(bot, 1)[-1]


def test_start_outreach_puts_the_pair_in_the_pipeline(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    started = _start(bot, pair)
    assert "Outreach started: *@maria.makes × Ökoladen Küche &amp; Co* is contacted" in markup(
        started
    )
    [row] = rows(engine, Outreach)
    assert (row.creator_id, row.seller_id, row.stage, row.owner_user_id) == (
        pair["maria"],
        pair["seller"],
        "contacted",
        "U0TOM",
    )
    assert row.follow_up_on == NOW.date() + timedelta(days=7)
    [change] = rows(engine, OutreachStageChange)
    assert (change.previous_stage, change.stage, change.changed_by) == (
        "suggested",
        "contacted",
        "U0TOM",
    )
    again = markup(bot.say("/match Ökoladen Küche & Co").reply)
    assert "In the pipeline: contacted" in again
    # the pair is in the pipeline: its row has no Start outreach any more
    click(bot, "match_start_outreach", f"{pair['maria']}:{pair['seller']}")
    assert "already in the pipeline (contacted, <@U0TOM>)" in markup(answers(bot, 2)[-1])
    assert len(rows(engine, Outreach)) == 1


def test_the_next_stage_button_and_the_listing(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    started = _start(bot, pair)
    click(bot, "match_stage_next_1", button_value(started, "match_stage_next_1"), user="U0TOM")
    moved = markup(answers(bot, 2)[-1])
    assert "Moved: *@maria.makes × Ökoladen Küche &amp; Co* — sample sent for 0 days" in moved
    for scope in ("", "mine", "@maria.makes", "ökoladen küche & co"):
        listing = bot.say(f"/match pipeline {scope}".strip(), user_id="U0TOM").reply
        assert "@maria.makes × Ökoladen Küche &amp; Co* — sample sent" in markup(listing), scope
        assert "match_stage_next_1" in action_ids(listing)
    assert "Nobody is in this pipeline yet" in markup(bot.say("/match pipeline mine").reply)
    assert "Nobody is in this pipeline yet" in markup(bot.say("/match pipeline @nora.cooks").reply)


def test_overdue_pairs_are_flagged_and_their_owner_reminded_once(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    _start(bot, pair)
    later = NOW + timedelta(days=9)  # contacted may take 7 days
    set_clock(bot, later.replace(hour=10))
    listing = markup(bot.say("/match pipeline").reply)
    assert "contacted for 9 days · ⏰ 2 days overdue" in listing and "*1 overdue*" in listing
    assert remind(bot.services, bot.app.client) == 1
    assert remind(bot.services, bot.app.client) == 0
    dm = bot.sandbox.messages["D0TOM"][0]
    assert "Outreach overdue: *@maria.makes × Ökoladen Küche &amp; Co*" in markup(dm)
    assert "match_stage_next_1" in action_ids(dm)


def test_moving_back_or_declining_asks_why(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    started = _start(bot, pair)
    click(bot, "match_stage_next_1", button_value(started, "match_stage_next_1"))
    answers(bot, 2)
    choose(bot, "match_stage_menu_1", "1:contacted")
    view = last_view(bot)
    assert "from sample sent to *contacted*" in markup(view)
    blank = {"reason": {"reason": {"type": "plain_text_input", "value": "   "}}}
    response = submit(bot, view, blank)
    assert response.json()["errors"] == {"reason": "Say why, in a few words."}
    assert rows(engine, Outreach)[0].stage == "sample sent"
    reason = {
        "reason": {"reason": {"type": "plain_text_input", "value": "Sample lost — <b>resend</b> ✉️"}}
    }
    submit(bot, view, reason)
    assert "Moved: *@maria.makes × Ökoladen Küche &amp; Co* — contacted" in markup(
        answers(bot, 3)[-1]
    )
    assert rows(engine, OutreachStageChange)[-1].reason == "Sample lost — <b>resend</b> ✉️"
    choose(bot, "match_stage_menu_1", "1:declined")
    view = last_view(bot, opened=2)
    submit(bot, view, {"reason": {"reason": {"type": "plain_text_input", "value": "Too pricey"}}})
    listing = markup(bot.say("/match pipeline").reply)
    assert "— declined for 0 days · “Too pricey”" in listing
    # a pair declined is no longer suggested as working together, but is marked in /match
    assert "In the pipeline: declined" in markup(bot.say("/match Ökoladen Küche & Co").reply)


def test_pipeline_items_are_a_persons_list(
    engine: Engine, bot: OfflineBot, pair: dict[str, int]
) -> None:
    _start(bot, pair, user="U0TOM")
    _start(bot, pair, "nora", user="U0MARIA")
    team = bot.sandbox.team_id
    mine = pipeline_items(engine, team, owner_user_id="U0MARIA")
    assert [(i.handle, i.stage) for i in mine] == [("nora.cooks", "contacted")]
    assert pipeline_items(engine, "T-OTHER") == []


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("/match pipeline Okoladen", "I don't know the seller `Okoladen`. Did you mean"),
        ("/match pipeline @nobody.here", "`@nobody.here` is not in the registry."),
    ],
)
def test_pipeline_bad_scopes(bot: OfflineBot, pair: dict[str, int], typed: str, says: str) -> None:
    assert says in markup(bot.say(typed).reply)


def test_the_digest_section_shows_the_weeks_movement(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    from bot.matchmaking.digest_sections import outreach_pipeline
    from bot.shared.digest_section import DigestSpec, WeekData
    from bot.shared.schedule import last_full_week

    team = bot.sandbox.team_id
    started = _start(bot, pair)  # Thursday 3 Dec: contacted
    click(bot, "match_stage_next_1", button_value(started, "match_stage_next_1"))
    answers(bot, 2)
    _start(bot, pair, "nora")
    week = last_full_week(NOW.date() + timedelta(days=7))  # Mon 30 Nov – Sun 6 Dec
    spec = DigestSpec(team, week, None, "Europe/Berlin")
    part = outreach_pipeline(WeekData(engine, spec))
    assert part is not None
    assert part.text == (
        "*Outreach pipeline* · this week: 2 contacted · 1 sample sent · 0 pairs overdue · "
        "`/match pipeline`"
    )
    before = DigestSpec(team, week.previous(), None, "Europe/Berlin")
    assert outreach_pipeline(WeekData(engine, before)) is None
    one_category = DigestSpec(team, week, "Kitchenware", "Europe/Berlin")
    assert outreach_pipeline(WeekData(engine, one_category)) is None


def test_selling_records_the_collaboration(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    from storage.matchmaking.models import Collaboration

    _start(bot, pair)
    for number, stage in enumerate(("sample sent", "content posted", "selling"), start=2):
        click(bot, "match_stage_next_1", f"1:{stage}")
        answers(bot, number)
    [collaboration] = rows(engine, Collaboration)
    assert (collaboration.creator_id, collaboration.seller_id) == (pair["maria"], pair["seller"])
    assert collaboration.since == NOW.date()
    text = markup(bot.say("/match Ökoladen Küche & Co").reply)
    assert "@maria.makes" not in text and "1 already works together" in text


def test_add_note_on_a_match_row_opens_the_note_form(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    reply = bot.say("/match Ökoladen Küche & Co").reply
    handle = button_value(reply, "feedback_add_note")
    assert handle in ("maria.makes", "nora.cooks")
    click(bot, "feedback_add_note", handle)
    creator = last_view(bot)["blocks"][0]["element"]["initial_option"]
    assert creator["value"] == handle


def test_the_pipeline_refuses_a_move_back_without_a_reason(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    from storage.errors import UserError
    from storage.matchmaking.outreach import move_stage

    _start(bot, pair)
    team = bot.sandbox.team_id
    move_stage(engine, team, 1, "sample sent", "U0TOM", NOW)
    for stage in ("contacted", "declined"):
        with pytest.raises(UserError, match="Say why"):
            move_stage(engine, team, 1, stage, "U0TOM", NOW, reason="   ")
    with pytest.raises(UserError, match="no pipeline stage"):
        move_stage(engine, team, 1, "married", "U0TOM", NOW, reason="x")
    with pytest.raises(UserError, match="no longer in this workspace"):
        move_stage(engine, "T-OTHER", 1, "selling", "U0TOM", NOW)
    assert rows(engine, Outreach)[0].stage == "sample sent"
    assert len(rows(engine, OutreachStageChange)) == 2
