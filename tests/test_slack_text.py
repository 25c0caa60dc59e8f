"""Slack's wire text decoded into what the person typed, with the references it carried."""

from __future__ import annotations

import pytest

from bot.shared.slack_text import RefKind, SlackRef, decode, unescape
from devkit.sandbox.payloads import slack_escape


@pytest.mark.parametrize(
    "typed",
    [
        "Fish & chips <3",
        "Hello & <world>",
        "a &amp; b means &",
        "&lt;b&gt; is HTML for <b>",
        "\"quoted\" 'single' `code` > quote",
        "Café & Co. · Ökoladen · Ἀθηνᾶ · Ночной Свет · 東京 · 🌸",
        "",
    ],
)
def test_typed_text_round_trips(typed: str) -> None:
    assert decode(slack_escape(typed)).text == typed
    assert decode(slack_escape(typed)).refs == ()


def test_only_slacks_three_entities_are_decoded() -> None:
    assert unescape("&amp;lt; &quot; &#39; &nbsp;") == "&lt; &quot; &#39; &nbsp;"


def test_mentions_channels_links_and_specials_read_as_shown() -> None:
    wire = (
        "hi <@U0MARIA|maria> and <@W123ABC>, see <#C0KPI|lifestyle-kpi> <#C0GEN> "
        "<https://shop.example/p?a=1&amp;b=2|the stream> <https://tiktok.com/@x> "
        "<http://example.com|example.com> <mailto:a@b.co|a@b.co> <!here> <!channel> "
        "<!subteam^S123|@creators> <!date^1392734382^{date}|Feb 18, 2014>"
    )
    typed = decode(wire)
    assert typed.text == (
        "hi @maria and @W123ABC, see #lifestyle-kpi #C0GEN "
        "the stream (https://shop.example/p?a=1&b=2) https://tiktok.com/@x "
        "example.com a@b.co @here @channel @creators Feb 18, 2014"
    )
    assert typed.user_id("@maria") == "U0MARIA" and typed.user_id("@W123ABC") == "W123ABC"
    assert typed.channel_id("#lifestyle-kpi") == "C0KPI" and typed.channel_id("#C0GEN") == "C0GEN"
    assert typed.channel_id("#general") is None and typed.user_id("@tom") is None
    assert (
        SlackRef(
            RefKind.LINK,
            "https://shop.example/p?a=1&b=2",
            "the stream (https://shop.example/p?a=1&b=2)",
        )
        in typed.refs
    )


def test_escaped_markup_stays_text() -> None:
    """A person who types `<@U0TOM>` literally did not mention anyone."""
    typed = decode(slack_escape("<@U0TOM> <#C0KPI|x> <!here>"))
    assert typed.text == "<@U0TOM> <#C0KPI|x> <!here>"
    assert typed.refs == ()
