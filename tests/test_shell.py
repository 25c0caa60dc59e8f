"""The offline shell, in process: what it prints for replies, posts and uploaded images."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import FEATURES, build_app
from bot.features import Feature
from bot.services import Services
from bot.settings import Settings
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.replies import Reply
from devkit.offline import OfflineBot
from devkit.shell import Shell

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _toy_command() -> SlashCommand:
    toy = SlashCommand("/toy", "a command that posts and uploads, for the shell's sake")

    @toy.subcommand("chart", slow=True)
    def chart(services: Services, request: CommandRequest) -> Reply:
        """`/toy chart`: upload a chart to the channel"""
        request.slack.files_upload_v2(
            channel=request.channel_id, content=PNG, filename="gmv.png", title="GMV this week"
        )
        return Reply(text="Chart posted.")

    @toy.subcommand("announce")
    def announce(services: Services, request: CommandRequest) -> Reply:
        """`/toy announce <text>`: say it in the channel"""
        return Reply(text=f"Announcement: {request.args}", in_channel=True)

    return toy


@pytest.fixture
def toy_bot(settings: Settings) -> Iterator[OfflineBot]:
    toy = Feature("toy", commands=(_toy_command(),))
    with_toy = functools.partial(build_app, features=(*FEATURES, toy))
    with OfflineBot(with_toy, settings) as offline_bot:
        yield offline_bot


def _shell(bot: OfflineBot, tmp_path: Path) -> tuple[Shell, io.StringIO]:
    out = io.StringIO()
    return Shell(bot, out, files_dir=tmp_path / "files"), out


def test_uploaded_images_are_saved_and_their_paths_printed(
    toy_bot: OfflineBot, tmp_path: Path
) -> None:
    shell, out = _shell(toy_bot, tmp_path)
    shell.run(io.StringIO("/toy chart\n"))
    printed = out.getvalue()
    line = next(x for x in printed.splitlines() if x.startswith("── file: GMV this week → "))
    saved = Path(line.split(" → ", 1)[1])
    assert saved.read_bytes() == PNG
    assert "Chart posted." in printed


def test_in_channel_replies_say_where_they_were_posted(toy_bot: OfflineBot, tmp_path: Path) -> None:
    shell, out = _shell(toy_bot, tmp_path)
    shell.run(io.StringIO("/toy announce weekly sync moved\n"))
    assert "── posted in #lifestyle-kpi ──\nAnnouncement: weekly sync moved" in out.getvalue()


def test_help_lists_every_command_including_new_ones(toy_bot: OfflineBot, tmp_path: Path) -> None:
    shell, out = _shell(toy_bot, tmp_path)
    shell.run(io.StringIO("help\n"))
    printed = out.getvalue()
    assert (
        "/shopbot — help for every command and the bot's status: `status` `language` `help`"
    ) in printed
    assert "/toy — a command that posts and uploads, for the shell's sake: `chart` `announce`" in (
        " ".join(printed.split())
    )


def test_a_refused_slack_call_is_shown(toy_bot: OfflineBot, tmp_path: Path) -> None:
    toy_bot.sandbox.channels["C0KPI"].members.discard(toy_bot.sandbox.bot_user_id)
    shell, out = _shell(toy_bot, tmp_path)
    shell.run(io.StringIO("/toy chart\n"))
    printed = out.getvalue()
    assert "[Slack refused files.completeUploadExternal: not_in_channel" in printed
    assert "invite me with `/invite @shopbot`" in printed
