"""An outreach pair's history, readable where it is written: `/match history @handle <seller>`
shows who added the pair to the pipeline, then each move (who, when, from and to, and the
reason asked for moving back or declining), newest first and page by page, to anyone in the
workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.shared.pages import NEXT
from devkit.offline import OfflineBot
from storage.matchmaking.outreach import move_stage, start_outreach
from tests.feedback_support import NOW, answers, choose, click, last_view, set_clock, submit
from tests.match_support import add_creator, add_seller
from tests.slack_support import button_value, markup, press

ZOE, TOM = "U0ZOE", "U0TOM"
SELLER = "Müller & Söhne"


@pytest.fixture
def pair(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    bot.sandbox.add_user(ZOE, "zoë.çelik", "Zoë Çelik")
    bot.sandbox.add_user(TOM, "tom", "Tom Berg")
    set_clock(bot, NOW)  # 09:30 in Berlin
    team = bot.sandbox.team_id
    return {
        "seller": add_seller(engine, team, SELLER, "Kitchenware"),
        "other": add_seller(engine, team, "Хлеб и Соль 🍞", "Kitchenware"),
        "maria": add_creator(engine, team, "maria.makes"),
    }


def test_a_pair_history_shows_each_move_with_who_when_and_why(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    bot.say(f"/match {SELLER} 10", user_id=ZOE)  # the row with Start outreach
    value = f"{pair['maria']}:{pair['seller']}"
    click(bot, "match_start_outreach", value, user=ZOE)
    started = answers(bot, 1)[-1]
    assert "Outreach started" in markup(started)
    set_clock(bot, NOW + timedelta(hours=1))
    click(bot, "match_stage_next_1", button_value(started, "match_stage_next_1"), user=TOM)
    answers(bot, 2)
    set_clock(bot, NOW + timedelta(hours=2))
    choose(bot, "match_stage_menu_1", "1:contacted", user=TOM)
    why = {"reason": {"reason": {"type": "plain_text_input", "value": "Probe verloren — 東京 ✉️"}}}
    submit(bot, last_view(bot), why, user=TOM)
    answers(bot, 3)

    seen = bot.say(f"/match history @maria.makes {SELLER}").text
    assert f"HISTORY OF @MARIA.MAKES × {SELLER.upper()}" in seen
    assert "Added to the pipeline by @zoë.çelik on 3 Dec 2026 09:30" in seen
    assert "Edit 2 of 2 · 3 Dec 2026 11:30 · @tom" in seen
    assert "Stage: sample sent → contacted" in seen
    assert "Why: “Probe verloren — 東京 ✉️”" in seen
    assert "Edit 1 of 2 · 3 Dec 2026 10:30 · @tom" in seen
    assert "Stage: contacted → sample sent" in seen
    assert seen.count("Why:") == 1  # moving on asks no reason
    assert "Müller &amp; Söhne" in markup(bot.say(f"/match history @Maria.Makes {SELLER}").reply)


def test_a_pair_never_moved_says_so(bot: OfflineBot, engine: Engine, pair: dict[str, int]) -> None:
    start_outreach(engine, bot.sandbox.team_id, pair["maria"], pair["other"], ZOE, NOW)
    seen = bot.say("/match history @maria.makes Хлеб и Соль 🍞").text
    assert "HISTORY OF @MARIA.MAKES × ХЛЕБ И СОЛЬ 🍞" in seen
    assert "Added to the pipeline by @zoë.çelik on 3 Dec 2026 09:30" in seen
    assert "Not edited since it was added to the pipeline." in seen and "Edit 1" not in seen


def test_a_long_history_pages_newest_first(
    bot: OfflineBot, engine: Engine, pair: dict[str, int]
) -> None:
    team = bot.sandbox.team_id
    pair_id = start_outreach(engine, team, pair["maria"], pair["seller"], ZOE, NOW).id
    assert pair_id is not None
    stages = ["sample sent", "contacted"] * 3 + ["declined"]
    for n, stage in enumerate(stages, start=1):
        moment = NOW + timedelta(minutes=n)
        move_stage(engine, team, pair_id, stage, TOM, moment, reason=f"Grund {n} 🌱")
    first = bot.say(f"/match history @maria.makes {SELLER}").text
    assert "Edit 7 of 7" in first and "Edit 3 of 7" in first and "Edit 2 of 7" not in first
    assert first.index("Edit 7 of 7") < first.index("Edit 3 of 7")
    assert "Stage: contacted → declined" in first and "Why: “Grund 7 🌱”" in first
    assert "Edits 1–5 of 7, newest first" in first
    assert f"/match history @maria.makes {SELLER} page:2" in first
    second = bot.say(f"/match history @maria.makes {SELLER} page:2").text
    assert "Edit 2 of 7" in second and "Edit 1 of 7" in second and "Edit 3 of 7" not in second
    assert "Stage: contacted → sample sent" in second
    assert "only 2 pages" in bot.say(f"/match history @maria.makes {SELLER} page:3").text
    pressed = markup(press(bot, bot.say(f"/match history @maria.makes {SELLER}").reply, NEXT))
    assert "Edit 1 of 7" in pressed and "Edit 3 of 7" not in pressed


def test_no_pair_no_history(bot: OfflineBot, engine: Engine, pair: dict[str, int]) -> None:
    theirs = add_creator(engine, "TOTHER", "maria.makes"), add_seller(engine, "TOTHER", SELLER, "X")
    start_outreach(engine, "TOTHER", *theirs, "U0OTHER", NOW)  # the same names, elsewhere
    for typed, says in (
        (f"/match history @maria.makes {SELLER}", "are not in the pipeline together"),
        ("/match history @maria.makes Müler & Sohne", "I don't know the seller"),
        (f"/match history @nobody.here {SELLER}", "`@nobody.here` is not in the registry."),
        ("/match history @maria.makes", "Say which pair"),
        ("/match history", "Say which pair"),
    ):
        seen = bot.say(typed).text
        assert says in seen and "HISTORY OF" not in seen, typed
