"""Help text rendered from the command declarations (the one source of usage text).

Two forms: a command's own help (`/seller help`) lists each usage with its summary; the
overview (`/shopbot help`, the App Home) gives every command one line, its summary and the
words it takes, short enough to read on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from bot.shared.commands import SlashCommand
from bot.shared.language import N_, _
from bot.shared.replies import Reply, context, escape, header, section

HELP_FOOTER = N_("Type a command in any channel shopbot is in, or in a DM with it.")
OVERVIEW_FOOTER = N_("Add `help` to any command for how to type each part: `/seller help`.")
TITLE = N_("shopbot commands")


def summary_of(summary: str) -> str:
    """A command's or usage's summary in the answer's language: the features' declarations
    write it in English, and a catalog that has it translates it."""
    return _(summary)


def usage_lines(command: SlashCommand) -> list[tuple[str, str]]:
    """(usage, summary) for each subcommand, plus the universal `help`."""
    lines = [(sub.usage, summary_of(sub.summary)) for sub in command.usages]
    if "help" not in command.subcommands:
        lines.append((f"{command.name} help", _("this list")))
    return lines


def words(command: SlashCommand) -> list[str]:
    """The words the command takes after its name, as typed (`list`, `gaps`, …, `help`), once
    each; the bare command (`/seller <name>`) is the command itself."""
    found = [sub.head.removeprefix(command.name).strip() for sub in command.usages] + ["help"]
    return [word for word in dict.fromkeys(found) if word]


def help_text(commands: Sequence[SlashCommand]) -> str:
    """Plain text: one block per command, one line per usage."""
    parts = []
    for command in commands:
        lines = [f"{command.name} — {summary_of(command.summary)}"]
        lines += [f"  {usage}  —  {summary}" for usage, summary in usage_lines(command)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_help(commands: Sequence[SlashCommand], title: str = TITLE) -> Reply:
    """Each command's usages with their summaries (a command's own `help`)."""
    blocks: list[Block] = [header(_(title))]
    for command in commands:
        lines = [f"*{command.name}* — {escape(summary_of(command.summary))}"]
        lines += [
            f"• `{escape(usage)}` — {escape(summary)}" for usage, summary in usage_lines(command)
        ]
        blocks.append(section("\n".join(lines)))
    blocks.append(context(_(HELP_FOOTER)))
    return Reply(text=escape(help_text(commands)), blocks=blocks)


def overview_line(command: SlashCommand) -> str:
    """`/seller — seller profiles: …: /seller list, /seller gaps, …` as plain text (the
    message's fallback, read aloud and in notifications: each as it is typed)."""
    typed = [f"{command.name} {word}" for word in words(command)]
    return f"{command.name} — {summary_of(command.summary)}: {', '.join(typed)}"


def render_overview(commands: Sequence[SlashCommand], title: str = TITLE) -> Reply:
    """Every command on one line: what it is for and the words it takes (`/shopbot help`)."""
    lines = [
        f"*{escape(command.name)}* — {escape(summary_of(command.summary))}: "
        + " ".join(f"`{escape(word)}`" for word in words(command))
        for command in commands
    ]
    blocks: list[Block] = [header(_(title)), section("\n".join(lines))]
    blocks.append(context(f"{_(OVERVIEW_FOOTER)} {_(HELP_FOOTER)}"))
    text = "\n".join(overview_line(command) for command in commands)
    return Reply(text=escape(text), blocks=blocks)
