"""Pure rendering: mrkdwn escaping, help from declarations, Block Kit as terminal text."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.help import help_text, render_help
from bot.shared.replies import Reply, escape, problem, section, truncate
from devkit.sandbox.blocks import validate_blocks
from devkit.terminal import mrkdwn_to_text, render_blocks


def test_escape_makes_mentions_and_links_inert() -> None:
    hostile = "<!channel> <@U0TOM> <https://evil.example|click> & *bold*"
    escaped = escape(hostile)
    assert "<" not in escaped and ">" not in escaped
    assert escaped == (
        "&lt;!channel&gt; &lt;@U0TOM&gt; &lt;https://evil.example|click&gt; &amp; *bold*"
    )
    assert mrkdwn_to_text(escaped) == "<!channel> <@U0TOM> <https://evil.example|click> & bold"


def test_long_text_is_cut_to_slacks_limits_and_stays_valid() -> None:
    block = section("é" * 5000).to_dict()
    assert len(block["text"]["text"]) == 3000 and block["text"]["text"].endswith("…")
    assert validate_blocks([block]) == []
    assert truncate("short", 10) == "short"


def _toy() -> SlashCommand:
    toy = SlashCommand("/toy", "a toy command")

    @toy.subcommand("ping")
    def ping(services: Services, request: CommandRequest) -> Reply:
        """`/toy ping [n]`: answer pong n times"""
        return Reply(text="pong " * 2)

    return toy


def test_docstrings_are_the_help() -> None:
    toy = _toy()
    assert [(s.usage, s.summary) for s in toy.usages] == [("/toy ping [n]", "answer pong n times")]
    assert help_text([toy]) == (
        "/toy — a toy command\n  /toy ping [n]  —  answer pong n times\n  /toy help  —  this list"
    )
    assert validate_blocks(render_help([toy]).payload()["blocks"]) == []


def test_a_wrapped_summary_is_read_whole_and_the_details_are_not() -> None:
    toy = SlashCommand("/toy", "a toy command")

    @toy.subcommand("gaps")
    def gaps(services: Services, request: CommandRequest) -> Reply:
        """`/toy gaps [category:…] [owner:@someone|me] [page:N]`: sellers with gaps and
        opportunities, most GMV at stake first

        Gaps: no LIVE, GMV dropping.
        """
        return Reply(text="")

    [sub] = toy.usages
    assert sub.summary == "sellers with gaps and opportunities, most GMV at stake first"
    assert sub.head == "/toy gaps"


def test_a_subcommand_without_a_usage_docstring_is_refused() -> None:
    toy = SlashCommand("/toy", "a toy command")
    with pytest.raises(ValueError, match="docstring must start with"):

        @toy.subcommand("bad")
        def bad(services: Services, request: CommandRequest) -> Reply:
            """does something"""
            return Reply(text="")


@pytest.mark.parametrize(
    ("text", "word", "args"),
    [
        ("", "help", ""),
        ("PING 3", "ping", "3"),
        ("  ping   a b ", "ping", "a b"),
        ("pong", "pong", ""),
    ],
)
def test_resolve_splits_the_first_word(text: str, word: str, args: str) -> None:
    subcommand, rest, typed = _toy().resolve(text)
    assert typed == word and rest == args
    assert (subcommand is not None) == (word == "ping")


def test_problem_replies_show_what_to_type() -> None:
    reply = problem("No such seller.", ["/kpi seller:<name>"])
    assert reply.text == ":warning: No such seller.\nTry: `/kpi seller:&lt;name&gt;`"
    assert reply.payload()["response_type"] == "ephemeral"


def test_blocks_render_as_terminal_text() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "GMV today"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*GMV* $1,234.50 :warning:"}},
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": "Orders"}, {"type": "mrkdwn", "text": "42"}],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U0TOM|tom>"}]},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Edit"}, "action_id": "e"}
            ],
        },
        {"type": "image", "image_url": "https://x/y.png", "alt_text": "GMV chart"},
    ]
    assert render_blocks(blocks).splitlines() == [
        "GMV TODAY",
        "═════════",
        "GMV $1,234.50 ⚠",
        f"{'Orders':<44} 42",
        "─" * 40,
        "  by @tom",
        "[ Edit ]",
        "(image: GMV chart — https://x/y.png)",
    ]
    assert render_blocks([], "fallback &amp; text") == "fallback & text"
