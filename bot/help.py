"""Help text rendered from the command declarations (the one source of usage text)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from bot.commands import SlashCommand
from bot.replies import Reply, context, escape, header, section


def usage_lines(command: SlashCommand) -> list[tuple[str, str]]:
    """(usage, summary) for each subcommand, plus the universal `help`."""
    lines = [(sub.usage, sub.summary) for sub in command.usages]
    if "help" not in command.subcommands:
        lines.append((f"{command.name} help", "this list"))
    return lines


def help_text(commands: Sequence[SlashCommand]) -> str:
    """Plain text: one block per command, one line per usage."""
    parts = []
    for command in commands:
        lines = [f"{command.name} — {command.summary}"]
        lines += [f"  {usage}  —  {summary}" for usage, summary in usage_lines(command)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_help(commands: Sequence[SlashCommand], title: str = "shopbot commands") -> Reply:
    blocks: list[Block] = [header(title)]
    for command in commands:
        lines = [f"*{command.name}* — {escape(command.summary)}"]
        lines += [
            f"• `{escape(usage)}` — {escape(summary)}" for usage, summary in usage_lines(command)
        ]
        blocks.append(section("\n".join(lines)))
    blocks.append(context("Type a command in any channel shopbot is in, or in a DM with it."))
    return Reply(text=escape(help_text(commands)), blocks=blocks)
