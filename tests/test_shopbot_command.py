"""`/shopbot`: help generated from the declarations, status, and bad input, over signed HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from app import FEATURES
from bot.features import Features
from bot.shared.replies import escape
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.kpis.models import DailySellerKpi
from storage.sellers.models import Seller
from tests.slack_support import markup

# A summary ends a phrase: never on a word that wants another after it, or an open bracket.
DANGLING = {"a", "an", "the", "of", "to", "for", "with", "in", "on", "at", "by", "from"} | {
    "and",
    "or",
}
OPEN = ("(", "[", "{", "—", ",", ":", ";")
MAX_SUMMARY = 60  # one line of `/x help` on a phone, after the usage
COMMANDS = list(Features(FEATURES).commands)
MAX_OVERVIEW = 2_000  # characters of `/shopbot help` as shown; Slack allows 3,000 a section


def _summaries() -> list[tuple[str, str]]:
    found = [(command.name, command.summary) for command in COMMANDS]
    found += [(sub.usage, sub.summary) for command in COMMANDS for sub in command.usages]
    return found


@pytest.mark.parametrize(("usage", "summary"), _summaries())
def test_every_summary_is_a_whole_phrase(usage: str, summary: str) -> None:
    assert summary.strip() == summary and summary, usage
    last = summary.split()[-1]
    assert last.lower() not in DANGLING, f"{usage}: the summary stops at {last!r}"
    assert not summary.endswith(OPEN), f"{usage}: the summary stops at {summary[-1]!r}"
    assert summary.count("(") == summary.count(")"), usage
    assert len(summary) <= MAX_SUMMARY or usage in {c.name for c in COMMANDS}, usage


def test_help_gives_each_command_one_line(bot: OfflineBot) -> None:
    seen = bot.say("/shopbot help")
    assert len(seen.text) <= MAX_OVERVIEW, len(seen.text)
    reply = seen.reply
    assert reply["response_type"] == "ephemeral"
    assert len(reply["text"]) <= 3_000
    assert all(len(markup({"blocks": [b]})) <= 3_000 for b in reply["blocks"])
    lines = reply["blocks"][1]["text"]["text"].split("\n")  # the section, as Slack received it
    assert len(lines) == len(COMMANDS)
    for command, line in zip(COMMANDS, lines, strict=True):
        assert line.startswith(f"*{command.name}* — {escape(command.summary)}: ")
        assert "`help`" in line
        for sub in command.usages:
            word = sub.head.removeprefix(command.name).strip()
            assert not word or f"`{word}`" in line, (sub.usage, line)
    assert "Add `help` to any command" in seen


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if not c.lists_all_commands], ids=lambda c: c.name
)
def test_each_commands_help_lists_its_usages_as_declared(bot: OfflineBot, command: Any) -> None:
    seen = bot.say(f"{command.name} help")
    wire = markup(seen.reply)
    for sub in command.usages:
        assert sub.usage in seen.text  # read as declared
        assert escape(sub.usage) in wire  # mrkdwn: escaped once
        if "help" not in command.subcommands:  # help rendered from the declarations alone
            assert f"{sub.usage}` — {sub.summary}" in " ".join(seen.text.split())


@pytest.mark.parametrize("text", ["", "help", "HELP", "  help  "])
def test_help_is_the_default_and_case_blind(bot: OfflineBot, text: str) -> None:
    assert (
        "/shopbot — help for every command and the bot's status: /shopbot status, "
        "/shopbot language, /shopbot help" in bot.say(f"/shopbot {text}").reply["text"]
    )


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
    import handlers.shopbot.commands

    def broken(*_args: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(handlers.shopbot.commands, "data_overview", broken)
    reply = bot.say("/shopbot status").reply
    assert "Sorry, something went wrong" in reply["text"]
    reference = reply["text"].split("Reference: `")[1][:8]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)
