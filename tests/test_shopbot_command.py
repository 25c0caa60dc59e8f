"""`/shopbot`: help generated from the declarations, status, and bad input, over signed HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from bot.offline import OfflineBot
from bot.replies import escape
from handlers.catalog import COMMANDS
from storage.db import transaction
from storage.models import Creator, DailySellerKpi, Seller
from tests.slack_support import markup


def test_help_lists_every_declared_usage(bot: OfflineBot) -> None:
    seen = bot.say("/shopbot help")
    shown = seen.text
    declared = [sub.usage for command in COMMANDS for sub in command.usages]
    assert declared, "no subcommands declared"
    wire = markup(seen.reply)
    for usage in declared:
        assert usage in shown  # read as declared
        assert escape(usage) in wire  # mrkdwn: escaped once
    for command in COMMANDS:
        assert f"{command.name} help" in shown
    assert seen.reply["response_type"] == "ephemeral"


@pytest.mark.parametrize("text", ["", "help", "HELP", "  help  "])
def test_help_is_the_default_and_case_blind(bot: OfflineBot, text: str) -> None:
    assert "/shopbot status" in bot.say(f"/shopbot {text}").reply["text"]


def test_status_counts_only_this_workspace(bot: OfflineBot, engine: Engine) -> None:
    team = bot.sandbox.team_id
    with transaction(engine) as session:
        for team_id, key in [(team, "S1"), (team, "S2"), ("TOTHER", "S3")]:
            session.add(Seller(team_id=team_id, seller_key=key, name=key, category="Home"))
        session.add(Creator(team_id=team, handle="maria.makes"))
        session.add(Creator(team_id="TOTHER", handle="someone"))
        session.flush()
        session.add(
            DailySellerKpi(
                team_id=team, seller_id=1, day=date(2026, 11, 20), category="Home", gmv_cents=100
            )
        )
    shown = markup(bot.say("/shopbot status").reply)
    assert "*Sellers:* 2 in 1 categories" in shown
    assert "*Creators:* 1" in shown
    assert "20 Nov 2026 → 20 Nov 2026 (1 seller-days)" in shown
    assert "Europe/Berlin" in shown


@pytest.mark.parametrize(
    "text",
    [
        "frobnicate",
        "<!channel>",
        "<@U0TOM> hi",
        "'; DROP TABLE seller; --",
        "🚀🚀",
        "مرحبا",
        "*bold* _it_ `code`",
        "x" * 2000,
    ],
)
def test_unknown_subcommands_get_usage_without_pinging_anyone(bot: OfflineBot, text: str) -> None:
    reply = bot.say(f"/shopbot {text}").reply
    shown = markup(reply)
    assert "/shopbot help" in shown
    assert reply["response_type"] == "ephemeral"
    assert "<!channel>" not in shown and "<@U0TOM>" not in shown
    assert len(shown) < 1000


def test_overlong_input_is_refused_with_usage(bot: OfflineBot) -> None:
    reply = bot.say("/shopbot status " + "y" * 5000).reply
    assert "too long" in reply["text"]
    assert "/shopbot status" in reply["text"]


def test_a_failure_apologises_with_a_reference(
    bot: OfflineBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import handlers.shopbot

    def broken(*_args: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(handlers.shopbot, "data_overview", broken)
    reply = bot.say("/shopbot status").reply
    assert "Sorry, something went wrong" in reply["text"]
    reference = reply["text"].split("Reference: `")[1][:8]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)
