"""The offline bot's conversation driver: `say` waits for the app to settle and shows what the
shell shows; `settle` waits for listeners and Slack calls, and says what is stuck."""

from __future__ import annotations

import io

import pytest

from bot.offline import OfflineBot
from bot.shell import Shell

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


def test_say_returns_what_the_shell_prints(bot: OfflineBot) -> None:
    seen = bot.say("/shopbot help")
    assert "── only you can see this ──\nSHOPBOT COMMANDS" in seen
    assert seen.reply["response_type"] == "ephemeral"
    assert [c.method for c in seen.calls] == []  # answered in the acknowledgement

    out = io.StringIO()
    Shell(bot, out).handle("/shopbot help")
    assert out.getvalue() == seen.text + "\n"


def test_say_waits_for_replies_sent_after_the_acknowledgement(bot: OfflineBot) -> None:
    seen = bot.say("/feedback report")
    assert seen.response.body == ""  # slow: acknowledged first
    assert "No notes in" in seen
    assert [c.method for c in seen.calls] == ["response_url"]


def test_settle_waits_for_a_slow_slack_call(bot: OfflineBot) -> None:
    bot.sandbox.delay("views.publish", 0.5)
    assert bot.client.event(HOME_OPENED).status == 200
    bot.settle()
    assert [c.ok for c in bot.sandbox.calls("views.publish")] == [True]


def test_settle_says_what_is_still_busy(bot: OfflineBot) -> None:
    bot.sandbox.delay("views.publish", 1.0)
    assert bot.client.event(HOME_OPENED).status == 200
    with pytest.raises(TimeoutError, match=r"did not settle within 0\.2s: .*views\.publish"):
        bot.settle(timeout=0.2)
    bot.settle()
