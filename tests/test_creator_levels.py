"""`/creator levels` and `/creator onboard` (issue 14, point 5): the month's moves, who is close
to the next level by the thresholds setting, managed creators stuck for three months, and the
onboarding checklist on the card and in the levels answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.creators.levels import LevelSettings
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.creators.models import Creator, CreatorLevelChange, OnboardingStep
from storage.db import transaction
from storage.matchmaking.models import CreatorPerformance
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
    bot.services.settings = bot.services.settings.with_section(
        LevelSettings(level_thresholds=(1, 100, 1_000, 1_100, 20_000, 50_000, 150_000, 500_000))
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
    from bot.creators.digest_sections import creator_levels
    from bot.shared.digest_section import DigestSpec, WeekData
    from bot.shared.schedule import last_full_week

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


def _december_snapshot(engine: Engine, creator_id: int, gmv_cents: int) -> None:
    """A newer overall snapshot dated 1 December: the latest, November's no longer."""
    with transaction(engine) as session:
        for old in session.exec(
            select(CreatorPerformance).where(
                CreatorPerformance.creator_id == creator_id, CreatorPerformance.category_key == ""
            )
        ):
            old.latest = False
            session.add(old)
        session.add(
            CreatorPerformance(
                team_id=session.get(Creator, creator_id).team_id,  # type: ignore[union-attr]
                creator_id=creator_id,
                as_of=date(2026, 12, 1),
                latest=True,
                gmv_cents=gmv_cents,
            )
        )


def test_levels_of_a_month_gone_by_read_that_months_snapshot(
    bot: OfflineBot, engine: Engine, levels: dict[str, int]
) -> None:
    """November's 'close to the next level' is November's figures at November's levels; the
    current month's is the latest snapshot."""
    team = bot.sandbox.team_id
    november = {  # handle: (level at the end of November, November GMV, December GMV)
        "close.call": (3, 420_000, 600_000),  # close in November, past L4's 5,000 in December
        "far.away": (3, 100_000, 450_000),  # far in November, close in December
        "groesse.klein": (4, 1_700_000, 100),  # 1,700 of L5's 2,000 in November (85%)
    }
    ids = {"close.call": levels["close"], "far.away": levels["far"]}
    ids["groesse.klein"] = add_creator(
        engine, team, "groesse.klein", level=4, overall={"gmv_cents": 1_700_000}
    )
    for handle, (_, _, december) in november.items():
        _december_snapshot(engine, ids[handle], december)
    # rising.star moved L2 → L3 on 1 Nov and L3 → L5 on 1 Dec: L3 in November, 2,300 of L4's
    # 5,000 is not close; at today's L5 it would be measured against L6 instead.
    with transaction(engine) as session:
        for snapshot in session.exec(
            select(CreatorPerformance).where(CreatorPerformance.creator_id == levels["up"])
        ):
            snapshot.gmv_cents = 2_300_00
            session.add(snapshot)
    thresholds = [t * 100 for t in bot.services.settings.section(LevelSettings).level_thresholds]
    expected = sorted(
        (
            (gmv / thresholds[level], handle, level, gmv)
            for handle, (level, gmv, _) in november.items()
            if 0.8 * thresholds[level] <= gmv < thresholds[level]
        ),
        reverse=True,
    )
    style = NumberStyle("USD", "en_US")
    text = markup(bot.say("/creator levels nov").reply)
    close = text.split("*Close to the next level* (")[1].split("\n*")[0]
    assert close.startswith(f"{len(expected)}, ") and "by November's" in close
    lines = [
        f"@{handle} L{level} → L{level + 1}: {style.money(gmv)} of "
        f"{style.money(thresholds[level])} ({share:.0%})"
        for share, handle, level, gmv in expected
    ]
    assert close.split("\n")[1:] == lines
    assert "@far.away" not in close and "@rising.star" not in close
    now = markup(bot.say("/creator levels").reply)
    close_now = now.split("*Close to the next level* (")[1].split("\n*")[0]
    assert "by the latest" in close_now
    assert "@far.away L3 → L4: $4,500.00 of $5,000.00 (90%)" in close_now
    assert "@close.call" not in close_now and "groesse.klein" not in close_now
