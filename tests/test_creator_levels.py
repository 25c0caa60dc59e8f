"""`/creator levels` and `/creator onboard` (issue 14, point 5): the month's moves, who is close
to the next level by the thresholds setting, managed creators stuck for three months, and the
onboarding checklist on the card and in the levels answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine

from bot.offline import OfflineBot
from storage.db import transaction
from storage.models import Creator, CreatorLevelChange, OnboardingStep
from tests.feedback_support import NOW, answers, click, rows, set_clock
from tests.match_support import add_creator
from tests.slack_support import button_value, markup

LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC)


def _change(engine: Engine, creator_id: int, level: int, previous: int | None, on: date) -> None:
    with transaction(engine) as session:
        session.add(
            CreatorLevelChange(
                team_id=session.get(Creator, creator_id).team_id,  # type: ignore[union-attr]
                creator_id=creator_id,
                level=level,
                previous_level=previous,
                effective_on=on,
            )
        )


def _managed(engine: Engine, creator_id: int, owner: str = "U0TOM") -> None:
    with transaction(engine) as session:
        creator = session.get(Creator, creator_id)
        assert creator is not None
        creator.owner_user_id, creator.stage, creator.created_at = owner, "active", LONG_AGO
        session.add(creator)


@pytest.fixture
def levels(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    set_clock(bot, NOW)  # Thursday 3 December 2026
    team = bot.sandbox.team_id
    ids = {
        # overall GMV 4,200 of the 5,000 L4 needs (default thresholds): 84%
        "close": add_creator(engine, team, "close.call", level=3, overall={"gmv_cents": 420_000}),
        "far": add_creator(engine, team, "far.away", level=3, overall={"gmv_cents": 100_000}),
        "up": add_creator(engine, team, "rising.star", level=5),
        "down": add_creator(engine, team, "slipping.sam", level=2),
        "stuck": add_creator(engine, team, "stuck.steve", level=4, overall={"gmv_cents": 10}),
        "fresh": add_creator(engine, team, "fresh.face", level=4, overall={"gmv_cents": 10}),
    }
    _change(engine, ids["up"], 5, 3, date(2026, 12, 1))
    _change(engine, ids["down"], 2, 3, date(2026, 12, 1))
    _change(engine, ids["stuck"], 4, 3, date(2026, 6, 1))
    _change(engine, ids["fresh"], 4, 3, date(2026, 11, 1))
    _change(engine, ids["up"], 3, 2, date(2026, 11, 1))
    for key in ("stuck", "fresh", "far"):
        _managed(engine, ids[key])
    return ids


def test_levels_this_month(bot: OfflineBot, levels: dict[str, int]) -> None:
    text = markup(bot.say("/creator levels").reply)
    assert "Creator levels · December 2026" in text
    assert "*Moved up* (1)\n@rising.star L3 → L5" in text
    assert "*Moved down* (1)\n@slipping.sam L3 → L2" in text
    assert "@close.call L3 → L4: $4,200.00 of $5,000.00 (84%)" in text
    assert "@far.away L3 → L4" not in text
    stuck = text.split("three months* (")[1]
    assert stuck.startswith("2)")  # far.away never changed, stuck.steve since June
    assert "@far.away L3 (never changed) <@U0TOM>" in stuck
    assert "@stuck.steve L4 since 01 Jun 2026 <@U0TOM>" in stuck
    assert "fresh.face" not in stuck


def test_levels_of_an_earlier_month(bot: OfflineBot, levels: dict[str, int]) -> None:
    text = markup(bot.say("/creator levels nov").reply)
    assert "November 2026" in text and "@rising.star L2 → L3" in text
    assert "*Moved down* — nobody" in text


def test_thresholds_are_a_setting(bot: OfflineBot, levels: dict[str, int]) -> None:
    from dataclasses import replace

    bot.services.settings = replace(
        bot.services.settings,
        level_thresholds=(1, 100, 1_000, 1_100, 20_000, 50_000, 150_000, 500_000),
    )
    text = markup(bot.say("/creator levels").reply)
    assert "@far.away L3 → L4: $1,000.00 of $1,100.00 (91%)" in text
    assert "@close.call L3 → L4" not in text  # 4,200 is past the new L4 already


@pytest.mark.parametrize("month", ["someday", "2026-13", "🙃"])
def test_a_month_that_is_not_one(bot: OfflineBot, levels: dict[str, int], month: str) -> None:
    reply = markup(bot.say(f"/creator levels {month}").reply)
    assert "Try:" in reply and "/creator levels [month]" in reply


def test_onboarding_checklist_on_the_card_and_in_levels(
    bot: OfflineBot, engine: Engine, levels: dict[str, int]
) -> None:
    reply = bot.say("/creator onboard @Close.Call", user_id="U0MARIA").reply
    shown = markup(reply)
    assert "Onboarding started: @close.call" in shown
    assert "0 of 4 · ☐ welcome call · ☐ first sample · ☐ first content · ☐ first LIVE" in shown
    creator = next(c for c in rows(engine, Creator) if c.handle == "close.call")
    assert (creator.stage, creator.owner_user_id) == ("onboarding", "U0MARIA")
    click(bot, "creator_onboard_step", button_value(reply, "creator_onboard_step"))
    ticked = markup(answers(bot, 1)[-1])
    assert "1 of 4 · ✓ welcome call · ☐ first sample" in ticked
    card = markup(bot.say("/creator @close.call").reply)
    assert "*Onboarding* 1 of 4 · ✓ welcome call" in card
    assert "@close.call: 1 of 4" in markup(bot.say("/creator levels").reply)
    again = markup(bot.say("/creator onboard @close.call").reply)
    assert "onboarding has started already" in again
    assert len(rows(engine, OnboardingStep)) == 4
    for position in (1, 2, 3):  # ticked at once, by three people
        click(bot, "creator_onboard_step", f"{creator.id}:{position}")
    answers(bot, 4)
    assert "4 of 4" in markup(bot.say("/creator @close.call").reply)
    assert next(c for c in rows(engine, Creator) if c.handle == "close.call").stage == "active"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("/creator onboard", "Say which creator to onboard"),
        ("/creator onboard @nobody.yet", "`@nobody.yet` is not in the registry yet."),
        ("/creator onboard @a @b", "Say which creator to onboard"),
        ("/creator onboard @ünïcödé!", "is not a TikTok handle"),
    ],
)
def test_onboard_bad_input(bot: OfflineBot, engine: Engine, typed: str, says: str) -> None:
    assert says in markup(bot.say(typed).reply)
    assert rows(engine, OnboardingStep) == []


def test_the_digest_section_names_the_weeks_level_changes(
    bot: OfflineBot, engine: Engine, levels: dict[str, int]
) -> None:
    from bot.digest.content import DigestSpec, WeekData
    from bot.digest.schedule import last_full_week
    from bot.digest.sections import creator_levels

    team = bot.sandbox.team_id
    week = last_full_week(date(2026, 12, 7))  # Mon 30 Nov – Sun 6 Dec
    part = creator_levels(WeekData(engine, DigestSpec(team, week, None, "Europe/Berlin")))
    assert part is not None
    assert part.text == (
        "*Creator levels* · 1 up, 1 down: @rising.star L3 → L5 · @slipping.sam L3 → L2 · "
        "`/creator levels`"
    )
    quiet = DigestSpec(team, week.previous().previous(), None, "Europe/Berlin")
    assert creator_levels(WeekData(engine, quiet)) is None
