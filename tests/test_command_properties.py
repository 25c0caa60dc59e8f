"""Whatever a person types after any command and subcommand, the app answers with what it
did or with what to type instead: never a crash, an apology for a failure, or a traceback.

Hypothesis writes the text from the words each command understands (periods, filters, handles,
tags, channels, numbers, dates) mixed with arbitrary unicode, markup and Slack's escapes, and
sends it end to end as a signed slash command."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from app import FEATURES
from bot.features import Features
from devkit.offline import OfflineBot
from tests.digest_support import import_kpis, travel
from tests.test_digest_commands import TUESDAY

WORDS = [
    *(word for command in list(Features(FEATURES).commands) for word in command.subcommands),
    "today", "yesterday", "week", "last week", "month", "last 7 days", "2026-10-12",
    "12/10/2026", "2026-10-01..2026-10-31", "vs", "category:Home & Living",
    "category:", "seller:", "seller:Küchen & Co", "gmv", "orders", "aov", "#samples",
    "#general", "#lifestyle-kpi", "@ana.glow", "@", "@@", "<@U0TOM>", "<#C0KPI|kpi>",
    "&amp;", "&lt;b&gt;", "follow-up:2026-12-01", "follow-up:tomorrow", "since:2026-01-01",
    "0", "-1", "99999999999999999999", "1e9", "3.5", "ja", "Ölmühle", "Москва", "Αθήνα",
    "东京", "🚀", "=SUM(A1)", "\u202e", "\u0000", "'; drop table seller; --", "*bold*", "`x`",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=6).map(" ".join)
COMMAND_WORDS = [
    (command.name, word)
    for command in list(Features(FEATURES).commands)
    for word in ("", *command.subcommands)
]
FAILURE = "failed (reference"


@pytest.fixture(autouse=True)
def data(bot: OfflineBot, engine: Engine) -> None:
    import_kpis(engine)
    travel(bot, TUESDAY)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command_word=st.sampled_from(COMMAND_WORDS),
    text=TEXT,
    user=st.sampled_from(["U0MARIA", "U0TOM"]),
)
def test_any_text_gets_an_answer_and_never_a_failure(
    bot: OfflineBot,
    caplog: pytest.LogCaptureFixture,
    command_word: tuple[str, str],
    text: str,
    user: str,
) -> None:
    command, word = command_word
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        seen = bot.say(f"{command} {word} {text}".rstrip(), user_id=user)
    assert seen.response.status == 200
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], f"{command} {word} {text!r}: {failures}"
    assert "Traceback" not in seen.text
    assert seen.replies or seen.views, f"{command} {word} {text!r} got no answer"
