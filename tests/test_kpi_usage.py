"""The lists `/kpi` shows in several places come from one declaration each: the period words
and the chart metrics, in the usage after bad input and in `/kpi help`."""

from __future__ import annotations

from datetime import date

import pytest

from bot.kpi.render import render_definitions
from bot.kpi.usage import usage_lines
from bot.shared.kpis.definitions import CHART_ALIASES, CHARTABLE
from bot.shared.periods import PERIOD_WORDS, parse_period, period_forms
from bot.shared.replies import escape
from devkit.offline import OfflineBot
from handlers.kpi.commands import KPI
from tests.slack_support import markup

TODAY = date(2026, 11, 19)  # a Thursday
SHAPES = [form.usage for form in period_forms()]


def _usage(word: str) -> list[str]:
    return usage_lines(KPI.subcommands[word].usage)


def test_every_period_word_is_a_period() -> None:
    for word in PERIOD_WORDS:
        parse_period(word, TODAY)


def test_only_today_is_today() -> None:
    assert parse_period("today", TODAY).is_today
    assert parse_period("", TODAY).is_today
    assert parse_period(" Today ", TODAY).is_today
    for words in [*PERIOD_WORDS[1:], TODAY.isoformat(), f"{TODAY}..{TODAY}"]:
        assert not parse_period(words, TODAY).is_today, words
    today = parse_period("today", TODAY)
    assert not today.previous().is_today and not today.shifted(-7).is_today


def test_the_usage_after_bad_input_names_every_period_and_metric() -> None:
    snapshot, chart = " ".join(_usage("snapshot")), " ".join(_usage("chart"))
    for word in SHAPES:
        assert word in snapshot and word in chart, word
    for key in CHARTABLE:
        assert key in chart, key
    assert "metric:" not in snapshot


def test_every_chart_alias_names_a_chartable_kpi() -> None:
    assert set(CHART_ALIASES.values()) <= set(CHARTABLE)
    assert not set(CHART_ALIASES) & set(CHARTABLE)


def test_help_names_every_period_metric_and_alias() -> None:
    reply = render_definitions([sub.usage for sub in KPI.usages])
    help_text = "\n".join(str(block.to_dict()) for block in reply.blocks)
    for word in SHAPES:  # as mrkdwn writes them: `<month>` escaped, or Slack would drop it
        assert f"`{escape(word)}`" in help_text, word
    for word in [*CHARTABLE, *CHART_ALIASES]:
        assert f"`{word}`" in help_text, word
        assert word in reply.text, word
    assert "`today` (or `heute`; default)" in help_text and "`gmv` (default)" in help_text


def test_kpi_help_in_slack_lists_every_chartable_metric(bot: OfflineBot) -> None:
    shown = markup(bot.say("/kpi help").reply)
    assert (
        "_period_: `today` (or `heute`; default), `yesterday` (or `gestern`), `day before "
        "yesterday` (or `vorgestern`), `week` (or `this week` or `diese Woche`), `last week` "
        "(or `letzte Woche`)"
    ) in shown
    assert "`week N` (such as `week 48`, `wk 48`, `week 48 2025`, `KW 48`" in shown
    for key in CHARTABLE:
        assert f"`{key}`" in shown, key


@pytest.mark.parametrize(
    ("text", "word"), [("fortnight", "snapshot"), ("chart happiness", "chart")]
)
def test_bad_input_shows_the_usage_help_shows(bot: OfflineBot, text: str, word: str) -> None:
    reply = bot.client.slash_command("/kpi", text).json()
    if word == "chart":  # answered later, through the response URL
        reply = bot.sandbox.wait_for("response_url")[0].params
    usage = reply["text"].split("Try: ", 1)[1]
    declared = escape(KPI.subcommands[word].usage)  # both in mrkdwn, escaped once
    assert declared in usage
    assert (
        "|last week|month|last month|mtd|ytd|last year|Nd|last N days|last N weeks|"
        "last N months|week N|&lt;month&gt;|Q1-Q4|YYYY-MM|"
    ) in usage
    assert (
        "|YYYY-MM-DD|DD.MM.YYYY|&lt;month&gt; D|M/D|&lt;weekday&gt;|since &lt;day&gt;|"
        "&lt;period&gt; yoy|&lt;period&gt;..&lt;period&gt;"
    ) in usage
    help_shown = markup(bot.say("/kpi help").reply)
    assert f"`{declared}`" in help_shown
    if word == "chart":
        assert "metric: " + "|".join(CHARTABLE) in usage
